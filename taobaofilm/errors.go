package taobaofilm

import (
	"errors"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
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
	// ReturnCodeOK is the result.return_code of success.
	ReturnCodeOK = "0"
)

// The throttle window phrase: "This ban will last for 71 more seconds".
const (
	throttleWindowPhrase       = "will last for "
	throttleWindowPhraseSuffix = " more second"
)

var codeFaults = map[string]couponkit.Fault{
	CodeAppCallLimited:       couponkit.FaultThrottle,
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

// FaultFor classifies a TOP error_response by its code and sub_code:
//
//   - code 7 (app call limited) is FaultThrottle;
//   - the platform codes in the Code* constants have the Fault named beside
//     each: 11/12/13 (permissions), 24-29 (signature, session, app key) and
//     30/31 (timestamp; the host clock is off) are FaultAuth, 9, 21-23, 32-34,
//     40-43 and 47 (a malformed request) are FaultClient;
//   - otherwise a sub_code starting "isp." is FaultServer (retryable) and one
//     starting "isv." is FaultClient;
//   - otherwise codes 10 and 15 are FaultServer;
//   - anything else is FaultUnknown.
func FaultFor(code, subCode string) couponkit.Fault {
	if f, ok := codeFaults[code]; ok {
		return f
	}
	switch {
	case strings.HasPrefix(subCode, SubCodeServerPrefix):
		return couponkit.FaultServer
	case strings.HasPrefix(subCode, SubCodeCallerPrefix):
		return couponkit.FaultClient
	case code == CodeServiceUnavailable, code == CodeRemoteServiceError:
		return couponkit.FaultServer
	}
	return couponkit.FaultUnknown
}

// ErrBusiness is matched (errors.Is) by the error of a call that TOP accepted
// but whose result.return_code is not "0": the *couponkit.Error's Code is the
// return code and its Message the return message.
var ErrBusiness = errors.New("taobaofilm: business failure (result.return_code)")

// topError is TOP's error_response.
type topError struct {
	Code      jsonx.Flex `json:"code"`
	Msg       string     `json:"msg"`
	SubCode   string     `json:"sub_code"`
	SubMsg    string     `json:"sub_msg"`
	RequestID string     `json:"request_id"`
}

// apiError turns an error_response into a *couponkit.Error. A throttle's
// window, when sub_msg (or msg) says "This ban will last for N more
// seconds", becomes RetryAfter.
func apiError(e *topError) *couponkit.Error {
	code := string(e.Code)
	msg := e.Msg
	if e.SubMsg != "" {
		if msg != "" {
			msg += ": "
		}
		msg += e.SubMsg
	}
	if msg == "" {
		msg = "TOP error response"
	}
	ce := &couponkit.Error{Code: code, SubCode: e.SubCode, Message: msg, RequestID: e.RequestID, Fault: FaultFor(code, e.SubCode)}
	if ce.Fault == couponkit.FaultThrottle {
		ce.RetryAfter = throttleWindow(e.SubMsg)
		if ce.RetryAfter == 0 {
			ce.RetryAfter = throttleWindow(e.Msg)
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
	n, i := int64(0), 0
	for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
		if n > 1<<31 {
			return 0
		}
		n = n*10 + int64(rest[i]-'0')
	}
	if i == 0 || !strings.HasPrefix(rest[i:], throttleWindowPhraseSuffix) {
		return 0
	}
	return time.Duration(n) * time.Second
}

// businessError is the error of a result whose return_code is not "0".
func (c *Client) businessError(code, message, requestID string) *couponkit.Error {
	f, ok := c.returnFaults[code]
	if !ok {
		f = couponkit.FaultClient
	}
	if message == "" {
		message = "business failure"
	}
	return &couponkit.Error{Code: code, Message: message, RequestID: requestID, Fault: f, Err: ErrBusiness}
}
