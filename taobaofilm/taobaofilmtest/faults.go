package taobaofilmtest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/internal/fakekit"
)

// Each of these methods applies to one following request, in the order injected.

// FailNext answers the next request with the error_response e.
func (s *Server) FailNext(e Error) {
	s.fk.Inject(fakekit.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) { s.writeError(w, e) }})
}

// ThrottleNext answers the next request with TOP's code 7 (App Call
// Limited), whose sub_msg names the window: "This ban will last for N more
// seconds" with N = window in whole seconds.
func (s *Server) ThrottleNext(window time.Duration) {
	s.FailNext(Error{
		Code: 7, Msg: "App Call Limited", SubCode: "accesscontrol.limited-by-app-access-count",
		SubMsg: "This ban will last for " + strconv.FormatInt(int64(window/time.Second), 10) + " more seconds",
	})
}

// FailNextServer answers the next request with a server-side (isp.*)
// error: code 15, sub_code isp.remote-service-timeout.
func (s *Server) FailNextServer() {
	s.FailNext(Error{Code: 15, Msg: "Remote service error", SubCode: "isp.remote-service-timeout", SubMsg: "远程服务调用超时"})
}

// FailNextBusiness makes the next export that passes the common checks
// answer a result with return_code code and return_message message.
func (s *Server) FailNextBusiness(code, message string) {
	s.mu.Lock()
	s.business = append(s.business, businessFault{code: code, message: message})
	s.mu.Unlock()
}

// FailNextHTTP answers the next request with HTTP status and a short HTML
// body, as a proxy in front of TOP would.
func (s *Server) FailNextHTTP(status int) {
	s.fk.Inject(fakekit.Fault{Status: status, Header: http.Header{"Content-Type": {"text/html"}},
		Body: []byte("<html><body>" + strconv.Itoa(status) + " " + http.StatusText(status) + "</body></html>")})
}

// DelayNext holds the next request for d (or until the client gives up or
// the server closes) before answering it normally.
func (s *Server) DelayNext(d time.Duration) {
	s.fk.Inject(fakekit.Fault{Delay: d})
}

// DropNext reads the next request and closes the connection without
// answering.
func (s *Server) DropNext() {
	s.fk.Inject(fakekit.Fault{Drop: true})
}

// IgnoreCursorNext makes the next request be answered as if it carried no
// cursor (the first page again): a gateway that ignores the cursor.
func (s *Server) IgnoreCursorNext() {
	s.fk.Inject(fakekit.Fault{Respond: func(w http.ResponseWriter, r *http.Request) { s.answer(w, r, true) }})
}
