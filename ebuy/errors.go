package ebuy

import (
	"strings"

	"github.com/couponkit/couponkit"
)

// e-Buy error codes this package knows. e-Buy publishes no errorCode table
// for 4.1 (an open point): the numeric codes are those of its 4.0 pages
// (returnCode), the others are the codes the fake (ebuytest) answers with.
// Config.CodeFaults adds codes seen on a real gateway.
const (
	// ErrCodeNotFound: the code does not exist (券码不存在; 4.0 returnCode 10).
	ErrCodeNotFound = "10"
	// ErrCodeBadSerial: the request serial number has a wrong length (4.0 returnCode 02).
	ErrCodeBadSerial = "02"
	// ErrCodeDuplicateSerial: the serial number was used before; query instead (4.0 returnCode 32).
	// On VoidMerchantRedemption (whose requestId is the serial number) it is
	// reported as couponkit.AlreadyApplied.
	ErrCodeDuplicateSerial = "32"
	// ErrCodeInvalidTransition: the code's status does not allow the operation
	// (更新码状态不支持当前操作; 4.0 returnCode 91).
	ErrCodeInvalidTransition = "91"
	// ErrCodeSignInvalid: the request's sign does not match (fake's code).
	ErrCodeSignInvalid = "SIGN_ERROR"
	// ErrCodeAppIDInvalid: the appId is unknown (fake's code).
	ErrCodeAppIDInvalid = "APPID_INVALID"
	// ErrCodeParamInvalid: a parameter is missing or malformed (fake's code).
	ErrCodeParamInvalid = "PARAM_ERROR"
	// ErrCodeNotFoundRedemption: no redemption matches originalUuid (fake's code).
	ErrCodeNotFoundRedemption = "VERIFY_NOT_FOUND"
	// ErrCodeSystem: an e-Buy internal failure; may succeed later (fake's code).
	ErrCodeSystem = "SYSTEM_ERROR"
	// ErrCodeThrottled: too many requests; wait for the window (fake's code).
	ErrCodeThrottled = "FLOW_LIMIT"
)

// errorFault is the errorCode → Fault table of the codes above.
func errorFault(code string) (couponkit.Fault, bool) {
	switch code {
	case ErrCodeNotFound, ErrCodeBadSerial, ErrCodeDuplicateSerial, ErrCodeInvalidTransition,
		ErrCodeParamInvalid, ErrCodeNotFoundRedemption:
		return couponkit.FaultClient, true
	case ErrCodeSignInvalid, ErrCodeAppIDInvalid:
		return couponkit.FaultAuth, true
	case ErrCodeSystem:
		return couponkit.FaultServer, true
	case ErrCodeThrottled:
		return couponkit.FaultThrottle, true
	}
	return couponkit.FaultUnknown, false
}

// fault classifies an e-Buy errorCode: Config.CodeFaults first, then this
// package's table, then keywords, else FaultUnknown.
func (c *Client) fault(code string) couponkit.Fault {
	if f, ok := c.faults[code]; ok {
		return f
	}
	return FaultFor(code)
}

// FaultFor classifies an e-Buy errorCode with this package's default table
// (see the ErrCode constants) and keyword rules; an unknown code is
// FaultUnknown. A Client consults its Config.CodeFaults first.
func FaultFor(code string) couponkit.Fault {
	if f, ok := errorFault(code); ok {
		return f
	}
	// Codes outside the table are classified by the words they contain, in
	// order: gateways of this family name their codes like SIGN_CHECK_FAIL,
	// INVALID_APPID, PARAM_NOT_EXIST, SYS_ERROR, RATE_LIMIT.
	keywords := [...]struct {
		word  string
		fault couponkit.Fault
	}{
		{"SIGN", couponkit.FaultAuth},
		{"APPID", couponkit.FaultAuth},
		{"AUTH", couponkit.FaultAuth},
		{"PERMISSION", couponkit.FaultAuth},
		{"LIMIT", couponkit.FaultThrottle},
		{"THROTTL", couponkit.FaultThrottle},
		{"TOO_MANY", couponkit.FaultThrottle},
		{"BUSY", couponkit.FaultServer},
		{"SYS", couponkit.FaultServer},
		{"TIMEOUT", couponkit.FaultServer},
		{"PARAM", couponkit.FaultClient},
		{"NOT_EXIST", couponkit.FaultClient},
		{"NOT_FOUND", couponkit.FaultClient},
		{"INVALID", couponkit.FaultClient},
	}
	up := strings.ToUpper(code)
	for _, k := range keywords {
		if strings.Contains(up, k.word) {
			return k.fault
		}
	}
	return couponkit.FaultUnknown
}
