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
// with the same uuid to the same API (or, for verify-syncVerifyNotify, the
// same cashierTransNo on the same day, and for verify-codeVerifyVoidNotify
// the same requestId, addressed to the repeat's own uuid) without acting
// twice, sends notifications (Notifier) to a URL or, in this process, to an
// http.Handler, builds notification bodies for a handler's tests
// (NotificationBody), and injects faults on demand.
//
// Its fault and inspection methods are the ones every couponkit fake shares
// (couponkittest.Fake: FailNext, FailNextHTTP, ThrottleNext, DelayNext,
// DropNext, DropNextAfterWrite, Inject, Requests, RequestCount,
// WaitRequests), plus e-Buy's own answer faults: TamperNextSign,
// OmitNextSign and SwapNextUUID. Start it on loopback with NewServer or
// Start, or without sockets with Config.InMemory. Its gateway is its URL
// itself (package ebuy appends /paas/micro/ecoupon/ and the API to
// Config.Gateway), so it has no Gateway method or GatewayPath constant:
// ClientConfig sets Gateway to URL().
//
// Taking back a redemption (verify-verifyCancel, verify-syncVerifyVoidNotify,
// verify-codeVerifyVoidNotify) makes its codes active again. makeCode
// (served at Config.MakeCodesPath) issues active codes to the order (Order
// lists them, history "1" then "3"); it is not de-duplicated by
// outerOrderId, as e-Buy publishes no such rule for 4.1, unless
// Config.MakeCodesDeduplicates asks for the rule of its 4.0 predecessor (a
// repeated order number answered with the earlier success).
// Config.SyncVoidAnswer and Config.MakeAnswer choose the answer shapes of
// verify-syncVerifyVoidNotify (page 9de6d prints one without success and
// uuid) and makeCode (no 4.1 page prints one; two namings are offered).
// RedeemAtTill records a till redemption under a cashierTransNo, as
// verify-syncVerifyNotify does.
//
// History record types (the type field of _queryCodeDetailList) are the
// fake's own, since e-Buy does not publish them: "1" made, "2" redeemed, "3"
// activated, "4" deactivated, "5" frozen, "6" unfrozen, "7" voided, "8"
// delayed, "9" redemption cancelled.
package ebuytest

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/fakekit"
)

// Defaults of Config.
const (
	// DefaultAppID is the appId the fake accepts when Config.AppID is empty.
	DefaultAppID = "ebuytest0000app1"
	// DefaultAppSecret is the key the fake checks and signs with when
	// Config.AppSecret is empty.
	DefaultAppSecret = "ebuytest-secret-0123456789abcdef"
	// DefaultBrandID is the brand of the default product when
	// Config.BrandID is empty.
	DefaultBrandID = "4339"
	// DefaultProductID is the product (batch) of codes made by MakeCodes.
	DefaultProductID ebuy.TicketID = 1031000000010741
	// InMemoryHost is the host of an in-memory fake's URL.
	InMemoryHost = "ebuy.fake.invalid"
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
	// Clock is the fake's clock: the time it stamps answers and state with,
	// and the clock DelayNext waits on (a couponkittest.Clock delays without
	// real time). Default couponkit.SystemClock.
	Clock couponkit.Clock
	// InMemory starts the fake without a listener, at http://InMemoryHost:
	// clients reach it through Transport, Client or ClientOption.
	InMemory bool
	// MaxCodesPerActivation, when above 0, makes batchActivateCode and
	// batchUnActivateCode refuse a request of more codes (PARAM_ERROR), as
	// a gateway with such a limit would. e-Buy publishes none; default 0,
	// no limit.
	MaxCodesPerActivation int
	// SyncVoidAnswer is the layout of verify-syncVerifyVoidNotify's answers:
	// SyncVoidEnvelope (the default) or SyncVoidAsPrinted, page 9de6d's
	// fields without success and uuid.
	SyncVoidAnswer SyncVoidAnswer
	// MakeAnswer is the naming of makeCode's answers: MakeAnswerItem (the
	// default, e-Buy's 4.0 make answer) or MakeAnswerItems (the 4.1 make
	// notification, page a516a).
	MakeAnswer MakeAnswer
	// MakeCodesDeduplicates makes makeCode answer a repeated outerOrderId
	// with its earlier success, addressed to the repeat's uuid, without
	// issuing again (a failed order is made anew), as e-Buy's 4.0 MakeCode
	// documents for a repeated order number. e-Buy 4.1 publishes no such
	// rule, so by default (false) a repeated outerOrderId issues new codes;
	// pair it with ebuy.Config.MakeCodesDeduplicates.
	MakeCodesDeduplicates bool
	// IgnoreUUID runs every write anew, even one whose uuid was answered
	// before, as a gateway that does not de-duplicate by uuid would (a
	// repeated activation is then refused by the code's new state). By
	// default (false) a write repeating an answered uuid gets that answer
	// again, the de-duplication the ebuy package assumes [open].
	IgnoreUUID bool
	// MakeCodesPath is the path segment makeCode is served at under
	// /paas/micro/ecoupon/, as ebuy.Config.MakeCodesPath. Default
	// ebuy.DefaultMakeCodesPath. ClientConfig hands it to the client.
	MakeCodesPath string
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

// Request is a request the fake received; its API is the path after
// /paas/micro/ecoupon/.
type Request = couponkittest.Request

// Server is a running fake gateway. Its methods are safe for concurrent use.
//
// Server embeds [couponkittest.Controls], the shared controls of every couponkit fake (see couponkittest.Fake): FailNext, FailNextHTTP, ThrottleNext, DelayNext, DropNext, DropNextAfterWrite, Inject, Requests, RequestCount, WaitRequests, URL, Transport, Client and Close.
//
// Beside them it has ClientOption (the couponkit.Option that sends a
// client's requests through Transport, needed with Config.InMemory) and
// Clock (Config.Clock). Request.API is the e-Buy API a request was sent
// to, the path after /paas/micro/ecoupon/ such as batchActivateCode
// (makeCode wherever Config.MakeCodesPath serves it; empty for a path the
// fake does not serve).
//
// On the wire, FailNext(code, message) is a signed e-Buy error envelope
// (success false, errorCode code, errorMessage message) answering the
// request's action and uuid, and ThrottleNext is the same envelope with
// ebuy.ErrCodeThrottled and the window in a Retry-After header (whole
// seconds, rounded up); neither acts on the request.
type Server struct {
	*couponkittest.Controls

	cfg    Config
	routes *fakekit.Routes[handler]
	replay fakekit.Replay
	hc     *http.Client // sends notifications

	mu          sync.Mutex
	seq         int // codes made
	orderSeq    int // orders seeded
	products    map[ebuy.TicketID]Product
	codes       map[string]*codeState
	orders      map[string][]string // saleChannelOrderId → codes made
	remarks     map[string]string   // outerOrderId → makeCode's remark
	redemptions map[string]*redemption
}

var _ couponkittest.Fake = (*Server)(nil)

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
	if cfg.Clock == nil {
		cfg.Clock = couponkit.SystemClock{}
	}
	s := &Server{
		cfg:         cfg,
		routes:      newRoutes(cfg),
		hc:          &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: 30 * time.Second},
		products:    make(map[ebuy.TicketID]Product),
		codes:       make(map[string]*codeState),
		orders:      make(map[string][]string),
		remarks:     make(map[string]string),
		redemptions: make(map[string]*redemption),
	}
	for _, p := range cfg.Products {
		s.products[p.ID] = p
	}
	s.Controls = fakekit.New(http.HandlerFunc(s.serve), fakekit.Options{
		Fail:     s.failNext,
		Throttle: s.throttleNext,
		API:      s.routes.PathAPI,
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

// Close stops the fake, releasing delayed requests, and waits for its
// handlers. It is safe to call more than once.
func (s *Server) Close() {
	s.Controls.Close()
	s.hc.CloseIdleConnections()
}

// ClientConfig returns an ebuy.Config for this fake: its URL, credentials,
// brand and makeCode path. An in-memory fake is reached only with
// ClientOption (or Client) among the client's options.
func (s *Server) ClientConfig() ebuy.Config {
	return ebuy.Config{Gateway: s.URL(), AppID: s.cfg.AppID, AppSecret: s.cfg.AppSecret, BrandID: s.cfg.BrandID, MakeCodesPath: s.cfg.MakeCodesPath}
}

// Secret returns the app secret the fake signs with (for notification handlers).
func (s *Server) Secret() string { return s.cfg.AppSecret }

// failNext renders FailNext: a signed e-Buy error envelope carrying code and
// message, answering the request's action and uuid, without acting on it.
func (s *Server) failNext(code, message string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.writeFailure(w, r, code, message) }
}

// throttleNext renders ThrottleNext: a signed error envelope with
// ebuy.ErrCodeThrottled (e-Buy publishes no window, so the window travels
// in a Retry-After header), without acting on the request.
func (s *Server) throttleNext(retryAfter time.Duration) http.HandlerFunc {
	secs := int64((retryAfter + time.Second - 1) / time.Second)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", strconv.FormatInt(max(secs, 0), 10))
		s.writeFailure(w, r, ebuy.ErrCodeThrottled, "请求过于频繁")
	}
}

// TamperNextSign handles the next request (so a write takes effect), then
// answers with a sign that does not match the answer.
func (s *Server) TamperNextSign() { s.rewriteNext(tamperSign) }

// OmitNextSign handles the next request (so a write takes effect), then
// answers without the sign field.
func (s *Server) OmitNextSign() {
	s.rewriteNext(func(body []byte) []byte {
		fields, err := wire.Fields(body)
		if err != nil {
			return body
		}
		kept := fields[:0]
		for _, f := range fields {
			if f.Key != "sign" {
				kept = append(kept, f)
			}
		}
		return unsignedObject(kept)
	})
}

// SwapNextUUID handles the next request (so a write takes effect), then
// answers with the same answer carrying another uuid, correctly signed: an
// answer that belongs to another request.
func (s *Server) SwapNextUUID() {
	s.rewriteNext(func(body []byte) []byte { return s.readdress(body, "20000101-00000000000000000000000000000000") })
}

// rewriteNext handles the next request, then answers with edit(answer).
func (s *Server) rewriteNext(edit func([]byte) []byte) {
	s.Inject(couponkittest.Fault{Respond: func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{h: http.Header{}}
		s.serve(rec, r)
		body := edit(rec.body)
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
