// Package suningtest is an in-memory fake of the Suning Open Platform
// gateway for the appointment API, started like net/http/httptest, for
// offline tests and examples.
//
// The fake checks what the real gateway checks, with the vendor's own error
// envelopes ({"sn_responseContent":{"sn_error":{…}}}): the common headers, the
// signInfo (with the same signing code as package suning), a request time
// within 10 minutes of its clock, the access token when one is configured, the
// body's envelope, and the createAppoint fields (missing, enumeration,
// format and length errors with the vendor's biz.custom.createappoint.* codes).
// It keeps activities through create, modify and stop, answers
// suning.custom.appoint.query, and de-duplicates writes by enrollInfoCode:
// a write sent again with an enrollInfoCode that already succeeded gets the
// first answer and changes nothing.
//
// Where the vendor's documents are silent the fake chooses, and package
// suning's documentation repeats it: modifying or stopping an unknown
// activity answers biz.handler.data-get:no-result (suning.CodeNoResult);
// modifying or stopping a stopped activity answers biz.handler.data-get:fail
// (suning.CodeDataGetFail); more or fewer than one default goods answers
// biz.custom.createappoint.enumeration-error:defaultGoodsFlags; a missing
// query field answers biz.custom.queryappoint.missing-parameter:<field>;
// activity ids are the Beijing date and a 5-digit sequence
// ("2019102800001"), as in the vendor's sample.
//
// A Server starts no goroutine that outlives Close.
package suningtest

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/suning"
)

// Default credentials of a Server whose Config leaves them empty.
const (
	DefaultAppKey    = "suningtest-app-key"
	DefaultAppSecret = "suningtest-app-secret"
)

// Path is the gateway path the fake serves, as on the real gateways.
const Path = "/api/http/sopRequest"

// Config configures a fake gateway. The zero value is ready to use.
type Config struct {
	// AppKey and AppSecret are the only credentials accepted. Defaults:
	// DefaultAppKey and DefaultAppSecret.
	AppKey, AppSecret string
	// AccessToken, when set, must be sent as the access_token header.
	AccessToken string
	// VersionNo is the only API version accepted. Default suning.DefaultVersionNo.
	VersionNo string
	// Now is the fake's clock, for the request-time check and activity ids.
	// Default time.Now.
	Now func() time.Time
	// MaxSkew is the largest accepted difference between AppRequestTime and
	// Now. Default 10 minutes, as the vendor documents.
	MaxSkew time.Duration
}

// Status is an activity's state in the fake.
type Status string

const (
	// StatusActive is an activity created (and maybe modified) and not stopped.
	StatusActive Status = "active"
	// StatusStopped is an activity stopped with operateType 03.
	StatusStopped Status = "stopped"
)

// Activity is an activity as the fake keeps it.
type Activity struct {
	// ActionID is the id the fake assigned.
	ActionID string
	// Status is the activity's state.
	Status Status
	// Fields are the createAppoint node's scalar fields as last accepted,
	// by wire name ("actionName").
	Fields map[string]string
	// Goods and SubGoods are goodsList and goodsSubList as last sent.
	Goods, SubGoods []map[string]string
	// Modifications counts accepted modify calls.
	Modifications int
}

// Request is a request the fake received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// Server is a running fake gateway. Its methods are safe for concurrent use.
type Server struct {
	// URL is the gateway URL to put in suning.Config.Gateway.
	URL string

	fk  *fakekit.Server
	cfg Config

	replay fakekit.Replay

	mu   sync.Mutex
	acts map[string]*Activity
	seq  int
}

// NewServer starts a fake gateway on a loopback port. Close it when done.
func NewServer(cfg Config) *Server {
	if cfg.AppKey == "" {
		cfg.AppKey = DefaultAppKey
	}
	if cfg.AppSecret == "" {
		cfg.AppSecret = DefaultAppSecret
	}
	if cfg.VersionNo == "" {
		cfg.VersionNo = suning.DefaultVersionNo
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxSkew <= 0 {
		cfg.MaxSkew = 10 * time.Minute
	}
	s := &Server{cfg: cfg, acts: make(map[string]*Activity)}
	s.fk = fakekit.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.fk.URL + Path
	return s
}

// Close shuts the server down, releasing delayed requests, and waits for
// its handlers to return.
func (s *Server) Close() { s.fk.Close() }

// Client returns an http.Client suited to the server.
func (s *Server) Client() *http.Client { return s.fk.Client() }

// Config returns the server's configuration with its defaults filled in.
func (s *Server) Config() Config { return s.cfg }

// ClientConfig returns a suning.Config that reaches this server with its
// credentials.
func (s *Server) ClientConfig() suning.Config {
	return suning.Config{Gateway: s.URL, AppKey: s.cfg.AppKey, AppSecret: s.cfg.AppSecret, AccessToken: s.cfg.AccessToken, VersionNo: s.cfg.VersionNo}
}

// Requests returns the requests received so far, faulted ones included.
func (s *Server) Requests() []Request {
	in := s.fk.Requests()
	out := make([]Request, len(in))
	for i, r := range in {
		out[i] = Request{Method: r.Method, Path: r.Path, Header: r.Header, Body: r.Body}
	}
	return out
}

// RequestCount returns how many requests were received.
func (s *Server) RequestCount() int { return s.fk.RequestCount() }

// WaitRequests blocks until at least n requests have arrived (before any
// injected delay) or ctx is done, and returns ctx's error in that case.
func (s *Server) WaitRequests(ctx context.Context, n int) error { return s.fk.WaitRequests(ctx, n) }

// Activity returns a copy of the activity actionID.
func (s *Server) Activity(actionID string) (Activity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.acts[actionID]
	if !ok {
		return Activity{}, false
	}
	return a.clone(), true
}

// Activities returns copies of every activity, by ActionID.
func (s *Server) Activities() []Activity {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Activity, 0, len(s.acts))
	for _, a := range s.acts {
		out = append(out, a.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ActionID < out[j].ActionID })
	return out
}

func (a *Activity) clone() Activity {
	c := *a
	c.Fields = cloneMap(a.Fields)
	c.Goods = cloneMaps(a.Goods)
	c.SubGoods = cloneMaps(a.SubGoods)
	return c
}

func cloneMap(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func cloneMaps(ms []map[string]string) []map[string]string {
	if ms == nil {
		return nil
	}
	c := make([]map[string]string, len(ms))
	for i, m := range ms {
		c[i] = cloneMap(m)
	}
	return c
}
