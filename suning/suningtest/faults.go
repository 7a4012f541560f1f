package suningtest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/suning"
)

// failure renders the vendor error envelope
// {"sn_responseContent":{"sn_error":{"error_code":code,"error_msg":msg}}}
// for FailNext (use a code from package suning, such as
// suning.CodeServiceUnavailable).
func failure(code, msg string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, errorEnvelope(code, msg)) }
}

// throttle renders the vendor's rate-limit answer for ThrottleNext: an
// sn_error with suning.CodeAPIFrequencyLimit. The vendor names no window,
// so retryAfter is not carried; clients wait their policy's ThrottleDelay.
func throttle(time.Duration) http.HandlerFunc {
	return failure(suning.CodeAPIFrequencyLimit, "访问频率限制")
}

// FailNextBusiness answers the next request with a business failure inside
// its node, without acting on it: resultFlag "false", resultCode code (use
// suning.ResultFailure, "1", as the vendor documents for createAppoint) and
// resultMsg message, in the node of the request's method (createAppoint
// when the method is not one the fake serves). The envelope carries no
// sn_error: the gateway accepted the request and the business refused it.
func (s *Server) FailNextBusiness(code, message string) {
	s.Inject(couponkittest.Fault{Respond: func(w http.ResponseWriter, r *http.Request) {
		node := suning.NodeCreateAppoint
		if rt, ok := s.routes.ByAPI(r.Header.Get(suning.HeaderAppMethod)); ok {
			node = rt.Handler.node
		}
		writeJSON(w, bodyEnvelope(node, nodeFailure{ResultFlag: "false", ResultCode: code, ResultMessage: message}))
	}})
}

// AnswerNextAfterWrite serves the next request (so a write takes effect),
// then answers status and body in place of the vendor's answer, as a proxy
// that mangles answers would: the client cannot know the outcome. The
// Content-Type is sniffed from body.
func (s *Server) AnswerNextAfterWrite(status int, body string) {
	s.Inject(couponkittest.Fault{Status: status, Body: []byte(body), AfterHandler: true})
}

// TruncateNextAfterWrite serves the next request (so a write takes
// effect), then sends the head of its answer: the Content-Length of the
// whole answer with only the first half of its body.
func (s *Server) TruncateNextAfterWrite() {
	s.Inject(couponkittest.Fault{Respond: func(w http.ResponseWriter, r *http.Request) {
		rec := &discard{h: http.Header{}}
		s.serve(rec, r)
		whole := rec.body
		if len(whole) < 2 {
			whole = append(whole, `{"sn_responseContent":{}}`...)
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(whole)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(whole[:len(whole)/2])
	}})
}

// discard is a ResponseWriter that keeps the body written to it.
type discard struct {
	h    http.Header
	body []byte
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { d.body = append(d.body, b...); return len(b), nil }
func (d *discard) WriteHeader(int)             {}
