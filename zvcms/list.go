package zvcms

import (
	"context"
	"iter"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// DefaultPageSize is the page size of CustomerCouponList when
// CouponListRequest.PageSize is 0. The vendor's largest page is not
// published [open].
const DefaultPageSize = 20

// opList is getCustomerCouponList: a read.
var opList = &transport.Op{Name: "getCustomerCouponList", Path: "/v3/crm/coupon/getCustomerCouponList", Class: transport.Safe,
	Notes: "[likely]: the vendor family's public CLI's path and params; pageNum counts from 1 and the answer is {list, total}. " +
		"The largest pageSize is [open] (default [DefaultPageSize], 20), and so is whether a gateway that caps it pages by the capped size: " +
		"the iterator pages on to the total and stops with an error rather than lose or repeat coupons."}

var _ = registry.Add(couponkit.NewAPI(customerCouponList, couponkit.API{Vendor: Vendor, Method: "CustomerCouponList", Operation: opList.Name, Class: opList.Class,
	Path: opList.Path, Notes: opList.Notes, Summary: "a customer's coupons, page by page (an iterator; run by name, it collects them all)"}))

// CouponListRequest pages through a customer's coupons
// (getCustomerCouponList [likely]: customerId, pageNum from 1, pageSize,
// and the optional filters useStatus and couponType, as the vendor family's
// public clients send them).
type CouponListRequest struct {
	// CustomerID is the customer's id (customerId). Required.
	CustomerID string
	// UseStatus, when not nil, lists only coupons in that state (useStatus).
	// It must be a documented state.
	UseStatus *UseStatus
	// CouponType, when not nil, lists only coupons of that kind (couponType).
	// It must be a documented type.
	CouponType *CouponType
	// PageSize is how many coupons to ask for per page (pageSize); 0 means
	// DefaultPageSize. Not negative.
	PageSize int
}

// CustomerCouponList returns an iterator over a customer's coupons, page by
// page: a page is fetched only when the previous one has been yielded, only
// one page is held at a time (with the card ids yielded so far, to catch
// repeats), and breaking out of the loop stops fetching. Each page is a
// read, retried on network failures, 5xx, throttling, server faults and
// unreadable answers. An error (an invalid request, a page that failed, a
// listing that cannot be trusted) is yielded once, with a zero Coupon, and
// ends the iteration.
//
// A listing never silently loses or repeats coupons:
//
//   - With the vendor's total (the vendor family's answers carry it), pages
//     are fetched until as many coupons as the total have been yielded,
//     whatever their size: a gateway that caps the page below the size asked
//     for is paged on. An empty page before the total is reached ends the
//     listing with an error matching couponkit.ErrListShort.
//   - Without a total, the listing ends with a page shorter than the page
//     size (an empty one included). A gateway that caps the page size and
//     sends no total cannot be told from the last page [open].
//   - A coupon (by CardID) already yielded is not yielded again, and a page
//     whose every coupon was already yielded (a gateway that ignores pageNum,
//     say) ends the listing with an error matching couponkit.ErrPageRepeated.
//
// A page is unreadable (retried, then the error) when it has no list (data
// absent or null, an object without list) or a coupon without a cardId.
// Coupons that move between pages while the listing runs (redeemed under a
// useStatus filter, say) can shift out of it: with a total this ends in
// couponkit.ErrListShort; collect the list before changing the coupons in
// it.
//
// The answer's shape is [likely]: data {list: [coupon…], total}, each coupon
// with the fields of getCustomerCoupons (the vendor family's templateName and
// endTime are read as title and endAt); a bare array is read as the page's
// list, without a total.
func (c *Client) CustomerCouponList(ctx context.Context, req *CouponListRequest) iter.Seq2[Coupon, error] {
	return func(yield func(Coupon, error) bool) {
		size, err := req.validate()
		if err != nil {
			yield(Coupon{}, err)
			return
		}
		seen := make(map[string]struct{})
		var yielded int64
		for num := 1; ; num++ {
			var p pageAnswer
			meta, err := transport.Send(ctx, &c.typed, opList, "", req.params(num, size), &p)
			if err != nil {
				yield(Coupon{}, err)
				return
			}
			page, total := coupons(p.list), p.total.or(-1)
			fresh := 0
			for _, cp := range page {
				if _, dup := seen[cp.CardID]; !dup {
					seen[cp.CardID] = struct{}{}
					page[fresh] = cp
					fresh++
				}
			}
			if fresh == 0 && len(page) > 0 {
				yield(Coupon{}, c.listError(meta, couponkit.ErrPageRepeated,
					"page "+strconv.Itoa(num)+" lists only coupons already listed (the gateway ignores pageNum?)"))
				return
			}
			for i := range fresh {
				if !yield(page[i], nil) {
					return
				}
			}
			yielded += int64(fresh)
			switch {
			case total >= 0 && yielded >= total:
				return
			case total >= 0 && len(page) == 0:
				yield(Coupon{}, c.listError(meta, couponkit.ErrListShort,
					"page "+strconv.Itoa(num)+" is empty after "+strconv.FormatInt(yielded, 10)+" of total "+strconv.FormatInt(total, 10)+" coupons"))
				return
			case total < 0 && len(page) < size:
				return
			}
		}
	}
}

// listError is the error that ends a listing that cannot be trusted: cause
// is couponkit.ErrPageRepeated or couponkit.ErrListShort.
func (c *Client) listError(meta couponkit.Meta, cause error, message string) *couponkit.Error {
	return &couponkit.Error{Vendor: Vendor, Operation: opList.Name, Message: message + ": " + cause.Error(),
		RequestID: meta.RequestID, HTTPStatus: meta.HTTPStatus, Err: cause}
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

// validate checks r and returns its page size.
func (r *CouponListRequest) validate() (int, error) {
	switch {
	case r == nil:
		return 0, couponkit.Invalid("CouponListRequest", "is nil")
	case strings.TrimSpace(r.CustomerID) == "":
		return 0, couponkit.Invalid("CustomerID", "is required")
	case r.UseStatus != nil && !r.UseStatus.Known():
		return 0, couponkit.Invalid("UseStatus", "%d is not a documented state", int(*r.UseStatus))
	case r.CouponType != nil && !r.CouponType.Known():
		return 0, couponkit.Invalid("CouponType", "%d is not a documented type", int(*r.CouponType))
	case r.PageSize < 0:
		return 0, couponkit.Invalid("PageSize", "is negative")
	case r.PageSize == 0:
		return DefaultPageSize, nil
	}
	return r.PageSize, nil
}

// params is page num of size.
func (r *CouponListRequest) params(num, size int) *couponListParams {
	return &couponListParams{CustomerID: r.CustomerID, PageNum: num, PageSize: size, UseStatus: r.UseStatus, CouponType: r.CouponType}
}

// couponListParams is getCustomerCouponList's params [likely]: the filters
// as JSON numbers, left out when not filtering.
type couponListParams struct {
	CustomerID string      `json:"customerId"`
	PageNum    int         `json:"pageNum"`
	PageSize   int         `json:"pageSize"`
	UseStatus  *UseStatus  `json:"useStatus,omitempty"`
	CouponType *CouponType `json:"couponType,omitempty"`
}

// pageAnswer is one page of getCustomerCouponList: {list, total} (total as
// a number or a string, absent, null or "" for none), or a bare array as
// the list, without a total.
type pageAnswer struct{ couponList }

// Complete requires a list (not one coupon object), each coupon with its
// cardId.
func (p *pageAnswer) Complete() error {
	if p.shape == shapeCoupon {
		return transport.Missing("list")
	}
	return p.check()
}
