package suning

import (
	"errors"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// wireResult is the result fields of a business node judged by resultFlag
// or resultCode: the nodes of Query, GotoAppoint and BookingInfo, and of a
// generic Call. A field the node does not carry stays nil.
type wireResult struct {
	ResultFlag    *wiretype.Text `json:"resultFlag"`
	ResultCode    *wiretype.Text `json:"resultCode"`
	ResultMessage wiretype.Text  `json:"resultMsg"`
}

// Failure reports the business failure the node carries [open]: a
// resultFlag, when present, decides ("true", in any case, is success);
// otherwise a resultCode, when present, must be "0". The code of a failure
// is the resultCode, or ResultFailure ("1") when only the flag was sent.
func (r *wireResult) Failure() (code, message string, failed bool) {
	switch {
	case r.ResultFlag != nil:
		failed = !strings.EqualFold(string(*r.ResultFlag), "true")
	case r.ResultCode != nil:
		failed = string(*r.ResultCode) != ResultSuccess
	}
	if !failed {
		return "", "", false
	}
	code = ResultFailure
	if r.ResultCode != nil && *r.ResultCode != "" {
		code = string(*r.ResultCode)
	}
	return code, string(r.ResultMessage), true
}

// errNoResultField is why a node that carries neither resultFlag nor
// resultCode is not a definite answer.
var errNoResultField = errors.New("the node has neither resultFlag nor resultCode")

// complete reports a node without a result field: the answers of these
// methods are not published, so a result field is the least a success
// must carry.
func (r *wireResult) complete() error {
	if r.ResultFlag == nil && r.ResultCode == nil {
		return errNoResultField
	}
	return nil
}

// code returns the resultCode as sent, "" when absent.
func (r *wireResult) code() string {
	if r.ResultCode == nil {
		return ""
	}
	return string(*r.ResultCode)
}

// resultFault is the fault of a business failure a node reports (the typed
// calls' Typed.Fault): the vendor answered and refused, so it is the
// caller's to fix, whatever the code.
func resultFault(string) couponkit.Fault { return couponkit.FaultClient }
