package taobaofilmtest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/couponkittest"
)

// The shared faults (FailNext, FailNextHTTP, ThrottleNext, DelayNext,
// DropNext, DropNextAfterWrite) come from the embedded controls; these are
// TOP's own. Each applies to one following request, in the order injected.

// failure renders FailNext: an error_response with code (a number when it
// reads as one, as TOP sends it) and message; a code that is not a number
// is sent as the sub_code of code 15, so FailNext("isp.remote-service-timeout",
// …) is a server-side error.
func (s *Server) failure(code, message string) http.HandlerFunc {
	e := Error{Message: message}
	if n, err := strconv.Atoi(code); err == nil {
		e.Code = n
	} else {
		e.Code, e.SubCode = 15, code
	}
	return func(w http.ResponseWriter, _ *http.Request) { s.writeError(w, e) }
}

// throttle renders ThrottleNext: TOP's code 7 (App Call Limited), whose
// sub_msg names the window, "This ban will last for N more seconds" with N
// = window in whole seconds.
func (s *Server) throttle(window time.Duration) http.HandlerFunc {
	e := Error{
		Code: 7, Message: "App Call Limited", SubCode: "accesscontrol.limited-by-app-access-count",
		SubMessage: "This ban will last for " + strconv.FormatInt(int64(window/time.Second), 10) + " more seconds",
	}
	return func(w http.ResponseWriter, _ *http.Request) { s.writeError(w, e) }
}

// FailNextError answers the next request with the error_response e.
func (s *Server) FailNextError(e Error) {
	s.Inject(couponkittest.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) { s.writeError(w, e) }})
}

// FailNextBusiness makes the next export that passes the common checks
// answer a result with return_code code and return_message message.
func (s *Server) FailNextBusiness(code, message string) {
	s.mu.Lock()
	s.business = append(s.business, businessFault{code: code, message: message})
	s.mu.Unlock()
}

// IgnoreCursorNext makes the next request be answered as if it carried no
// cursor (the first page again): a gateway that ignores the cursor.
func (s *Server) IgnoreCursorNext() {
	s.Inject(couponkittest.Fault{Respond: func(w http.ResponseWriter, r *http.Request) { s.answer(w, r, true) }})
}
