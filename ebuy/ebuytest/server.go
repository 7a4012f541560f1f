// Package ebuytest is a stateful fake of the e-Buy 电子券 4.1 gateway, started
// like net/http/httptest, for testing programs that use package ebuy without
// reaching e-Buy.
//
// The fake verifies each request's appId and sign (the same SHA-256 envelope
// signature as e-Buy, content signed as the exact text received), answers
// with signed e-Buy envelopes, keeps codes in the states made (03), active
// (00), frozen (04), voided (05) and redeemed (01), implements every call of
// package ebuy with e-Buy's transitions, answers refusals with e-Buy error
// envelopes (success false, errorCode, errorMessage; codes from package
// ebuy's ErrCode constants), replays the stored answer of a write repeated
// with the same uuid (or, for verify-syncVerifyNotify, the same
// cashierTransNo on the same day) without acting twice, sends signed
// notifications to a URL, and injects faults on demand.
//
// History record types (the type field of _queryCodeDetailList) are the
// fake's own, since e-Buy does not publish them: "1" made, "2" redeemed, "3"
// activated, "4" deactivated, "5" frozen, "6" unfrozen, "7" voided, "8"
// delayed, "9" redemption cancelled.
package ebuytest

import (
	"net/http"
	"sync"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/fakekit"
)

// Defaults of Config.
const (
	DefaultAppID     = "ebuytest0000app1"
	DefaultAppSecret = "ebuytest-secret-0123456789abcdef"
	DefaultBrandID   = "4339"
	// DefaultProductID is the product (batch) of codes made by MakeCodes.
	DefaultProductID ebuy.TicketID = 1031000000010741
)

// Config configures a fake. Zero fields take defaults.
type Config struct {
	// AppID and AppSecret are the only credentials the fake accepts.
	// Defaults DefaultAppID and DefaultAppSecret.
	AppID, AppSecret string
	// BrandID is the brand of the products. Default DefaultBrandID.
	BrandID string
	// Products are the coupon products (batches) codes are made of. Default:
	// one product, DefaultProductID, 星巴克中杯饮品券, 3000 fen.
	Products []Product
	// Now is the fake's clock. Default time.Now.
	Now func() time.Time
}

// Product is a coupon product of the fake.
type Product struct {
	// ID is the product (batch) id: ticketId, whaleTicketId, productId.
	ID ebuy.TicketID
	// Name is the product's name (ticketName, productName).
	Name string
	// Type is e-Buy's product type, such as merchandiseCoupon.
	Type string
	// UseTimes is how many times a code can be used.
	UseTimes int
	// BrandName is the brand's name.
	BrandName string
	// FaceValue is the amount of a code, in fen.
	FaceValue couponkit.Fen
}

// Request is a request the fake received.
type Request struct {
	// API is the path after /paas/micro/ecoupon/.
	API string
	// Header is the request's header.
	Header http.Header
	// Body is the body as received.
	Body []byte
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the gateway base URL, for ebuy.Config.Gateway.
	URL string

	cfg    Config
	srv    *fakekit.Server
	replay fakekit.Replay
	hc     *http.Client // sends notifications

	mu          sync.Mutex
	seq         int // codes made
	orderSeq    int // orders seeded
	products    map[ebuy.TicketID]Product
	codes       map[string]*codeState
	orders      map[string][]string // saleChannelOrderId → codes made
	redemptions map[string]*redemption
}

// NewServer starts a fake with cfg. Close it when done.
func NewServer(cfg Config) *Server {
	if cfg.AppID == "" {
		cfg.AppID = DefaultAppID
	}
	if cfg.AppSecret == "" {
		cfg.AppSecret = DefaultAppSecret
	}
	if cfg.BrandID == "" {
		cfg.BrandID = DefaultBrandID
	}
	if len(cfg.Products) == 0 {
		cfg.Products = []Product{{ID: DefaultProductID, Name: "星巴克中杯饮品券", Type: "merchandiseCoupon", UseTimes: 1, BrandName: "星巴克", FaceValue: 3000}}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg:         cfg,
		hc:          &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: 30 * time.Second},
		products:    make(map[ebuy.TicketID]Product),
		codes:       make(map[string]*codeState),
		orders:      make(map[string][]string),
		redemptions: make(map[string]*redemption),
	}
	for _, p := range cfg.Products {
		s.products[p.ID] = p
	}
	s.srv = fakekit.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the fake, releasing delayed requests, and waits for its
// handlers. It is safe to call more than once.
func (s *Server) Close() {
	s.srv.Close()
	s.hc.CloseIdleConnections()
}

// Client returns an HTTP client for the fake (plain HTTP on loopback).
func (s *Server) Client() *http.Client { return s.srv.Client() }

// ClientConfig returns an ebuy.Config for this fake: its URL and credentials.
func (s *Server) ClientConfig() ebuy.Config {
	return ebuy.Config{Gateway: s.URL, AppID: s.cfg.AppID, AppSecret: s.cfg.AppSecret, BrandID: s.cfg.BrandID}
}

// Secret returns the app secret the fake signs with (for notification handlers).
func (s *Server) Secret() string { return s.cfg.AppSecret }

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	rs := s.srv.Requests()
	out := make([]Request, len(rs))
	for i, r := range rs {
		out[i] = Request{API: apiOf(r.Path), Header: r.Header, Body: r.Body}
	}
	return out
}

// RequestCount returns how many requests were received.
func (s *Server) RequestCount() int { return s.srv.RequestCount() }

// FailNext answers the next request with a signed e-Buy error envelope
// carrying code and message, without acting on it.
func (s *Server) FailNext(code, message string) {
	s.srv.Inject(fakekit.Fault{Respond: func(w http.ResponseWriter, r *http.Request) {
		s.writeFailure(w, r, code, message)
	}})
}

// FailNextHTTP answers the next request with HTTP status (such as 503) and
// an unsigned error body, without acting on it.
func (s *Server) FailNextHTTP(status int) {
	s.srv.Inject(fakekit.Fault{Status: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"errorCode":"SYSTEM_ERROR","errorMessage":"gateway unavailable","success":false}`)})
}

// DelayNext holds the next request for d (or until the client gives up or
// the fake closes) before handling it.
func (s *Server) DelayNext(d time.Duration) { s.srv.Inject(fakekit.Fault{Delay: d}) }

// DropNext reads the next request, then closes the connection without acting
// on it or answering.
func (s *Server) DropNext() { s.srv.Inject(fakekit.Fault{Drop: true}) }

// DropNextAfterWrite handles the next request (so a write takes effect), then
// closes the connection without answering: the client cannot know the outcome.
func (s *Server) DropNextAfterWrite() { s.srv.Inject(fakekit.Fault{Drop: true, AfterHandler: true}) }

// TamperNextSign handles the next request, then answers with a sign that
// does not match the answer.
func (s *Server) TamperNextSign() {
	s.srv.Inject(fakekit.Fault{Respond: func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{h: http.Header{}}
		s.serve(rec, r)
		body := tamperSign(rec.body)
		for k, v := range rec.h {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status())
		_, _ = w.Write(body)
	}})
}

// recorder captures an answer so it can be altered.
type recorder struct {
	h    http.Header
	code int
	body []byte
}

func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) WriteHeader(code int)        { r.code = code }
func (r *recorder) Write(b []byte) (int, error) { r.body = append(r.body, b...); return len(b), nil }
func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}
