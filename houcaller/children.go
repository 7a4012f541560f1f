package houcaller

import (
	"context"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// EndpointChildCards is listHbsChildInfo, a member's children's club cards,
// typed as ChildCards (a read).
const EndpointChildCards = "listHbsChildInfo"

// opChildCards is the listing of a member's children's club cards: a read.
var opChildCards = &transport.Op{Name: EndpointChildCards, Path: EndpointChildCards, Class: transport.Safe,
	Notes: "[open]: the values of state and sex; an absent unbindList is read as none."}

var _ = registry.Add(transport.Describe(Vendor, opChildCards, (*Client).ChildCards, "the children's club cards a member holds and once held"))

// ChildCardsRequest asks for a member's children's club cards
// (listHbsChildInfo).
type ChildCardsRequest struct {
	// MemberID is the member (memberId), such as "JBLE18FNU0008". Required.
	MemberID string
}

func (r *ChildCardsRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("ChildCardsRequest", "is nil")
	}
	return checkRequired(field{"MemberID", r.MemberID})
}

// childCardsParams is listHbsChildInfo's param: ChildCardsRequest's field
// with its wire name.
type childCardsParams struct {
	MemberID string `json:"memberId"`
}

// ChildCard is a children's club card (儿童会员卡) and its child, as
// listHbsChildInfo lists them. The card's key (password) is not read: the
// SDK keeps no card secrets; Meta.Raw holds it.
type ChildCard struct {
	// CardNo is the card's number (cardNo), such as "HCM0004931865".
	CardNo string
	// Name, Sex and Relation are the child's name, sex and relation to the
	// member (name, sex, relation), as the vendor writes them.
	Name, Sex, Relation string
	// Birthday is the child's birthday (birthday), midnight in Beijing time.
	Birthday time.Time
	// State is the card's state (state), as the vendor writes it [open].
	State string
	// BindChannel is how the card was bound (bindChannel), such as "card",
	// and BoundAt when (bindTime, Beijing time).
	BindChannel string
	BoundAt     time.Time
	// OrgCode is the restaurant (orgCode).
	OrgCode string
}

// ChildCardsResult is the children's club cards of a member.
type ChildCardsResult struct {
	// Bound are the cards bound to the member (childList), Unbound those
	// once bound and since unbound (unbindList), in the gateway's order.
	Bound, Unbound []ChildCard
	// Meta describes the HTTP exchange. It is never JSON-encoded.
	Meta couponkit.Meta `json:"-"`
}

// ChildCards returns the children's club cards a member holds and once held
// (listHbsChildInfo). It is a read: retried on network failures, 5xx,
// throttling and unreadable answers, among them a success without
// data.childList or with a card without its number.
func (c *Client) ChildCards(ctx context.Context, req *ChildCardsRequest) (*ChildCardsResult, error) {
	return transport.Read(ctx, &c.typed, opChildCards, req.validate, (*childCardsParams)(req), (*childCardsAnswer).result)
}

// childCardsAnswer is listHbsChildInfo's data.
type childCardsAnswer struct {
	ChildList  []wireChildCard `json:"childList"`
	UnbindList []wireChildCard `json:"unbindList"`
}

// wireChildCard is one card of data.childList or data.unbindList.
type wireChildCard struct {
	CardNo      wiretype.Text `json:"cardNo"`
	Name        string        `json:"name"`
	Sex         string        `json:"sex"`
	Relation    string        `json:"relation"`
	Birthday    wiretype.Time `json:"birthday"`
	State       wiretype.Text `json:"state"`
	BindChannel string        `json:"bindChannel"`
	BindTime    wiretype.Time `json:"bindTime"`
	OrgCode     wiretype.Text `json:"orgCode"`
}

func (w *wireChildCard) card() ChildCard {
	return ChildCard{CardNo: string(w.CardNo), Name: w.Name, Sex: w.Sex, Relation: w.Relation, Birthday: time.Time(w.Birthday),
		State: string(w.State), BindChannel: w.BindChannel, BoundAt: time.Time(w.BindTime), OrgCode: string(w.OrgCode)}
}

func (a *childCardsAnswer) result(meta couponkit.Meta) *ChildCardsResult {
	return &ChildCardsResult{Bound: convertList(a.ChildList, (*wireChildCard).card), Unbound: convertList(a.UnbindList, (*wireChildCard).card), Meta: meta}
}

// Complete requires data.childList, empty for a member without cards, and
// the number of every card listed.
func (a *childCardsAnswer) Complete() error {
	hasNo := func(c *wireChildCard) bool { return c.CardNo != "" }
	if err := checkList(a.ChildList, "data.childList", "cardNo", hasNo); err != nil || a.UnbindList == nil {
		return err
	}
	return checkList(a.UnbindList, "data.unbindList", "cardNo", hasNo)
}
