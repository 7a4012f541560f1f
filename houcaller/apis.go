package houcaller

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them. SellCard and RecordConsumption are listed at
// their default class, Unsafe: Config.SaleNoDedup and Config.SerialCodeDedup
// make them Keyed writes.
func APIs() []couponkit.API {
	return []couponkit.API{
		transport.Describe(Vendor, opSale, (*Client).SellCard, "sells a 名牛卡 to a member; returns the coupon codes issued and the member card"),
		transport.Describe(Vendor, opConsumption, (*Client).RecordConsumption, "records a member's spending, which earns 豪币"),
		transport.Describe(Vendor, opMemberCoupons, (*Client).MemberCoupons, "a member's coupons, with their codes and statuses"),
		transport.Describe(Vendor, opLastSentCoupon, (*Client).LastSentCoupon, "the coupon of an item a member received last, with the orders that sold and used it"),
		transport.Describe(Vendor, opGift, (*Client).GiftCoupons, "gives a member's coupons to the holder of a phone number; no key is published, so an unknown outcome carries none"),
		transport.Describe(Vendor, opStoredCards, (*Client).MemberStoredValueCards, "a member's usable 豪礼卡 (stored-value cards), with their balances"),
		transport.Describe(Vendor, opPromotionCoupons, (*Client).PromotionCoupons, "the coupon items that come with buying a 豪礼卡 of one kind"),
		transport.Describe(Vendor, opPointsLedger, (*Client).PointsLedgerPage, "one page of a member's points ledger in one month, with the month's totals (PointsLedger iterates over months and pages)"),
	}
}
