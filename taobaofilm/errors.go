package taobaofilm

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
)

// TOP platform error codes (error_response.code) and the Fault each gets;
// [FaultFor] is the whole table, sub_codes included.
const (
	CodeAppCallLimited       = "7"  // the app hit its call quota: FaultThrottle
	CodeHTTPActionNotAllowed = "9"  // FaultClient
	CodeServiceUnavailable   = "10" // FaultServer
	CodeInsufficientISVPerm  = "11" // the app lacks the API permission: FaultAuth
	CodeInsufficientUserPerm = "12" // the session's user lacks the permission: FaultAuth
	CodeInsufficientPartner  = "13" // FaultAuth
	CodeRemoteServiceError   = "15" // FaultServer unless sub_code is isv.*
	CodeMissingMethod        = "21" // FaultClient
	CodeInvalidMethod        = "22" // FaultClient
	CodeInvalidFormat        = "23" // FaultClient
	CodeMissingSignature     = "24" // FaultAuth
	CodeInvalidSignature     = "25" // FaultAuth
	CodeMissingSession       = "26" // FaultAuth
	CodeInvalidSession       = "27" // FaultAuth
	CodeMissingAppKey        = "28" // FaultAuth
	CodeInvalidAppKey        = "29" // FaultAuth
	CodeMissingTimestamp     = "30" // FaultAuth
	CodeInvalidTimestamp     = "31" // the clock is off by more than 10 minutes: FaultAuth
	CodeMissingVersion       = "32" // FaultClient
	CodeInvalidVersion       = "33" // FaultClient
	CodeUnsupportedVersion   = "34" // FaultClient
	CodeMissingRequiredArgs  = "40" // FaultClient
	CodeInvalidArguments     = "41" // FaultClient
	CodeForbiddenRequest     = "42" // FaultClient
	CodeParameterError       = "43" // FaultClient
	CodeInvalidEncoding      = "47" // FaultClient
)

const (
	// SubCodeServerPrefix starts the sub_code of a server-side failure: FaultServer.
	SubCodeServerPrefix = "isp."
	// SubCodeCallerPrefix starts the sub_code of a caller's business error: FaultClient.
	SubCodeCallerPrefix = "isv."
	// ReturnCodeOK is the return_code of success.
	ReturnCodeOK = "0"
)

// The throttle window phrase: "This ban will last for 71 more seconds".
const (
	throttleWindowPhrase       = "will last for "
	throttleWindowPhraseSuffix = " more second"
)

// CodeAppCallLimited's siblings: the other call-quota codes of TOP's
// platform table, all FaultThrottle.
const (
	CodeUserCallLimited      = "4" // FaultThrottle
	CodeSessionCallLimited   = "5" // FaultThrottle
	CodePartnerCallLimited   = "6" // FaultThrottle
	CodeAppCallFrequencyOver = "8" // FaultThrottle
)

var codeFaults = map[string]couponkit.Fault{
	CodeUserCallLimited:      couponkit.FaultThrottle,
	CodeSessionCallLimited:   couponkit.FaultThrottle,
	CodePartnerCallLimited:   couponkit.FaultThrottle,
	CodeAppCallLimited:       couponkit.FaultThrottle,
	CodeAppCallFrequencyOver: couponkit.FaultThrottle,
	CodeHTTPActionNotAllowed: couponkit.FaultClient,
	CodeInsufficientISVPerm:  couponkit.FaultAuth,
	CodeInsufficientUserPerm: couponkit.FaultAuth,
	CodeInsufficientPartner:  couponkit.FaultAuth,
	CodeMissingMethod:        couponkit.FaultClient,
	CodeInvalidMethod:        couponkit.FaultClient,
	CodeInvalidFormat:        couponkit.FaultClient,
	CodeMissingSignature:     couponkit.FaultAuth,
	CodeInvalidSignature:     couponkit.FaultAuth,
	CodeMissingSession:       couponkit.FaultAuth,
	CodeInvalidSession:       couponkit.FaultAuth,
	CodeMissingAppKey:        couponkit.FaultAuth,
	CodeInvalidAppKey:        couponkit.FaultAuth,
	CodeMissingTimestamp:     couponkit.FaultAuth,
	CodeInvalidTimestamp:     couponkit.FaultAuth,
	CodeMissingVersion:       couponkit.FaultClient,
	CodeInvalidVersion:       couponkit.FaultClient,
	CodeUnsupportedVersion:   couponkit.FaultClient,
	CodeMissingRequiredArgs:  couponkit.FaultClient,
	CodeInvalidArguments:     couponkit.FaultClient,
	CodeForbiddenRequest:     couponkit.FaultClient,
	CodeParameterError:       couponkit.FaultClient,
	CodeInvalidEncoding:      couponkit.FaultClient,
}

// FaultFor is the default classification of a TOP error_response code or
// sub_code, as TOP spells it (Config.CodeFaults overrides it):
//
//   - the platform codes in the Code* constants have the Fault named beside
//     each: 4-8 (call quotas, such as 7, app call limited) are
//     FaultThrottle; 11/12/13 (permissions), 24-29 (signature, session, app
//     key) and 30/31 (timestamp; the host clock is off) are FaultAuth; 9,
//     21-23, 32-34, 40-43 and 47 (a malformed request) are FaultClient;
//     10 and 15 are FaultServer;
//   - a throttle sub_code (accesscontrol.limited-by-…, or an isv.* or isp.*
//     one naming an access or call limit, such as isv.access-limited-by-api-
//     access-count or isp.call-limited) is FaultThrottle;
//   - otherwise a sub_code starting "isp." is FaultServer (retryable) and one
//     starting "isv." is FaultClient;
//   - anything else is FaultUnknown.
//
// An error_response is classified by its code when the code is a platform
// code other than 10 and 15, else by its sub_code when FaultFor knows it,
// else by its code: code 15 with an isv.* sub_code is FaultClient.
//
// FaultFor does not classify a business return_code (a payload whose
// return_code is not "0", matching [ErrBusiness]): such a failure is
// FaultClient unless Config.CodeFaults names its code. It differs from the
// FaultUnknown of an unknown error_response code on purpose: a return_code
// comes from the business logic after TOP accepted the call, so it is a
// definite refusal, and TOP documents no return_code that a resend could
// cure [open].
func FaultFor(code string) couponkit.Fault {
	if f, ok := codeFaults[code]; ok {
		return f
	}
	switch {
	case isThrottleSubCode(code):
		return couponkit.FaultThrottle
	case strings.HasPrefix(code, SubCodeServerPrefix):
		return couponkit.FaultServer
	case strings.HasPrefix(code, SubCodeCallerPrefix):
		return couponkit.FaultClient
	case code == CodeServiceUnavailable, code == CodeRemoteServiceError:
		return couponkit.FaultServer
	}
	return couponkit.FaultUnknown
}

// isThrottleSubCode reports a sub_code of TOP's flow control.
func isThrottleSubCode(s string) bool {
	if strings.HasPrefix(s, "accesscontrol.limited") {
		return true
	}
	if !strings.HasPrefix(s, SubCodeServerPrefix) && !strings.HasPrefix(s, SubCodeCallerPrefix) {
		return false
	}
	return strings.Contains(s, "access-limit") || strings.Contains(s, "call-limit")
}

// faultOf classifies an error_response: Config.CodeFaults (sub_code, then
// code), then the rule described at [FaultFor].
func (c *Client) faultOf(code, subCode string) couponkit.Fault {
	if f, ok := c.faults[subCode]; ok && subCode != "" {
		return f
	}
	if f, ok := c.faults[code]; ok {
		return f
	}
	if code != CodeServiceUnavailable && code != CodeRemoteServiceError {
		if f, ok := codeFaults[code]; ok {
			return f
		}
	}
	if f := FaultFor(subCode); subCode != "" && f != couponkit.FaultUnknown {
		return f
	}
	return FaultFor(code)
}

// ErrBusiness is matched (errors.Is) by the error of a call that TOP accepted
// but whose return_code (in the payload, or in its result) is not "0": the
// *couponkit.Error's Code is the return code and its Message the return
// message.
var ErrBusiness = errors.New("taobaofilm: business failure (return_code)")

// apiError turns an error_response into a *couponkit.Error. A throttle's
// window, when sub_msg (or msg) says "This ban will last for N more
// seconds", becomes RetryAfter.
func (c *Client) apiError(e head) *couponkit.Error {
	msg := e.msg
	if e.subMsg != "" {
		if msg != "" {
			msg += ": "
		}
		msg += e.subMsg
	}
	if msg == "" {
		msg = "TOP error response"
	}
	ce := &couponkit.Error{Code: e.code, SubCode: e.subCode, Message: msg, RequestID: e.requestID, Fault: c.faultOf(e.code, e.subCode)}
	if ce.Fault == couponkit.FaultThrottle {
		ce.RetryAfter = throttleWindow(e.subMsg)
		if ce.RetryAfter == 0 {
			ce.RetryAfter = throttleWindow(e.msg)
		}
	}
	return ce
}

// throttleWindow reads N from "… will last for N more seconds", or returns 0.
func throttleWindow(s string) time.Duration {
	_, rest, ok := strings.Cut(s, throttleWindowPhrase)
	if !ok {
		return 0
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(rest[:i], 10, 32)
	if err != nil || !strings.HasPrefix(rest[i:], throttleWindowPhraseSuffix) {
		return 0
	}
	return time.Duration(n) * time.Second
}

// returnCodeFault classifies a business return_code: Config.CodeFaults,
// else couponkit.FaultClient (see [FaultFor]).
func (c *Client) returnCodeFault(code string) couponkit.Fault {
	if f, ok := c.faults[code]; ok {
		return f
	}
	return couponkit.FaultClient
}

// businessError is the error of a payload whose return_code is not "0".
func (c *Client) businessError(code, message, requestID string) *couponkit.Error {
	if message == "" {
		message = "business failure"
	}
	return &couponkit.Error{Code: code, Message: message, RequestID: requestID, Fault: c.returnCodeFault(code), Err: ErrBusiness}
}
