package ebuy

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// A verified success answer must carry what its call exists for; one that
// does not is unreadable, never a success with nothing in it: a write's
// outcome is then unknown (after the Keyed retries, with its key) and a read
// is retried. What each typed call needs, from e-Buy's field tables:
//   - ActivateCodes, DeactivateCodes: codeNum above 0 or a non-empty
//     activeCodeDetails (page eecca), per chunk;
//   - UpdateCodeStatus: codeStatusList (page 577ef-q0F), per chunk; with
//     SupportPartial it may be empty (every code is then reported failed);
//   - ThirdBatchMake: at least one code in thirdCodeFamilySet (page b3e3e);
//   - MakeCodes: at least one code, in either naming (see MakeCodes);
//   - ProductDetail: the productId asked for (page 82cec);
//   - CodeHistory: returnData, which may be an empty list (page 34ed0);
//   - CancelRedemption: outerOrderId or createTime (page cfa08);
//   - SyncRedemptions: a non-empty per-code list (page 9872e-Axn);
//   - CancelSyncedRedemptions: a non-empty voidNotifyResultBOList (page
//     9de6d), every code of it one the request named when it named codes;
//   - VoidMerchantRedemption: status (page 6c988).

// emptySuccess is the error for a verified success answer without what the
// call exists for: unreadable, so the pipeline treats it as ambiguous.
func emptySuccess(what string) error {
	return transport.Unreadable(couponkit.FaultUnknown, "success answer without "+what+": the outcome cannot be read from it", nil)
}

// has reports whether the JSON object obj has a member key whose value is
// not null. obj must be valid JSON (content that Open returned is).
func has(obj []byte, key string) bool {
	found := false
	jsonx.EachMember(obj, func(name, value []byte) bool {
		if string(name) != key {
			return true
		}
		found = string(value) != "null"
		return false
	})
	return found
}
