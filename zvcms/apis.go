package zvcms

import (
	"context"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them, each with its default path and its
// assumptions about the vendor. A call a Config can move or reclassify
// (Config.Paths, Config.IssueDeduplicates) is listed at its default.
func APIs() []couponkit.API {
	return []couponkit.API{
		transport.Describe(Vendor, opQuery, (*Client).GetCustomerCoupons, "a customer's coupons, in one state or with one code"),
		couponkit.NewAPI(customerCouponList, couponkit.API{Vendor: Vendor, Method: "CustomerCouponList", Operation: opList.Name, Class: opList.Class,
			Path: opList.Path, Notes: opList.Notes, Summary: "a customer's coupons, page by page (an iterator; run by name, it collects them all)"}),
		transport.Describe(Vendor, opWriteOff, (*Client).WriteOffCoupon, "redeems coupons; returns the vendor's bizId, which a reversal takes"),
		transport.Describe(Vendor, opReverse, (*Client).ReverseWriteOff, "reverses a redemption by the bizId the vendor returned for it"),
		transport.Describe(Vendor, opIssue, (*Client).IssueCoupons, "issues coupons of one kind to a customer"),
		transport.Describe(Vendor, opTemplateDetail, (*Client).GetTemplateDetail, "one coupon template by its id"),
		transport.Describe(Vendor, opCouponDetail, (*Client).GetCouponDetail, "one coupon by its code, with its owner, its use and its template"),
		transport.Describe(Vendor, opCouponStatus, (*Client).GetCouponStatus, "the state of a coupon's code or a redemption code, and where and when it was used"),
		transport.Describe(Vendor, opExchangeStatus, (*Client).GetExchangeCodeStatus, "a redemption code's state and exchange activity"),
		transport.Describe(Vendor, opDispatchCodes, (*Client).DispatchExchangeCodes, "hands out redemption codes of an exchange activity"),
		transport.Describe(Vendor, opDisableCodes, (*Client).DisableExchangeCodes, "voids redemption codes; each code's result"),
		transport.Describe(Vendor, opRecycle, (*Client).RecycleCoupons, "revokes coupons issued to a customer"),
		transport.Describe(Vendor, opRecover, (*Client).RecoverGrantedCoupons, "revokes the coupons an order granted; which were revoked"),
		transport.Describe(Vendor, opCustomerAssets, (*Client).GetCustomerAssets, "a member's points and stored value, by its id, phone, card or WeChat or Alipay id"),
		couponkit.NewAPI(reconciliation, couponkit.API{Vendor: Vendor, Method: "Reconciliation", Operation: opReconciliation.Name, Class: opReconciliation.Class,
			Path: opReconciliation.Path, Notes: opReconciliation.Notes,
			Summary: "the stores' daily takings, refunds, discounts and income, page by page (a V2 call; an iterator, run by name it collects them all)"}),
	}
}

// customerCouponList runs CustomerCouponList to its end for the registry:
// every coupon of every page, or the error that ended the listing.
func customerCouponList(c *Client, ctx context.Context, req *CouponListRequest) (*CustomerCoupons, error) {
	var out CustomerCoupons
	for cp, err := range c.CustomerCouponList(ctx, req) {
		if err != nil {
			return nil, err
		}
		out.Coupons = append(out.Coupons, cp)
	}
	return &out, nil
}
