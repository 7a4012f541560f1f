package zvcms

import "strconv"

// UseStatus is a coupon's state (useStatus). The vendor sends it as a number
// or a string of digits; both decode.
type UseStatus int

const (
	// UseStatusUnused is 0: not used yet, or a redemption was reversed (未使用/已冲正).
	UseStatusUnused UseStatus = 0
	// UseStatusRedeemed is 1: redeemed (已使用/已核销).
	UseStatusRedeemed UseStatus = 1
	// UseStatusFrozen is 2: frozen (已冻结).
	UseStatusFrozen UseStatus = 2
	// UseStatusGifting is 4: being given to another customer (转赠中).
	UseStatusGifting UseStatus = 4
	// UseStatusGiftExpired is 5: a gift that was not accepted in time (转赠超时).
	UseStatusGiftExpired UseStatus = 5
	// UseStatusInvalid is 6: no longer valid (已失效).
	UseStatusInvalid UseStatus = 6
	// UseStatusDeleted is 7: deleted or recalled (已删除/已回收).
	UseStatusDeleted UseStatus = 7
)

// UseStatuses lists every documented UseStatus in the vendor's order.
func UseStatuses() []UseStatus {
	return []UseStatus{UseStatusUnused, UseStatusRedeemed, UseStatusFrozen, UseStatusGifting, UseStatusGiftExpired, UseStatusInvalid, UseStatusDeleted}
}

// Known reports whether s is one of the documented states.
func (s UseStatus) Known() bool {
	switch s {
	case UseStatusUnused, UseStatusRedeemed, UseStatusFrozen, UseStatusGifting, UseStatusGiftExpired, UseStatusInvalid, UseStatusDeleted:
		return true
	}
	return false
}

// Ptr returns a pointer to a copy of s, for the optional
// CustomerCouponsRequest.UseStatus filter.
func (s UseStatus) Ptr() *UseStatus { return &s }

// String returns the state's English name, such as "unused", or
// "UseStatus(9)" for a state the vendor did not document.
func (s UseStatus) String() string {
	switch s {
	case UseStatusUnused:
		return "unused"
	case UseStatusRedeemed:
		return "redeemed"
	case UseStatusFrozen:
		return "frozen"
	case UseStatusGifting:
		return "gifting"
	case UseStatusGiftExpired:
		return "gift expired"
	case UseStatusInvalid:
		return "invalid"
	case UseStatusDeleted:
		return "deleted"
	default:
		return "UseStatus(" + strconv.Itoa(int(s)) + ")"
	}
}

// CouponType is a coupon's kind (couponType). The vendor sends it as a number
// or a string of digits; both decode. There is no type 1.
type CouponType int

const (
	// CouponTypeCash is 0: a cash or discount coupon (现金券/折扣券).
	CouponTypeCash CouponType = 0
	// CouponTypeLimitedFree is 2: a free-order coupon limited in number (限制数量免单券).
	CouponTypeLimitedFree CouponType = 2
	// CouponTypeERPExchange is 3: an ERP exchange coupon, used in stores (erp兑换券).
	CouponTypeERPExchange CouponType = 3
	// CouponTypeBuyMGetN is 4: buy M, get N free (买M送N券).
	CouponTypeBuyMGetN CouponType = 4
	// CouponTypeGoods is 5: a goods coupon (商品券).
	CouponTypeGoods CouponType = 5
	// CouponTypeFreeDelivery is 6: free shipping or delivery (免运费/配送费券).
	CouponTypeFreeDelivery CouponType = 6
	// CouponTypeSkipQueue is 7: skip the queue (免排队券).
	CouponTypeSkipQueue CouponType = 7
	// CouponTypeParking is 8: parking (停车券).
	CouponTypeParking CouponType = 8
)

// CouponTypes lists every documented CouponType in the vendor's order.
func CouponTypes() []CouponType {
	return []CouponType{CouponTypeCash, CouponTypeLimitedFree, CouponTypeERPExchange, CouponTypeBuyMGetN, CouponTypeGoods, CouponTypeFreeDelivery, CouponTypeSkipQueue, CouponTypeParking}
}

// Known reports whether t is one of the documented types.
func (t CouponType) Known() bool {
	switch t {
	case CouponTypeCash, CouponTypeLimitedFree, CouponTypeERPExchange, CouponTypeBuyMGetN, CouponTypeGoods, CouponTypeFreeDelivery, CouponTypeSkipQueue, CouponTypeParking:
		return true
	}
	return false
}

// String returns the type's English name, such as "cash", or
// "CouponType(1)" for a type the vendor did not document.
func (t CouponType) String() string {
	switch t {
	case CouponTypeCash:
		return "cash"
	case CouponTypeLimitedFree:
		return "limited free"
	case CouponTypeERPExchange:
		return "erp exchange"
	case CouponTypeBuyMGetN:
		return "buy m get n"
	case CouponTypeGoods:
		return "goods"
	case CouponTypeFreeDelivery:
		return "free delivery"
	case CouponTypeSkipQueue:
		return "skip queue"
	case CouponTypeParking:
		return "parking"
	default:
		return "CouponType(" + strconv.Itoa(int(t)) + ")"
	}
}
