// Package zvcmstest is an in-memory fake of the zvcms (智迈) CRM open API for
// tests, started like net/http/httptest. It verifies each request's token
// with the application's OpenKey, rejects a timestamp more than five minutes
// off and a nonce it has seen within that window, keeps customers' coupons
// and their states, redeems them (writeOffCoupon) once per bizId, and injects
// faults on demand.
//
// The vendor's global error codes are not public, so the fake's codes
// ([CodeBadRequest] …) are its own choice; its messages use the words the
// zvcms client classifies (token, timestamp, nonce: couponkit.FaultAuth), and
// business refusals come with status true, as on the vendor's page.
package zvcmstest

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/zvcms"
)

// Defaults of Config.
const (
	// DefaultOpenID is the fake application's openId (the vendor's example).
	DefaultOpenID = "6dc05b4ac175cf316d226252b05cf685"
	// DefaultOpenKey is the fake application's key.
	DefaultOpenKey = "zvcms-test-open-key"
	// DefaultGrantCode is the fake application's grantCode (the vendor's example).
	DefaultGrantCode = "782c281f62"
	// DefaultChannel is the merchant account of seeded coupons (the vendor's example).
	DefaultChannel = "naixue"
	// DefaultCustomerID is the customer of seeded coupons that name none (the vendor's example).
	DefaultCustomerID = "383933091455959041"
	// DefaultWindow is how far a request's timestamp may be from the fake's clock.
	DefaultWindow = 5 * time.Minute
)

// Config configures a fake gateway. The zero value is usable.
type Config struct {
	// OpenID, OpenKey and GrantCode are the only application the gateway
	// knows. Defaults DefaultOpenID, DefaultOpenKey, DefaultGrantCode.
	OpenID, OpenKey, GrantCode string
	// TokenFunc computes the expected token. Default zvcms.DefaultToken.
	TokenFunc zvcms.TokenFunc
	// Window is how far a timestamp may be from Now, and how long a nonce is
	// remembered. Default DefaultWindow (5 minutes).
	Window time.Duration
	// NativeTypes answers status as a JSON bool, code and the coupons'
	// numeric fields as JSON numbers (the sibling platform's spelling)
	// instead of the strings of the vendor's page.
	NativeTypes bool
	// Now is the gateway's clock. Default time.Now.
	Now func() time.Time
}

// Server is a running fake gateway. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's base URL, such as http://127.0.0.1:1234: use it as
	// zvcms.Config.Gateway.
	URL string

	fk     *fakekit.Server
	cfg    Config
	replay fakekit.Replay

	mu          sync.Mutex
	customers   map[string][]string      // customer id → card ids in the order added
	coupons     map[string]*zvcms.Coupon // card id → coupon
	nonces      map[string]time.Time     // nonce → when first seen
	nonceOrder  []seenNonce
	redemptions []Redemption
	seq         int64
}

type seenNonce struct {
	nonce string
	at    time.Time
}

// NewServer starts a fake gateway.
func NewServer(cfg Config) *Server {
	if cfg.OpenID == "" {
		cfg.OpenID = DefaultOpenID
	}
	if cfg.OpenKey == "" {
		cfg.OpenKey = DefaultOpenKey
	}
	if cfg.GrantCode == "" {
		cfg.GrantCode = DefaultGrantCode
	}
	if cfg.TokenFunc == nil {
		cfg.TokenFunc = zvcms.DefaultToken
	}
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg:       cfg,
		customers: make(map[string][]string),
		coupons:   make(map[string]*zvcms.Coupon),
		nonces:    make(map[string]time.Time),
	}
	s.fk = fakekit.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.fk.URL
	return s
}

// Close stops the server, releasing delayed requests, and waits for its
// handlers to return.
func (s *Server) Close() { s.fk.Close() }

// Client returns an http.Client that reaches the server.
func (s *Server) Client() *http.Client { return s.fk.Client() }

// ClientConfig returns a zvcms.Config that talks to this server.
func (s *Server) ClientConfig() zvcms.Config {
	return zvcms.Config{
		Gateway:   s.URL,
		OpenID:    s.cfg.OpenID,
		OpenKey:   s.cfg.OpenKey,
		GrantCode: s.cfg.GrantCode,
		TokenFunc: s.cfg.TokenFunc,
	}
}

// Request is a request the server received.
type Request struct {
	// API is the last path element, such as "getCustomerCoupons".
	API string
	// Body is the request body as received.
	Body []byte
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	raw := s.fk.Requests()
	out := make([]Request, len(raw))
	for i, r := range raw {
		out[i] = Request{API: r.Path[strings.LastIndexByte(r.Path, '/')+1:], Body: r.Body}
	}
	return out
}

// RequestCount returns how many requests were received.
func (s *Server) RequestCount() int { return s.fk.RequestCount() }

// FailNext answers the next request with a business refusal, {"status":
// "true", "code": code, "message": message} and HTTP 200, without acting on it.
func (s *Server) FailNext(code, message string) {
	body := s.envelope(true, code, message, nil)
	s.fk.Inject(fakekit.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, body) }})
}

// FailNextSystem answers the next request with a system failure,
// {"status": "false", "code": code, "message": message} and HTTP 200, without
// acting on it.
func (s *Server) FailNextSystem(code, message string) {
	body := s.envelope(false, code, message, nil)
	s.fk.Inject(fakekit.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, body) }})
}

// FailNextHTTP answers the next request with an HTTP status (a 5xx, 429 …)
// and a short text body, without acting on it.
func (s *Server) FailNextHTTP(status int) {
	s.fk.Inject(fakekit.Fault{Status: status, Body: []byte(http.StatusText(status))})
}

// DelayNext holds the next request for d before handling it (or until the
// client gives up or the server closes).
func (s *Server) DelayNext(d time.Duration) { s.fk.Inject(fakekit.Fault{Delay: d}) }

// DropNext reads the next request and closes the connection without acting
// on it or answering.
func (s *Server) DropNext() { s.fk.Inject(fakekit.Fault{Drop: true}) }

// DropNextAfterWrite acts on the next request (a redemption takes effect)
// and then closes the connection without answering: the client cannot know
// the outcome.
func (s *Server) DropNextAfterWrite() { s.fk.Inject(fakekit.Fault{Drop: true, AfterHandler: true}) }
