package houcaller

import (
	"strconv"

	"github.com/couponkit/couponkit/internal/wiretype"
)

// CouponStatus is the status of a coupon code as getLastSendCpnItem and
// listCpnItemByMember report it (a number on the wire).
type CouponStatus int

const (
	// CouponUnused is status 0: issued, not yet used (未使用).
	CouponUnused CouponStatus = 0
	// CouponRedeemed is status 1: used (已核销).
	CouponRedeemed CouponStatus = 1
	// CouponExpired is status 2: expired unused (已过期).
	CouponExpired CouponStatus = 2
	// CouponRefunded is status 3: refunded (已退款).
	CouponRefunded CouponStatus = 3
	// CouponGifting is status 7: being given to another member (转赠中).
	CouponGifting CouponStatus = 7
)

// String returns "unused", "redeemed", "expired", "refunded", "gifting", or
// "CouponStatus(n)" for an undocumented value.
func (s CouponStatus) String() string {
	switch s {
	case CouponUnused:
		return "unused"
	case CouponRedeemed:
		return "redeemed"
	case CouponExpired:
		return "expired"
	case CouponRefunded:
		return "refunded"
	case CouponGifting:
		return "gifting"
	default:
		return "CouponStatus(" + strconv.Itoa(int(s)) + ")"
	}
}

// UnmarshalJSON reads the status from a JSON number (1) or string ("1"), as
// the vendor writes it, for the data of a generic Call; null and "" leave
// CouponUnused.
func (s *CouponStatus) UnmarshalJSON(b []byte) error {
	var n wiretype.Int
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	*s = CouponStatus(n)
	return nil
}

// IssuedCoupon is one coupon item a sale issued and its codes (an element of
// data.list in the sendMncardForSale response example).
type IssuedCoupon struct {
	// CouponID is the coupon item (cpnId).
	CouponID string
	// Codes are the coupon codes issued to the member (cpnCodes).
	Codes []string
}

// wireIssued is an element of the sale's data.list as the vendor writes it.
type wireIssued struct {
	CpnID    wiretype.Text `json:"cpnId"`
	CpnCodes []string      `json:"cpnCodes"`
}
