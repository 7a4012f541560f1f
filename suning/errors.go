package suning

import (
	"strings"

	"github.com/couponkit/couponkit"
)

// Error codes of the vendor's error table (the error_code of an sn_error).
// A couponkit.Error keeps the whole code as the vendor sent it, field suffix
// included ("biz.custom.createappoint.missing-parameter:actionName").
const (
	// CodeMissingParameter prefixes "…:<field>": a required field is missing.
	CodeMissingParameter = "biz.custom.createappoint.missing-parameter"
	// CodeLengthOverlong prefixes "…:<field>": a value is longer than allowed.
	CodeLengthOverlong = "biz.custom.createappoint.length-overlong"
	// CodeEnumerationError prefixes "…:<field>": a value is not one of the field's enumeration.
	CodeEnumerationError = "biz.custom.createappoint.enumeration-error"
	// CodeFormatError prefixes "…:<field>": a value is malformed (a time, a number).
	CodeFormatError = "biz.custom.createappoint.format-error"
	// CodeServiceUnavailable: the appointment service is unavailable.
	CodeServiceUnavailable = "isp.sys.service.unavailable.pss"

	// CodeUserInexistence: the access token (or the app key) does not exist.
	CodeUserInexistence = "sys.check.user-permission:inexistence"
	// CodeUserOverdue: the access token has expired.
	CodeUserOverdue = "sys.check.user-permission:overdue"
	// CodeAPIInexistence: no such API method.
	CodeAPIInexistence = "sys.check.api-permission:inexistence"
	// CodeAPIOverdue: the API method has expired.
	CodeAPIOverdue = "sys.check.api-permission:overdue"
	// CodeMethodAuthority: the app may not call this method.
	CodeMethodAuthority = "sys.check.method-permission:authority"
	// CodeVendorAuthority: the app may not act for this vendor (the vendor spells it "errory").
	CodeVendorAuthority = "sys.auth.vendor-request:errory"
	// CodeAPIRequestLimit: the method's call quota is exhausted.
	CodeAPIRequestLimit = "sys.controller.api-request:limit"
	// CodeAPIAccessLimit: access is limited.
	CodeAPIAccessLimit = "sys.controller.api-access:limit"
	// CodeAPIFrequencyLimit: the call rate is limited.
	CodeAPIFrequencyLimit = "sys.controller.api-frequency:limit"
	// CodeAppTime: AppRequestTime is more than 10 minutes off the gateway's clock.
	CodeAppTime = "sys.check.app-time:error"
	// CodeAppRequestTime: AppRequestTime is malformed or off the gateway's
	// clock. Not in the vendor's table; gateways answer it in the wild.
	CodeAppRequestTime = "sys.check.request-apprequesttime:error"
	// CodeRequestParams: the request body's structure is wrong.
	CodeRequestParams = "sys.check.request-params:error"
	// CodeSignNull: the signInfo header is empty.
	CodeSignNull = "sys.check.app-sign:null"
	// CodeSignError: signInfo does not verify.
	CodeSignError = "sys.check.app-sign:error"
	// CodeMissingAPIVersion: the VersionNo header is missing.
	CodeMissingAPIVersion = "sys.check.missing-parameter:apiversion"
	// CodeMissingRequestTime: the AppRequestTime header is missing.
	CodeMissingRequestTime = "sys.check.missing-parameter:appRequestTime"
	// CodeMissingSnBody: the body has no sn_body node.
	CodeMissingSnBody = "sys.check.missing-nestElement:sn_body"
	// CodeHeaderParamNull: a header parameter is empty.
	CodeHeaderParamNull = "sys.check.header-param:null"
	// CodeDataGetFail: the business operation on the data failed.
	CodeDataGetFail = "biz.handler.data-get:fail"
	// CodeNoResult: the business data looked up does not exist.
	CodeNoResult = "biz.handler.data-get:no-result"
	// CodeNetworkFailure: a network failure inside the vendor.
	CodeNetworkFailure = "sys.error.network:failure"
)

// Business result codes (resultCode) of suning.custom.appoint.create.
const (
	// ResultSuccess is resultCode "0".
	ResultSuccess = "0"
	// ResultFailure is resultCode "1"; resultMsg says why.
	ResultFailure = "1"
)

// FaultFor classifies a vendor error code, following the vendor's table
// (Config.CodeFaults overrides it per client):
//
//   - sys.controller.*:limit is Throttle;
//   - signature, time, token, permission and app-key codes
//     (sys.check.app-sign:*, sys.check.app-time:*,
//     sys.check.request-apprequesttime:*, sys.check.user-permission:*,
//     sys.check.api-permission:*, sys.check.method-permission:*, sys.auth.*)
//     are Auth: fix the configuration;
//   - isp.* and sys.error.network* are Server;
//   - every other sys.check.* and every biz.* is Client;
//   - anything else is Unknown.
func FaultFor(code string) couponkit.Fault {
	switch {
	case strings.HasPrefix(code, "sys.controller.") && strings.HasSuffix(code, ":limit"):
		return couponkit.FaultThrottle
	case strings.HasPrefix(code, "sys.check.app-sign:"),
		strings.HasPrefix(code, "sys.check.app-time:"),
		strings.HasPrefix(code, "sys.check.request-apprequesttime:"),
		strings.HasPrefix(code, "sys.check.user-permission:"),
		strings.HasPrefix(code, "sys.check.api-permission:"),
		strings.HasPrefix(code, "sys.check.method-permission:"),
		strings.HasPrefix(code, "sys.auth."):
		return couponkit.FaultAuth
	case strings.HasPrefix(code, "isp."), strings.HasPrefix(code, "sys.error.network"):
		return couponkit.FaultServer
	case strings.HasPrefix(code, "sys.check."), strings.HasPrefix(code, "biz."):
		return couponkit.FaultClient
	default:
		return couponkit.FaultUnknown
	}
}

// faultFor classifies code with the client's overrides: the whole code,
// then the code without its ":<suffix>", then FaultFor.
func (c *Client) faultFor(code string) couponkit.Fault {
	if len(c.faults) > 0 {
		if f, ok := c.faults[code]; ok {
			return f
		}
		if i := strings.LastIndexByte(code, ':'); i >= 0 {
			if f, ok := c.faults[code[:i]]; ok {
				return f
			}
		}
	}
	return FaultFor(code)
}

// vendorError is the error of an sn_error envelope.
func (c *Client) vendorError(code, msg string) *couponkit.Error {
	if msg == "" {
		msg = "vendor error"
	}
	return &couponkit.Error{Vendor: Vendor, Code: code, Message: msg, Fault: c.faultFor(code)}
}

// resultError is the error of a business failure a generic Call's node
// reports: the vendor answered and refused. Its Code is the resultCode ("1")
// and its Message the resultMsg (without one, the words a typed call's
// failure has, see transport.Send); the Fault is Client (do not resend
// unchanged).
func resultError(code, msg string) *couponkit.Error {
	if msg == "" {
		msg = "the vendor reported failure " + code
	}
	return &couponkit.Error{Vendor: Vendor, Code: code, Message: msg, Fault: couponkit.FaultClient}
}
