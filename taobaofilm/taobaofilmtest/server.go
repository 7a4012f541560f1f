// Package taobaofilmtest is a stateful fake of the Taobao Open Platform (TOP)
// gateway for film codes, started like net/http/httptest (on a loopback
// port, or in memory with Config.InMemory), for tests and examples that must
// run without Taobao.
//
// It checks every request as TOP does: app_key, v=2.0, format=json, the
// timestamp (Beijing time, at most Config.MaxSkew off the fake's clock), the
// session when Config.Session is set, and the signature for each sign_method
// (md5, hmac, hmac-sha256) over exactly the parameters received (URL query and
// form body). It answers taobao.film.fcode.export.query from seeded batches
// of any size with real paging (the cursor is read from the "params" JSON or a
// top-level parameter, as Config.CursorName names it), both the wrapped and
// the simplify=true JSON shapes, TOP error envelopes, and business failures
// in result.return_code. It issues codes for taobao.film.lottery.sendcode
// (each_num required, as apiId 37323 marks it; de-duplicated by
// ext_order_id, replaying the first answer; the codes in result as
// FCodeMerchantVo) and taobao.film.fcode.merchant.send (not de-duplicated;
// the flat answer of apiId 24722, each code wrapped in fcode_merchant_info,
// the list in fcodemerchantinfolist unless simplify=true): issued codes are
// appended to the batch and appear in its export (see Issued). It issues
// sessions (taobao.top.auth.token.create for a code from IssueCode,
// taobao.top.auth.token.refresh, or IssueToken), expires them on its clock
// (code 27, invalid-sessionkey), and refuses a refresh token used twice
// (see Tokens). It keeps TMC message queues (taobao.tmc.user.permit,
// taobao.tmc.messages.consume and taobao.tmc.messages.confirm, with
// redelivery of what is not confirmed on its clock), and produces a
// message when it issues codes or Redeem marks one (see Publish and
// TopicCodesSent). It answers taobao.film.account.phone.query from the
// accounts given with AddAccount (an unknown phone has none). Each of these
// methods is a route of the fake's table,
// listed by the file that answers it. Other methods are answered by
// handlers registered with Handle (which also replace the built-in ones),
// or with code 22.
//
// Faults: a Server has the controls every couponkit fake shares (see
// Server); on this gateway FailNext answers a TOP error_response with the
// code (a number, or a sub_code such as isp.remote-service-timeout under
// code 15) and message, ThrottleNext answers code 7 naming its window, and
// Request.API is the "method" parameter. Its own faults are FailNextError
// (any error envelope), FailNextBusiness (a result.return_code) and
// IgnoreCursorNext. Its clock
// is Config.Clock: on a couponkittest.Clock, delays and timestamp checks
// take no real time. The fake starts no goroutine that outlives Close.
package taobaofilmtest

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/taobaofilm"
)

// Defaults used when Config leaves a field empty.
const (
	// DefaultAppKey is the only app_key accepted by default.
	DefaultAppKey = "12345678"
	// DefaultAppSecret is the secret the fake checks signatures with by
	// default.
	DefaultAppSecret = "taobaofilmtest-secret"
	// DefaultMixID is the mix_id of DefaultBatch, the vendor page's example.
	DefaultMixID = "code_8ebc4e741689bbc1"
	// DefaultPartnerCode is the partner_code of DefaultBatch, the vendor
	// page's example.
	DefaultPartnerCode = "xuexiqiangguo"
	// DefaultPageSize is the most codes one export page holds (a count of
	// codes).
	DefaultPageSize = 100
	// DefaultMaxSkew is how far the timestamp (Beijing time) may be from the
	// fake's clock, either way, before code 31 (Invalid Timestamp).
	DefaultMaxSkew = 10 * time.Minute
	// DefaultCursorName is the name the export cursor is read under, the
	// response's own field name (taobaofilm.DefaultCursorName).
	DefaultCursorName = "last_sequence"
)

// GatewayPath is the path the fake serves, as TOP's /router/rest; Gateway
// returns URL() followed by it.
const GatewayPath = "/router/rest"

// InMemoryHost is the host of the URL of a fake started with
// Config.InMemory: URL() is "http://" + InMemoryHost. The name never
// resolves; only the fake's Transport, Client and ClientOption reach it.
const InMemoryHost = "taobaofilm.fake.invalid"

// Business return codes (result.return_code) the fake answers with. TOP
// documents none: these are the fake's own.
const (
	// ReturnCodeMixIDNotFound answers an export of an unknown mix_id.
	ReturnCodeMixIDNotFound = "FCODE_MIX_ID_NOT_FOUND"
	// ReturnCodePartnerMismatch answers an export whose partner_code is not the batch's.
	ReturnCodePartnerMismatch = "FCODE_PARTNER_MISMATCH"
)

const (
	exportResponseKey     = "film_fcode_export_query_response"
	formContentTypePrefix = "application/x-www-form-urlencoded"
)

// Config configures a Server. Zero fields take the defaults above.
type Config struct {
	// AppKey and AppSecret are the app's credentials the fake accepts.
	// Defaults: DefaultAppKey and DefaultAppSecret.
	AppKey, AppSecret string
	// Session, when set, must be sent as "session" (else codes 26/27),
	// or a session the fake issued (see IssueToken).
	Session string
	// SessionTTL is how long a session the fake issues lives, on its
	// clock. Default DefaultSessionTTL.
	SessionTTL time.Duration
	// RefreshTTL is how long a refresh token the fake issues lives.
	// Default DefaultRefreshTTL.
	RefreshTTL time.Duration
	// PageSize is the most codes one page holds. Default DefaultPageSize.
	PageSize int
	// MaxSkew is how far the timestamp (Beijing time) may be from the
	// fake's clock (else code 31). Default DefaultMaxSkew.
	MaxSkew time.Duration
	// Clock is the fake's clock: timestamps are checked against it and
	// DelayNext waits on it. Default couponkit.SystemClock.
	Clock couponkit.Clock
	// InMemory starts no listener: the fake is reached only through
	// Transport, Client or ClientOption, at "http://" + InMemoryHost.
	InMemory bool
	// CursorName is the name the cursor is read under, in the "params" JSON
	// or as a top-level parameter. Default DefaultCursorName.
	CursorName string
	// Batches are the batches served; default one DefaultBatch.
	Batches []Batch
	// SignMethods, when not empty, lists the sign_method values accepted,
	// separated by commas ("md5,hmac"); another is refused with code 25, as
	// a gateway that does not offer it would. Default: md5, hmac and
	// hmac-sha256, every method TOP documents.
	SignMethods string
	// MessageGroup is the TMC group the fake's own messages go to (see
	// TopicCodesSent). Default DefaultMessageGroup.
	MessageGroup string
	// RedeliveryDelay is how long a TMC message handed out stays in flight
	// before it is handed out again, on the fake's clock. Default
	// DefaultRedeliveryDelay.
	RedeliveryDelay time.Duration
}

// Error is a TOP error_response, answered with HTTP 200 as TOP does.
type Error struct {
	// Code is the platform code (code), such as 7 (throttled) or 25 (bad signature).
	Code int
	// Message is the platform message (msg), such as "Invalid Signature".
	Message string
	// SubCode is the sub-code (sub_code), such as "isp.remote-service-timeout"; empty
	// leaves it out.
	SubCode string
	// SubMessage is the sub-message (sub_msg); empty leaves it out.
	SubMessage string
}

// HandlerFunc answers a method registered with Handle. params are the
// request's parameters. It returns the object to put inside
// "<method>_response" (or at the top level with simplify=true), or an error
// envelope.
type HandlerFunc func(params url.Values) (result any, err *Error)

// Request is a request the fake received; its API is the TOP method (the
// "method" parameter). Params reads its form parameters.
type Request = couponkittest.Request

// Server is a running fake. Its methods are safe for concurrent use.
//
// Server embeds [couponkittest.Controls], the shared controls of every couponkit fake (see couponkittest.Fake): FailNext, FailNextHTTP, ThrottleNext, DelayNext, DropNext, DropNextAfterWrite, Inject, Requests, RequestCount, WaitRequests, URL, Transport, Client and Close.
// It also offers ClientOption (the couponkit option that sends a client's
// requests to the fake) and Clock (Config.Clock).
type Server struct {
	*couponkittest.Controls

	cfg   Config
	reqID atomic.Int64
	pool  sync.Pool

	mu       sync.Mutex
	batches  map[string]*batchState
	handlers map[string]HandlerFunc
	business []businessFault
	tasks    int64 // gen_task_id of the last issue
	replay   fakekit.Replay
	tokens   fakekit.Tokens // sessions, codes and refresh tokens (tokens.go)
	tmc      tmcState       // TMC message queues and permits (tmc.go)
	routes   *fakekit.Routes[handler]
	// lookups are the answers of the reads served from a table
	// (lookup.go), under their own lock.
	lookups fakekit.Lookups[any]
}

var _ couponkittest.Fake = (*Server)(nil)

// businessFault is an injected result.return_code failure.
type businessFault struct{ code, message string }

type batchState struct {
	Batch
	basic     []byte // the rendered "basic" object
	overrides map[int64]codeState
	issued    int64 // codes added by the issue methods
}

// NewServer starts a fake. It panics when a batch is invalid (no MixID or
// PartnerCode, a repeated MixID), as httptest does on failure.
func NewServer(cfg Config) *Server {
	if cfg.AppKey == "" {
		cfg.AppKey = DefaultAppKey
	}
	if cfg.AppSecret == "" {
		cfg.AppSecret = DefaultAppSecret
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.MaxSkew <= 0 {
		cfg.MaxSkew = DefaultMaxSkew
	}
	if cfg.CursorName == "" {
		cfg.CursorName = DefaultCursorName
	}
	if len(cfg.Batches) == 0 {
		cfg.Batches = []Batch{DefaultBatch()}
	}
	s := &Server{cfg: cfg, batches: map[string]*batchState{}, handlers: map[string]HandlerFunc{}, routes: areas.Routes(cfg)}
	for _, b := range cfg.Batches {
		if err := s.AddBatch(b); err != nil {
			panic(err)
		}
	}
	s.pool.New = func() any { b := make([]byte, 0, 16<<10); return &b }
	s.Controls = fakekit.New(http.HandlerFunc(s.serve), fakekit.Options{
		Fail:     s.failure,
		Throttle: s.throttle,
		API:      requestMethod,
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

// Gateway returns the router URL to use as taobaofilm.Config.Gateway: the
// fake's URL followed by GatewayPath.
func (s *Server) Gateway() string { return s.URL() + GatewayPath }

// requestMethod names a request's TOP method (its "method" parameter, in
// the form body or the URL query) for Request.API.
func requestMethod(r *http.Request, body []byte) string {
	if m := r.URL.Query().Get("method"); m != "" {
		return m
	}
	v, _ := url.ParseQuery(string(body))
	return v.Get("method")
}

// Params returns the form-body parameters of a request the fake received
// (the request log keeps no URL query).
func Params(r Request) url.Values {
	v := url.Values{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), formContentTypePrefix) {
		v, _ = url.ParseQuery(string(r.Body))
	}
	return v
}

// AddBatch adds a batch. Its MixID must be new.
func (s *Server) AddBatch(b Batch) error {
	if err := b.validate(); err != nil {
		return err
	}
	basic, err := renderBasic(&b)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.batches[b.MixID]; ok {
		return fmt.Errorf("taobaofilmtest: batch %q already exists", b.MixID)
	}
	s.batches[b.MixID] = &batchState{Batch: b, basic: basic, overrides: map[int64]codeState{}}
	return nil
}

// Handle answers method with h (replacing the previous handler, and the
// built-in one of an export or issue method), after the request passed the
// common checks.
func (s *Server) Handle(method string, h HandlerFunc) {
	s.mu.Lock()
	s.handlers[method] = h
	s.mu.Unlock()
}

// CodeAt returns code seq (1 to Count) of a batch, or false.
func (s *Server) CodeAt(mixID string, seq int64) (string, bool) {
	s.mu.Lock()
	b, ok := s.batches[mixID]
	s.mu.Unlock()
	if !ok || seq < 1 || seq > b.Count {
		return "", false
	}
	return string(b.appendCode(nil, seq)), true
}

// Redeem marks code seq of a batch redeemed (code_status 2, bound) at time at,
// and produces a TopicCodeRedeemed message when the fake's user is
// permitted it.
func (s *Server) Redeem(mixID string, seq int64, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.batches[mixID]
	if !ok || seq < 1 || seq > b.Count {
		return errors.New("taobaofilmtest: no such code")
	}
	b.overrides[seq] = codeState{status: statusRedeemed, bind: bindBound, modified: at}
	s.produce(TopicCodeRedeemed, CodeRedeemedContent{MixID: mixID, Code: string(b.appendCode(nil, seq)), RedeemedAt: cntime.Format(at)}, s.Clock().Now())
	return nil
}

// serve answers one request that no injected fault took over.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, false)
}

// handler answers the requests of one TOP method that passed the common
// checks.
type handler = func(s *Server, w http.ResponseWriter, q *request)

// request is a request that passed the common checks, as a handler reads it.
type request struct {
	// method is the TOP method, params the parameters (URL query and form
	// body).
	method string
	params url.Values
	// simplify asks for the simplified JSON shape.
	simplify bool
	// ignoreCursor answers an export as if it carried no cursor
	// (IgnoreCursorNext).
	ignoreCursor bool
}

// areas are the route lists of the built-in methods, each added by the file
// that answers them (var _ = areas.Add(…) beside its list); areas.Routes
// is a server's route table. TOP routes by the method parameter, not by
// path: the routes have none.
var areas fakekit.Areas[Config, handler]

// answer runs TOP's common checks, then the method's handler: one
// registered with Handle, else the built-in route, else code 22.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, ignoreCursor bool) {
	if r.URL.Path != GatewayPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		s.writeError(w, Error{Code: 9, Message: "Http Action Not Allowed"})
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: "request does not parse"})
		return
	}
	p := r.Form
	if e, ok := s.verify(p); !ok {
		s.writeError(w, e)
		return
	}
	q := &request{method: p.Get("method"), params: p, simplify: p.Get("simplify") == "true", ignoreCursor: ignoreCursor}
	s.mu.Lock()
	h := s.handlers[q.method]
	s.mu.Unlock()
	if h != nil {
		res, e := h(p)
		if e != nil {
			s.writeError(w, *e)
			return
		}
		s.writeResult(w, q.method, q.simplify, res)
		return
	}
	rt, ok := s.routes.ByAPI(q.method)
	if !ok {
		s.writeError(w, Error{Code: 22, Message: "Invalid Method", SubCode: "isv.method-not-exists", SubMessage: "no such method: " + q.method})
		return
	}
	rt.Handler(s, w, q)
}

// verify runs TOP's common checks.
func (s *Server) verify(p url.Values) (Error, bool) {
	switch {
	case p.Get("method") == "":
		return Error{Code: 21, Message: "Missing Method"}, false
	case p.Get("app_key") == "":
		return Error{Code: 28, Message: "Missing App Key"}, false
	case p.Get("app_key") != s.cfg.AppKey:
		return Error{Code: 29, Message: "Invalid App Key"}, false
	case p.Get("timestamp") == "":
		return Error{Code: 30, Message: "Missing Timestamp"}, false
	}
	ts, err := cntime.Parse(p.Get("timestamp"))
	if err != nil {
		return Error{Code: 31, Message: "Invalid Timestamp", SubMessage: "want yyyy-MM-dd HH:mm:ss in GMT+8"}, false
	}
	if cntime.Skew(ts, s.Clock().Now()) > s.cfg.MaxSkew {
		return Error{Code: 31, Message: "Invalid Timestamp", SubMessage: "timestamp is more than " + s.cfg.MaxSkew.String() + " from the server time"}, false
	}
	switch {
	case p.Get("v") == "":
		return Error{Code: 32, Message: "Missing Version"}, false
	case p.Get("v") != "2.0":
		return Error{Code: 34, Message: "Unsupported Version"}, false
	case p.Get("format") != "json":
		return Error{Code: 23, Message: "Invalid Format", SubMessage: "this fake answers format=json only"}, false
	case p.Get("sign") == "":
		return Error{Code: 24, Message: "Missing Signature"}, false
	}
	method := sign.TOPMethod(p.Get("sign_method"))
	if method == "" {
		method = sign.TOPMD5
	}
	if !s.signMethodAccepted(method) {
		return Error{Code: 25, Message: "Invalid Signature", SubMessage: "sign_method " + string(method) + " is not accepted"}, false
	}
	params := make([]sign.Param, 0, len(p))
	for k, v := range p {
		if k != "sign" {
			params = append(params, sign.Param{Key: k, Value: v[0]})
		}
	}
	want, err := sign.TOPSign(method, params, s.cfg.AppSecret)
	if err != nil || !sign.Equal(want, p.Get("sign")) {
		return Error{Code: 25, Message: "Invalid Signature"}, false
	}
	return s.checkSession(p)
}

// nextID returns a request id.
func (s *Server) nextID() string {
	return "fake" + strconv.FormatInt(1_000_000+s.reqID.Add(1), 36)
}

// ClientConfig returns a taobaofilm.Config that talks to this server with its
// credentials (and the cursor name it reads). An in-memory fake is reached
// with the client option ClientOption.
func (s *Server) ClientConfig() taobaofilm.Config {
	return taobaofilm.Config{Gateway: s.Gateway(), AppKey: s.cfg.AppKey, AppSecret: s.cfg.AppSecret, Session: s.cfg.Session, CursorName: s.cfg.CursorName}
}
