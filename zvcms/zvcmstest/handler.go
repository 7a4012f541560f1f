package zvcmstest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/zvcms"
)

// The fake's error codes. The vendor's global codes are not public [open];
// these are the fake's own, answered with HTTP 200 (404 for an unknown API).
// System failures come with status false, business refusals with status true.
const (
	// CodeOK is success.
	CodeOK = "0"
	// CodeBadRequest (status false): the body is not the request JSON, a
	// field is missing, or the timestamp or nonce is malformed.
	CodeBadRequest = "400"
	// CodeBadToken (status false): unknown openId, wrong grantCode, or a
	// token that does not verify.
	CodeBadToken = "401"
	// CodeTimestampExpired (status false): the timestamp is more than the
	// window (5 minutes) away from the fake's clock.
	CodeTimestampExpired = "402"
	// CodeNonceReused (status false): the nonce was seen within the window.
	CodeNonceReused = "403"
	// CodeNoAPI (status false, HTTP 404): the path is not an API the fake
	// serves, or the V2 Action is none (see HandleV2).
	CodeNoAPI = "404"
	// CodeBadParam (status true): a business parameter is missing or malformed.
	CodeBadParam = "1001"
	// CodeNotFound (status true): "查询的信息不存在", an unknown customer, or
	// no coupon with the cardId asked for.
	CodeNotFound = "1002"
	// CodeCouponNotFound (status true): a coupon to redeem does not exist or
	// is not the customer's.
	CodeCouponNotFound = "2001"
	// CodeCouponRedeemed (status true): a coupon to redeem was already redeemed.
	CodeCouponRedeemed = "2002"
	// CodeCouponFrozen (status true): a coupon to redeem is frozen.
	CodeCouponFrozen = "2003"
	// CodeCouponUnusable (status true): a coupon to redeem is invalid,
	// deleted, being gifted or a timed-out gift.
	CodeCouponUnusable = "2004"
	// CodeCouponNotStarted (status true): a coupon to redeem is not valid yet.
	CodeCouponNotStarted = "2005"
	// CodeCouponExpired (status true): a coupon to redeem has expired.
	CodeCouponExpired = "2006"
	// CodeWrongChannel (status true): a coupon to redeem belongs to another
	// merchant account (channel).
	CodeWrongChannel = "2007"
	// CodeWriteOffNotFound (status true): no redemption with the bizId to
	// reverse, or not of the customer, or a code to reverse that it did not
	// redeem.
	CodeWriteOffNotFound = "2008"
	// CodeNotRedeemed (status true): a coupon to reverse is no longer
	// redeemed (reversed already, or changed since).
	CodeNotRedeemed = "2009"
	// CodeBizIDReused (status true): a write (writeOffCoupon,
	// issueCouponsToCustomer) with a bizId already applied but other params;
	// nothing is done. The same bizId with the same params is answered as
	// the first time instead. What the vendor does with a reused bizId is
	// not published [open].
	CodeBizIDReused = "2010"
	// CodeCouponRevoked (status true): a coupon to revoke (recycleCoupons)
	// was already revoked.
	CodeCouponRevoked = "2011"
)

// The APIs the fake serves. Each area file lists its routes (couponRoutes,
// flowRoutes) and adds the list to areas, each at its path by name (route).
const (
	apiQuery    = "getCustomerCoupons"
	apiWriteOff = "writeOffCoupon"
	apiReverse  = "couponReverse"
	apiList     = "getCustomerCouponList"
	apiIssue    = "issueCouponsToCustomer"
)

// handler answers one API's request, given its params.
type handler = func(*Server, http.ResponseWriter, json.RawMessage)

// areas are the fake's route lists: each area file adds its own
// (couponRoutes, flowRoutes, …) beside it.
var areas fakekit.Areas[Config, handler]

// newRoutes is the fake's route table for cfg: every area's routes.
func newRoutes(cfg Config) *fakekit.Routes[handler] {
	for name := range cfg.Paths {
		if _, ok := defaultPaths()[name]; !ok {
			panic("zvcmstest: Config.Paths names " + strconv.Quote(name) + ", which is no API of zvcms.APIs")
		}
	}
	return areas.Routes(cfg)
}

// defaultPaths are the zvcms package's default paths, by API name, from
// its registry.
var defaultPaths = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, a := range zvcms.APIs() {
		m[a.Operation] = a.Path
	}
	return m
})

// route serves api with h at its path: cfg.Paths's, or the zvcms
// package's default.
func route(cfg Config, api string, h handler) fakekit.Route[handler] {
	path, ok := cfg.Paths[api]
	if !ok {
		path = defaultPaths()[api]
	}
	return fakekit.Route[handler]{API: api, Path: path, Handler: h}
}

// requestBody is every request: credentials, timestamp, nonce, token, params.
type requestBody struct {
	OpenID    jsonx.Flex      `json:"openId"`
	GrantCode jsonx.Flex      `json:"grantCode"`
	Timestamp jsonx.Flex      `json:"timestamp"`
	Nonce     jsonx.Flex      `json:"nonce"`
	Token     jsonx.Flex      `json:"token"`
	Params    json.RawMessage `json:"params"`
}

// failure is a refusal: status false for system failures, true for business ones.
type failure struct {
	status        bool
	code, message string
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rt, ok := s.routes.ByPath(r.URL.Path)
	unknown := r.URL.Path
	if !ok && s.isV2(r.URL.Path) {
		rt, unknown, ok = s.v2Route(r)
	}
	if !ok {
		writeJSON(w, http.StatusNotFound, s.envelope(false, CodeNoAPI, "接口不存在: "+unknown, nil))
		return
	}
	if r.Method != http.MethodPost {
		s.fail(w, failure{false, CodeBadRequest, "请使用POST"})
		return
	}
	params, f := s.open(r)
	if f != nil {
		s.fail(w, *f)
		return
	}
	rt.Handler(s, w, params)
}

// open checks the request: fields, application, timestamp window, token,
// and nonce replay, in that order. A nonce is remembered only once the token
// verifies.
func (s *Server) open(r *http.Request) (json.RawMessage, *failure) {
	var b requestBody
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		return nil, &failure{false, CodeBadRequest, "请求体不是合法的JSON"}
	}
	for _, f := range []struct {
		name string
		v    jsonx.Flex
	}{{"openId", b.OpenID}, {"grantCode", b.GrantCode}, {"timestamp", b.Timestamp}, {"nonce", b.Nonce}, {"token", b.Token}} {
		if f.v == "" {
			return nil, &failure{false, CodeBadRequest, "缺少参数: " + f.name}
		}
	}
	p := bytes.TrimSpace(b.Params)
	if len(p) == 0 || p[0] != '{' {
		return nil, &failure{false, CodeBadRequest, "缺少参数: params"}
	}
	if string(b.OpenID) != s.cfg.OpenID {
		return nil, &failure{false, CodeBadToken, "openId不存在"}
	}
	if subtle.ConstantTimeCompare([]byte(b.GrantCode), []byte(s.cfg.GrantCode)) != 1 {
		return nil, &failure{false, CodeBadToken, "grantCode无效"}
	}
	ts, nonce := string(b.Timestamp), string(b.Nonce)
	sec, err := strconv.ParseUint(ts, 10, 64)
	if len(ts) != 10 || err != nil {
		return nil, &failure{false, CodeBadRequest, "timestamp应为10位秒级时间戳"}
	}
	if n, err := strconv.ParseUint(nonce, 10, 64); err != nil || n == 0 || len(nonce) > 19 {
		return nil, &failure{false, CodeBadRequest, "nonce应为正整数"}
	}
	now := s.Clock().Now()
	if d := now.Sub(time.Unix(int64(sec), 0)); d > s.cfg.Window || d < -s.cfg.Window {
		return nil, &failure{false, CodeTimestampExpired, "timestamp已过期"}
	}
	want := s.cfg.TokenFunc(s.cfg.OpenKey, s.cfg.OpenID, s.cfg.GrantCode, ts, nonce)
	if subtle.ConstantTimeCompare([]byte(unescape(string(b.Token))), []byte(unescape(want))) != 1 {
		return nil, &failure{false, CodeBadToken, "token校验失败"}
	}
	if !s.remember(nonce, now) {
		return nil, &failure{false, CodeNonceReused, "nonce重复"}
	}
	return p, nil
}

// remember records nonce, forgetting those older than the window, and
// reports whether it is new.
func (s *Server) remember(nonce string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for n < len(s.nonceOrder) && now.Sub(s.nonceOrder[n].at) > s.cfg.Window {
		delete(s.nonces, s.nonceOrder[n].nonce)
		n++
	}
	s.nonceOrder = s.nonceOrder[n:]
	if _, seen := s.nonces[nonce]; seen {
		return false
	}
	s.nonces[nonce] = now
	s.nonceOrder = append(s.nonceOrder, seenNonce{nonce, now})
	return true
}

// unescape undoes the token's URL escaping (a token sent unescaped compares
// equal too); a malformed escape is compared as is.
func unescape(t string) string {
	if u, err := url.PathUnescape(t); err == nil {
		return u
	}
	return t
}

// respEnvelope is a response body.
type respEnvelope struct {
	Status  any             `json:"status"`
	Code    any             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// envelope encodes a response, with status and code as strings or, with
// NativeTypes, as a bool and a number.
func (s *Server) envelope(status bool, code, message string, data json.RawMessage) []byte {
	e := respEnvelope{Status: strconv.FormatBool(status), Code: code, Message: message, Data: data}
	if s.cfg.NativeTypes {
		e.Status = status
		if n, err := strconv.ParseInt(code, 10, 64); err == nil {
			e.Code = n
		}
	}
	b, err := jsonx.Marshal(e)
	if err != nil {
		panic("zvcmstest: " + err.Error())
	}
	return b
}

// refusal encodes the answer that refuses with f.
func (s *Server) refusal(f failure) []byte {
	return s.envelope(f.status, f.code, f.message, nil)
}

// success encodes a success with message and data.
func (s *Server) success(message string, data any) []byte {
	d, err := jsonx.Marshal(data)
	if err != nil {
		panic("zvcmstest: " + err.Error())
	}
	return s.envelope(true, CodeOK, message, d)
}

func (s *Server) fail(w http.ResponseWriter, f failure) {
	writeJSON(w, http.StatusOK, s.refusal(f))
}

func (s *Server) ok(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, s.success("成功", data))
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
