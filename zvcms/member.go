package zvcms

import (
	"context"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opCustomerAssets is allCustomerInfo (会员三合一查询): a read.
var opCustomerAssets = &transport.Op{Name: "allCustomerInfo", Path: "/v3/crm/customer/allCustomerInfo", Class: transport.Safe,
	Notes: "[known]: path, params and the points and balances of data (doc3 id=476); that they are data's own members, amounts in yuan, and in every member's answer (one without totalPoints is unreadable) is [likely]. " +
		"The rest of data (the member's details and coupon list, which the params takeTime…, usefulTime…, title, useStatus, pageNum and pageSize filter; updatedAt's unit) is not published where it was read [open]: Meta.Raw keeps it."}

var _ = registry.Add(transport.Describe(Vendor, opCustomerAssets, (*Client).GetCustomerAssets, "a member's points and stored value, by its id, phone, card or WeChat or Alipay id"))

// CustomerAssetsRequest names one member (allCustomerInfo): by exactly one of
// its fields.
type CustomerAssetsRequest struct {
	// CustomerID is the member's id or member code (customerId).
	CustomerID string
	// Phone (phone, type 1), CardNo (cardNo, type 2), AlipayUserID (userId,
	// type 3), OpenID (openId, type 4: a WeChat openid) and UnionID
	// (unionId, type 5: a WeChat unionid) name the member otherwise; type
	// is sent for the one given.
	Phone, CardNo, AlipayUserID, OpenID, UnionID string
}

// CustomerAssets is the answer to GetCustomerAssets: the member's points and
// stored value.
type CustomerAssets struct {
	// Points are the member's valid points (totalPoints), as the vendor
	// writes them (whether they have decimals is [open]).
	Points string
	// ForeverPoints never expire (foreverPoints); SoonExpiringPoints expire
	// within 30 days (soonExpiredPoints), the next of them at PointsExpireAt
	// (expiredTime, Beijing time; zero when none). The page calls these
	// three ignorable (可忽略).
	ForeverPoints, SoonExpiringPoints string
	PointsExpireAt                    time.Time
	// RechargeBalance and GiftBalance are the stored value paid in and
	// given (rechargeBalance, giftBalance); TotalRecharged and TotalGifted
	// all that ever was (totalRechargeAmount, totalGiftAmount). In fen.
	RechargeBalance, GiftBalance, TotalRecharged, TotalGifted couponkit.Fen
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// GetCustomerAssets returns the points and stored value of the member req
// names. It is a read, retried on network failures, 5xx, throttling, server
// faults and answers without totalPoints.
func (c *Client) GetCustomerAssets(ctx context.Context, req *CustomerAssetsRequest) (*CustomerAssets, error) {
	return transport.Read(ctx, &c.typed, opCustomerAssets, req.validate, req.params(), (*customerAssetsAnswer).result)
}

func (r *CustomerAssetsRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("CustomerAssetsRequest", "is nil")
	}
	given := ""
	for _, f := range [...]struct{ name, v string }{{"CustomerID", r.CustomerID}, {"Phone", r.Phone}, {"CardNo", r.CardNo},
		{"AlipayUserID", r.AlipayUserID}, {"OpenID", r.OpenID}, {"UnionID", r.UnionID}} {
		switch {
		case f.v == "":
		case strings.TrimSpace(f.v) != f.v:
			return couponkit.Invalid(f.name, "has leading or trailing spaces")
		case given != "":
			return couponkit.Invalid(f.name, "is given with %s: name the member by one field", given)
		default:
			given = f.name
		}
	}
	if given == "" {
		return couponkit.Invalid("CustomerID", "is required, or one of Phone, CardNo, AlipayUserID, OpenID and UnionID")
	}
	return nil
}

// customerAssetsParams is allCustomerInfo's params: customerId, or type and
// the field it names.
type customerAssetsParams struct {
	CustomerID string `json:"customerId,omitempty"`
	Type       int    `json:"type,omitempty"`
	Phone      string `json:"phone,omitempty"`
	CardNo     string `json:"cardNo,omitempty"`
	UserID     string `json:"userId,omitempty"`
	OpenID     string `json:"openId,omitempty"`
	UnionID    string `json:"unionId,omitempty"`
}

// params is r's params; nil for a nil r, which validate refuses before
// anything is sent.
func (r *CustomerAssetsRequest) params() *customerAssetsParams {
	if r == nil {
		return nil
	}
	p := &customerAssetsParams{CustomerID: r.CustomerID, Phone: r.Phone, CardNo: r.CardNo, UserID: r.AlipayUserID, OpenID: r.OpenID, UnionID: r.UnionID}
	for i, v := range []string{r.Phone, r.CardNo, r.AlipayUserID, r.OpenID, r.UnionID} {
		if v != "" {
			p.Type = i + 1
		}
	}
	return p
}

// customerAssetsAnswer is allCustomerInfo's data, as far as it is published.
type customerAssetsAnswer struct {
	TotalPoints         wiretype.Text `json:"totalPoints"`
	ForeverPoints       wiretype.Text `json:"foreverPoints"`
	SoonExpiredPoints   wiretype.Text `json:"soonExpiredPoints"`
	ExpiredTime         wiretype.Time `json:"expiredTime"`
	RechargeBalance     wiretype.Yuan `json:"rechargeBalance"`
	GiftBalance         wiretype.Yuan `json:"giftBalance"`
	TotalRechargeAmount wiretype.Yuan `json:"totalRechargeAmount"`
	TotalGiftAmount     wiretype.Yuan `json:"totalGiftAmount"`
}

// result is a as the answer to GetCustomerAssets, with meta.
func (a *customerAssetsAnswer) result(meta couponkit.Meta) *CustomerAssets {
	return &CustomerAssets{Points: string(a.TotalPoints), ForeverPoints: string(a.ForeverPoints), SoonExpiringPoints: string(a.SoonExpiredPoints),
		PointsExpireAt: time.Time(a.ExpiredTime), RechargeBalance: couponkit.Fen(a.RechargeBalance), GiftBalance: couponkit.Fen(a.GiftBalance),
		TotalRecharged: couponkit.Fen(a.TotalRechargeAmount), TotalGifted: couponkit.Fen(a.TotalGiftAmount), Meta: meta}
}

// Complete requires totalPoints, the first of the answer's members on the
// page: an answer without it is not the member's.
func (a *customerAssetsAnswer) Complete() error {
	if a.TotalPoints == "" {
		return transport.Missing("totalPoints")
	}
	return nil
}
