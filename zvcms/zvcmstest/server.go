// Package zvcmstest is a stateful fake of the zvcms (智迈) CRM open API for
// tests. [NewServer] and [Start] listen on a loopback port, like
// net/http/httptest; with Config.InMemory they start no listener and the fake
// is reached in this process at http://[InMemoryHost]. It
// verifies each request's token with the application's OpenKey, rejects a
// timestamp more than five minutes off and a nonce it has seen within that
// window, keeps customers' coupons and their states, redeems them
// (writeOffCoupon) once per bizId, returning a bizId of its own, reverses a
// redemption (couponReverse) once by that bizId, issues coupons
// (issueCouponsToCustomer) once per bizId, lists them (getCustomerCoupons,
// getCustomerCouponList, filtered by useStatus, couponType and templateId),
// answers any V2 action a test gives a handler ([Server.HandleV2]),
// and injects faults on demand through the control surface every couponkit
// fake shares (couponkittest.Fake).
//
// A write repeated with its bizId and the same params is answered as the
// first time, without acting; with the same bizId but other params (other
// coupons after a reversal, say) it is refused with [CodeBizIDReused] and
// nothing is done. The vendor's rule for a reused bizId is not published
// [open]: that is the fake's choice, the one a live probe of the gateway
// must confirm (see the zvcms package doc).
//
// The vendor's global error codes are not public, so the fake's codes
// ([CodeBadRequest] …) are its own choice; its messages use the words the
// zvcms client classifies (token, timestamp, nonce: couponkit.FaultAuth), and
// business refusals come with status true, as on the vendor's page.
package zvcmstest

import (
	"maps"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/zvcms"
)

// InMemoryHost is the host of the URL of a fake started with
// Config.InMemory: URL() is "http://" + InMemoryHost. The name never
// resolves (.invalid), so only the fake's Transport reaches it.
const InMemoryHost = "zvcms.fake.invalid"

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
	// Window is how far a timestamp may be from the clock, and how long a
	// nonce is remembered. Default DefaultWindow (5 minutes).
	Window time.Duration
	// NativeTypes answers as the vendor family's clients read the answers
	// (their public CLI, and the sibling platform): status as a JSON bool,
	// code and the other integers (useStatus, couponType, total, num, a
	// write-off's bizId) as JSON numbers, templateId as a string, each coupon
	// with templateName, endTime and couponNo beside the page's names, and
	// getCustomerCoupons' data as {list, total}. By default the fake answers
	// as the vendor's page prints: every scalar a string, and
	// getCustomerCoupons' data an array (one object for a cardId).
	NativeTypes bool
	// ReverseByVendorBizID accepts a reversal (couponReverse) only by the
	// bizId the write-off returned (Redemption.VendorBizID), as the vendor's
	// page says a reversal goes by it; by default the bizId the write-off
	// was sent with is accepted too, which the vendor's page leaves open.
	ReverseByVendorBizID bool
	// MaxPageSize, when above 0, caps getCustomerCouponList's pageSize and
	// the reconciliation's perPage: a larger one is served (and paged) as
	// MaxPageSize, as a gateway with such a cap would. The vendor publishes
	// none for the list [open]; default 0, no cap.
	MaxPageSize int
	// V2IgnoresPage serves the first page of the reconciliation whatever
	// page is asked, as a gateway that reads the page number under another
	// name than the client sends (zvcms.Config.V2PageParam) would.
	V2IgnoresPage bool
	// Clock is the gateway's clock: it checks timestamps, dates coupons and
	// redemptions, and times DelayNext. Give the client the same one
	// (couponkit.WithClock), such as a couponkittest.Clock, to run without
	// real waits. Default couponkit.SystemClock.
	Clock couponkit.Clock
	// InMemory starts no listener: the fake is reached in this process
	// through Transport, Client or ClientOption, at http://[InMemoryHost].
	// By default the fake listens on a loopback port.
	InMemory bool
	// Paths serves APIs at other paths than the zvcms package's defaults,
	// by API name, as zvcms.Config.Paths moves them (ClientConfig hands it
	// to the client), such as {"couponReverse": "/v3/x/reverse"}. NewServer
	// panics on a name that is no API of zvcms.APIs.
	Paths map[string]string
}

// Server is a running fake gateway. Its methods are safe for concurrent use.
//
// Server embeds [couponkittest.Controls], the shared controls of every couponkit fake (see couponkittest.Fake): FailNext, FailNextHTTP, ThrottleNext, DelayNext, DropNext, DropNextAfterWrite, Inject, Requests, RequestCount, WaitRequests, URL, Transport, Client and Close.
//
// Beside them it has ClientOption (the couponkit.Option that sends a
// client's requests through Transport, needed with Config.InMemory) and
// Clock (Config.Clock). Request.API is the API's name, such as
// "writeOffCoupon" (empty for a path the fake does not serve). The fake's
// gateway is URL itself (ClientConfig's Gateway):
// it serves each API at the path the client appends, such as
// /v3/crm/coupon/getCustomerCoupons, so it has no gateway path of its own.
//
// On the wire, FailNext(code, message) answers a business refusal
// ({"status": "true", "code": code, "message": message}, HTTP 200);
// [Server.FailNextSystem] answers a system failure (status "false").
// ThrottleNext answers HTTP 429 with Retry-After (the vendor's throttle
// answer is not published).
type Server struct {
	*couponkittest.Controls

	cfg    Config
	routes *fakekit.Routes[handler]
	replay fakekit.Replay

	mu          sync.Mutex
	customers   map[string][]string      // customer id → card ids in the order added
	coupons     map[string]*zvcms.Coupon // card id → coupon
	templates   map[int64]zvcms.Template // template id → template (AddTemplate)
	nonces      map[string]time.Time     // nonce → when first seen
	nonceOrder  []seenNonce
	redemptions []Redemption
	reversals   []Reversal
	issues      []Issue
	seq         int64 // the last number of the fake's card and coupon ids
	bizSeq      int64 // the last number of the bizIds the fake returns

	exchangeState // redemption codes (exchange.go), under mu
	revokeState   // grants to revoke (revoke.go), under mu
	v2State       // the V2 calls' data (v2.go), under mu

	// lookups are the answers of the reads served from a table (lookup.go),
	// under their own lock.
	lookups fakekit.Lookups[func(*Server) any]
}

var _ couponkittest.Fake = (*Server)(nil)

type seenNonce struct {
	nonce string
	at    time.Time
}

// NewServer starts a fake gateway. Close it when done.
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
	if cfg.Clock == nil {
		cfg.Clock = couponkit.SystemClock{}
	}
	s := &Server{
		cfg:       cfg,
		routes:    newRoutes(cfg),
		customers: make(map[string][]string),
		coupons:   make(map[string]*zvcms.Coupon),
		nonces:    make(map[string]time.Time),
	}
	s.Controls = fakekit.New(http.HandlerFunc(s.serve), fakekit.Options{
		Fail: func(code, message string) http.HandlerFunc {
			body := s.envelope(true, code, message, nil)
			return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, body) }
		},
		API:      s.apiOf,
		Clock:    cfg.Clock,
		InMemory: cfg.InMemory,
		Host:     InMemoryHost,
	})
	return s
}

// Start starts a fake gateway that closes when tb's test ends.
func Start(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	s := NewServer(cfg)
	tb.Cleanup(s.Close)
	return s
}

// ClientConfig returns a zvcms.Config that talks to this server. With
// InMemory, give the client ClientOption() too.
func (s *Server) ClientConfig() zvcms.Config {
	return zvcms.Config{
		Gateway:   s.URL(),
		OpenID:    s.cfg.OpenID,
		OpenKey:   s.cfg.OpenKey,
		GrantCode: s.cfg.GrantCode,
		TokenFunc: s.cfg.TokenFunc,
		Paths:     maps.Clone(s.cfg.Paths),
	}
}

// FailNextSystem answers the next request with a system failure,
// {"status": "false", "code": code, "message": message} and HTTP 200, without
// acting on it.
func (s *Server) FailNextSystem(code, message string) {
	body := s.envelope(false, code, message, nil)
	s.Inject(couponkittest.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, body) }})
}
