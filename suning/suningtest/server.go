// Package suningtest is a stateful fake of the Suning Open Platform gateway
// for the appointment API, started like net/http/httptest (on a loopback
// port, or in memory with Config.InMemory), for offline tests and examples.
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
// first answer and changes nothing. It takes customers' bookings of an
// active activity's goods (suning.custom.gotoappoint.create; every accepted
// booking is applied, none replayed, as the vendor documents no message id;
// a customer booking the same goods again keeps one booking) and answers
// suning.custom.bookinginfo.query with them (BookingAnswer; Bookings).
//
// Where the vendor's documents are silent the fake chooses, and package
// suning's documentation repeats it: modifying or stopping an unknown
// activity answers biz.handler.data-get:no-result (suning.CodeNoResult);
// modifying or stopping a stopped activity answers biz.handler.data-get:fail
// (suning.CodeDataGetFail); more or fewer than one default goods answers
// biz.custom.createappoint.enumeration-error:defaultGoodsFlags; a missing
// query field answers biz.custom.queryappoint.missing-parameter:<field>,
// and likewise biz.custom.creategotoappoint.… and
// biz.custom.querybookinginfo.… for the customer methods; a booking of an
// unknown activity, another merchant's or a goods not in it answers
// biz.handler.data-get:no-result, of a stopped one biz.handler.data-get:fail;
// snUnionId is taken to be the customer's custNo, and a customer without a
// booking gets an empty bookingList; a price (appointPrice, price,
// subAppointPrice, subPrice) must be a whole number of yuan in digits
// ("3999"), as package suning sends it, and one with decimals ("3899.00")
// answers biz.custom.createappoint.format-error:<field>;
// activity ids are the Beijing date and a 5-digit sequence
// ("2019102800001"), as in the vendor's sample.
//
// Faults: a Server has the controls every couponkit fake shares (see
// Server); on this gateway FailNext answers an sn_error with the given code, ThrottleNext an sn_error with suning.CodeAPIFrequencyLimit
// (the vendor names no window), and Request.API is the AppMethod header.
// It issues OAuth access tokens at OAuthTokenPath (for a code from
// IssueCode, a refresh token, or IssueToken), expires them on its clock
// (suning.CodeUserOverdue) and refuses a refresh token used twice (see
// Tokens).
//
// Its own faults are FailNextBusiness (a failure in the business node),
// AnswerNextAfterWrite and TruncateNextAfterWrite. A Server starts no
// goroutine that outlives Close.
package suningtest

import (
	"maps"
	"net/http"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/suning"
)

// Default credentials of a Server whose Config leaves them empty.
const (
	// DefaultAppKey is the only AppKey header accepted by default.
	DefaultAppKey = "suningtest-app-key"
	// DefaultAppSecret is the secret the fake checks signInfo with by default.
	DefaultAppSecret = "suningtest-app-secret"
)

// DefaultMaxSkew is the largest accepted difference between AppRequestTime
// and the fake's clock when Config.MaxSkew is 0: 10 minutes, as the vendor
// documents.
const DefaultMaxSkew = 10 * time.Minute

// GatewayPath is the path the fake serves, as on the real gateways
// (/api/http/sopRequest); Gateway returns URL() followed by it.
const GatewayPath = "/api/http/sopRequest"

// InMemoryHost is the host of the URL of a fake started with
// Config.InMemory: URL() is "http://" + InMemoryHost. The name never
// resolves; only the fake's Transport, Client and ClientOption reach it.
const InMemoryHost = "suning.fake.invalid"

// Config configures a fake gateway. The zero value is ready to use.
type Config struct {
	// AppKey and AppSecret are the only credentials accepted. Defaults:
	// DefaultAppKey and DefaultAppSecret.
	AppKey, AppSecret string
	// AccessToken, when set, must be sent as the access_token header, or a
	// token the fake issued (see IssueToken).
	AccessToken string
	// TokenTTL is how long an access token the fake issues lives, on its
	// clock. Default DefaultTokenTTL.
	TokenTTL time.Duration
	// RefreshTTL is how long a refresh token the fake issues lives.
	// Default DefaultRefreshTTL.
	RefreshTTL time.Duration
	// VersionNo is the only API version accepted. Default suning.DefaultVersionNo.
	VersionNo string
	// Clock is the fake's clock, for the request-time check, activity ids
	// and DelayNext. Default couponkit.SystemClock. A couponkittest.Clock
	// makes DelayNext take no real time.
	Clock couponkit.Clock
	// MaxSkew is the largest accepted difference between AppRequestTime
	// (Beijing time) and the clock. Default DefaultMaxSkew (10 minutes, as
	// the vendor documents).
	MaxSkew time.Duration
	// InMemory starts no listener: the fake is reached only in process,
	// through Transport, Client or ClientOption (ClientConfig's gateway is
	// then on InMemoryHost).
	InMemory bool
	// IgnoreEnrollInfoCode applies every write anew, even one whose
	// enrollInfoCode succeeded before, as a gateway that does not
	// de-duplicate on it would (a repeated create makes a second activity).
	// By default a repeat gets the first answer again, the de-duplication
	// the suning package's Create, Modify and Stop rely on.
	IgnoreEnrollInfoCode bool
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

// Request is a request the fake received; its API is the AppMethod header.
type Request = couponkittest.Request

// Server is a running fake gateway. Its methods are safe for concurrent use.
//
// Server embeds [couponkittest.Controls], the shared controls of every couponkit fake (see couponkittest.Fake): FailNext, FailNextHTTP, ThrottleNext, DelayNext, DropNext, DropNextAfterWrite, Inject, Requests, RequestCount, WaitRequests, URL, Transport, Client and Close.
// It also offers ClientOption (the couponkit option that sends a client's
// requests to the fake) and Clock (Config.Clock).
type Server struct {
	*couponkittest.Controls

	cfg    Config
	routes *fakekit.Routes[method]
	replay fakekit.Replay

	mu       sync.Mutex
	acts     map[string]*Activity
	bookings map[bookingKey]Booking
	seq      int
	applied  int
	tokens   fakekit.Tokens // access tokens, codes and refresh tokens (tokens.go)
}

var _ couponkittest.Fake = (*Server)(nil)

// NewServer starts a fake gateway, on a loopback port unless
// cfg.InMemory. Close it when done.
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
	if cfg.Clock == nil {
		cfg.Clock = couponkit.SystemClock{}
	}
	if cfg.MaxSkew <= 0 {
		cfg.MaxSkew = DefaultMaxSkew
	}
	s := &Server{cfg: cfg, routes: newRoutes(cfg), acts: make(map[string]*Activity)}
	s.Controls = fakekit.New(http.HandlerFunc(s.serve), fakekit.Options{
		Fail:     failure,
		Throttle: throttle,
		API:      requestAPI,
		Clock:    cfg.Clock,
		InMemory: cfg.InMemory,
		Host:     InMemoryHost,
	})
	return s
}

// Start is NewServer, closing the fake when tb's test ends.
func Start(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	s := NewServer(cfg)
	tb.Cleanup(s.Close)
	return s
}

// Gateway returns the gateway URL to put in suning.Config.Gateway: URL()
// followed by GatewayPath.
func (s *Server) Gateway() string { return s.URL() + GatewayPath }

// Config returns the server's configuration with its defaults filled in.
func (s *Server) Config() Config { return s.cfg }

// ClientConfig returns a suning.Config that reaches this server with its
// credentials. A client built from it also needs the fake's transport
// when the fake is in memory: pass s.ClientOption() (it works either way).
func (s *Server) ClientConfig() suning.Config {
	return suning.Config{Gateway: s.Gateway(), AppKey: s.cfg.AppKey, AppSecret: s.cfg.AppSecret, AccessToken: s.cfg.AccessToken, VersionNo: s.cfg.VersionNo,
		OAuthTokenURL: s.URL() + OAuthTokenPath}
}

// AppliedWrites returns how many writes (creates, modifies, stops and
// bookings) the fake has applied; a write replayed for a repeated
// enrollInfoCode is not applied again.
func (s *Server) AppliedWrites() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applied
}

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
	c.Fields = maps.Clone(a.Fields)
	c.Goods = cloneMaps(a.Goods)
	c.SubGoods = cloneMaps(a.SubGoods)
	return c
}

// cloneMaps returns a deep copy of ms (nil for nil).
func cloneMaps(ms []map[string]string) []map[string]string {
	c := slices.Clone(ms)
	for i, m := range c {
		c[i] = maps.Clone(m)
	}
	return c
}
