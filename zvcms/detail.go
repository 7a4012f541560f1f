package zvcms

import (
	"context"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opCouponDetail is getCouponDetail: a read.
var opCouponDetail = &transport.Op{Name: "getCouponDetail", Path: "/v3/coupon/getCouponDetail", Class: transport.Safe,
	Notes: "[likely]: path, params {userCouponCode} (a cardId [likely]) and data (as [CouponDetail] lists it) are the vendor family's public CLI's; what its status numbers is [open]."}

var _ = registry.Add(transport.Describe(Vendor, opCouponDetail, (*Client).GetCouponDetail, "one coupon by its code, with its owner, its use and its template"))

// CouponDetailRequest asks for one coupon by its code (getCouponDetail
// [likely]).
type CouponDetailRequest struct {
	// CardID is the coupon's code (sent as userCouponCode, 券码), such as
	// "390913445498200065"; that it is a coupon's cardId (券编码) is
	// [likely]. Required.
	CardID string
}

// CouponDetail is the answer to GetCouponDetail: one coupon with its owner,
// its use and its template, with the fields the vendor family's public CLI
// reads [likely]. Times are in Beijing time; one the vendor left empty is
// the zero time.
type CouponDetail struct {
	// CardID is the coupon's code (id) [likely].
	CardID string
	// Status is the coupon's status (status), beside UseStatus; what it
	// numbers is not published [open].
	Status int
	// CustomerID, CustomerName and CustomerPhone are its owner's id, name
	// and phone number (customerId, customerName, customerPhone).
	CustomerID, CustomerName, CustomerPhone string
	// TemplateID and TemplateName are its template's id and name
	// (templateId, templateName); TemplateType is the template's coupon type
	// (templateType; that it numbers as couponType does is [open]).
	TemplateID   int64
	TemplateName string
	TemplateType CouponType
	// UseStatus is its state (useStatus).
	UseStatus UseStatus
	// UseOrderCode, UseStoreName and UsedAt say where and when it was
	// redeemed (useOrderCode, useStoreName, useTime).
	UseOrderCode, UseStoreName string
	UsedAt                     time.Time
	// BeginAt and EndAt bound its validity (validBeginDate, validEndDate).
	BeginAt, EndAt time.Time
	// Template is its template (templateInfo), zero when the answer has none.
	Template Template
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// GetCouponDetail returns the coupon with the code req.CardID. It is a read,
// retried on network failures, 5xx, throttling, server faults and answers
// without the coupon's id.
func (c *Client) GetCouponDetail(ctx context.Context, req *CouponDetailRequest) (*CouponDetail, error) {
	return transport.Read(ctx, &c.typed, opCouponDetail, req.validate, (*couponDetailParams)(req), (*couponDetailAnswer).result)
}

func (r *CouponDetailRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("CouponDetailRequest", "is nil")
	case strings.TrimSpace(r.CardID) == "":
		return couponkit.Invalid("CardID", "is required")
	}
	return nil
}

// couponDetailParams is getCouponDetail's params: CouponDetailRequest's
// field with its wire name.
type couponDetailParams struct {
	CardID string `json:"userCouponCode"`
}

// couponDetailAnswer is getCouponDetail's data: one coupon, its integers as
// numbers or strings.
type couponDetailAnswer struct {
	ID             wiretype.Text `json:"id"`
	Status         wiretype.Int  `json:"status"`
	CustomerID     wiretype.Text `json:"customerId"`
	CustomerName   wiretype.Text `json:"customerName"`
	CustomerPhone  wiretype.Text `json:"customerPhone"`
	TemplateID     wiretype.Int  `json:"templateId"`
	TemplateName   wiretype.Text `json:"templateName"`
	TemplateType   wiretype.Int  `json:"templateType"`
	UseStatus      wiretype.Int  `json:"useStatus"`
	UseOrderCode   wiretype.Text `json:"useOrderCode"`
	UseStoreName   wiretype.Text `json:"useStoreName"`
	UseTime        wiretype.Time `json:"useTime"`
	ValidBeginDate wiretype.Time `json:"validBeginDate"`
	ValidEndDate   wiretype.Time `json:"validEndDate"`
	TemplateInfo   wireTemplate  `json:"templateInfo"`
}

// result is a as the answer to GetCouponDetail, with meta.
func (a *couponDetailAnswer) result(meta couponkit.Meta) *CouponDetail {
	return &CouponDetail{CardID: string(a.ID), Status: int(a.Status), CustomerID: string(a.CustomerID),
		CustomerName: string(a.CustomerName), CustomerPhone: string(a.CustomerPhone), TemplateID: int64(a.TemplateID),
		TemplateName: string(a.TemplateName), TemplateType: CouponType(a.TemplateType), UseStatus: UseStatus(a.UseStatus),
		UseOrderCode: string(a.UseOrderCode), UseStoreName: string(a.UseStoreName), UsedAt: time.Time(a.UseTime),
		BeginAt: time.Time(a.ValidBeginDate), EndAt: time.Time(a.ValidEndDate), Template: a.TemplateInfo.template(), Meta: meta}
}

// Complete requires the coupon's id: the call exists to return the coupon.
func (a *couponDetailAnswer) Complete() error {
	if a.ID == "" {
		return transport.Missing("id")
	}
	return nil
}
