package zvcms

import (
	"context"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opTemplateDetail is getTemplateDetail: a read.
var opTemplateDetail = &transport.Op{Name: "getTemplateDetail", Path: "/v3/coupon/getTemplateDetail", Class: transport.Safe,
	Notes: "[likely]: path, params {id} and data {id, name, sellerId, status, type, thirdBizCode} are the vendor family's public CLI's; what status and type number is [open]."}

var _ = registry.Add(transport.Describe(Vendor, opTemplateDetail, (*Client).GetTemplateDetail, "one coupon template by its id"))

// TemplateRequest asks for one coupon template (getTemplateDetail [likely]).
type TemplateRequest struct {
	// TemplateID is the template's id (id), as in Coupon.TemplateID, such
	// as 895. Required.
	TemplateID int64
}

// TemplateDetail is the answer to GetTemplateDetail.
type TemplateDetail struct {
	// Template is the template.
	Template Template
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// Template is a coupon template (券模板), with the fields the vendor family's
// public CLI reads [likely]; what its status numbers is not published
// [open].
type Template struct {
	// ID is the template's id (id).
	ID int64
	// Name is the template's name (name), such as "满50减10".
	Name string
	// SellerID is the brand's id (sellerId, 品牌ID).
	SellerID int64
	// Status is the template's state (status), as the vendor numbers it [open].
	Status int
	// Type is the coupon type (type, 券类型); that it numbers as couponType
	// does is [open].
	Type CouponType
	// ThirdBizCode is a third party's code of the template (thirdBizCode,
	// 三方编码), or "".
	ThirdBizCode string
}

// GetTemplateDetail returns the coupon template with the id req.TemplateID.
// It is a read, retried on network failures, 5xx, throttling, server faults
// and answers without the template's id.
func (c *Client) GetTemplateDetail(ctx context.Context, req *TemplateRequest) (*TemplateDetail, error) {
	return transport.Read(ctx, &c.typed, opTemplateDetail, req.validate, (*templateParams)(req), (*templateAnswer).result)
}

func (r *TemplateRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("TemplateRequest", "is nil")
	case r.TemplateID <= 0:
		return couponkit.Invalid("TemplateID", "must be a template's id, such as 895")
	}
	return nil
}

// templateParams is getTemplateDetail's params: TemplateRequest's field
// with its wire name, a JSON number.
type templateParams struct {
	TemplateID int64 `json:"id"`
}

// wireTemplate is a template as the vendor family writes it, its integers
// as numbers or strings.
type wireTemplate struct {
	ID           wiretype.Int  `json:"id"`
	Name         wiretype.Text `json:"name"`
	SellerID     wiretype.Int  `json:"sellerId"`
	Status       wiretype.Int  `json:"status"`
	Type         wiretype.Int  `json:"type"`
	ThirdBizCode wiretype.Text `json:"thirdBizCode"`
}

func (w *wireTemplate) template() Template {
	return Template{ID: int64(w.ID), Name: string(w.Name), SellerID: int64(w.SellerID), Status: int(w.Status),
		Type: CouponType(w.Type), ThirdBizCode: string(w.ThirdBizCode)}
}

// templateAnswer is getTemplateDetail's data: one template.
type templateAnswer struct{ wireTemplate }

// result is a as the answer to GetTemplateDetail, with meta.
func (a *templateAnswer) result(meta couponkit.Meta) *TemplateDetail {
	return &TemplateDetail{Template: a.template(), Meta: meta}
}

// Complete requires the template's id: the call exists to return the
// template.
func (a *templateAnswer) Complete() error {
	if a.ID == 0 {
		return transport.Missing("id")
	}
	return nil
}
