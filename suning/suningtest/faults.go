package suningtest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/suning"
)

// Each fault below applies to one following request, in the order queued,
// whatever that request is; requests with no queued fault are served normally.

// FailNext answers the next request with the vendor error envelope
// {"sn_responseContent":{"sn_error":{"error_code":code,"error_msg":msg}}}
// without acting on it (use a code from package suning, such as
// suning.CodeAPIFrequencyLimit or suning.CodeServiceUnavailable).
func (s *Server) FailNext(code, msg string) {
	s.fk.Inject(fakekit.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, errorEnvelope(code, msg))
	}})
}

// FailNextResult answers the next request with a business failure in its
// node (resultCode "1" and msg; for a query also resultFlag "false"),
// without acting on it.
func (s *Server) FailNextResult(msg string) {
	s.fk.Inject(fakekit.Fault{Respond: func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(suning.HeaderAppMethod) == suning.MethodAppointQuery {
			writeJSON(w, bodyEnvelope(suning.NodeQueryAppoint, queryFailure{ResultFlag: "false", ResultCode: suning.ResultFailure, ResultMsg: msg}))
			return
		}
		writeJSON(w, bodyEnvelope(suning.NodeCreateAppoint, createAnswer{ResultCode: suning.ResultFailure, ResultMsg: msg}))
	}})
}

// FailNextHTTP answers the next request with an HTTP status (a 502 from a
// proxy, say) and a short HTML body, without acting on it.
func (s *Server) FailNextHTTP(status int) {
	s.fk.Inject(fakekit.Fault{Status: status, Body: []byte("<html><body>" + strconv.Itoa(status) + "</body></html>"),
		Header: http.Header{"Content-Type": {"text/html"}}})
}

// DelayNext holds the next request for d before serving it (or until the
// client gives up or the server closes).
func (s *Server) DelayNext(d time.Duration) {
	s.fk.Inject(fakekit.Fault{Delay: d})
}

// DropNext reads the next request and closes the connection without acting
// on it or answering.
func (s *Server) DropNext() {
	s.fk.Inject(fakekit.Fault{Drop: true})
}

// DropNextAfterWrite serves the next request (so a write takes effect) and
// then closes the connection without answering: the client cannot know the
// outcome.
func (s *Server) DropNextAfterWrite() {
	s.fk.Inject(fakekit.Fault{Drop: true, AfterHandler: true})
}
