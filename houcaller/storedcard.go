package houcaller

import (
	"context"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opStoredCards is the listing of a member's 豪礼卡: a read, retried on
// network failures, 5xx, throttling and unreadable answers.
var opStoredCards = &transport.Op{Name: EndpointListMemberCards, Path: EndpointListMemberCards, Class: transport.Safe}

var _ = registry.Add(transport.Describe(Vendor, opStoredCards, (*Client).MemberStoredValueCards, "a member's usable 豪礼卡 (stored-value cards), with their balances"))

// StoredValueCardsRequest asks for a member's usable 豪礼卡, Houcaller's
// stored-value cards (listMemberStcard).
type StoredValueCardsRequest struct {
	// MemberID is the member (memberId). Required.
	MemberID string
}

func (r *StoredValueCardsRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("StoredValueCardsRequest", "is nil")
	}
	return checkRequired(field{"MemberID", r.MemberID})
}

// storedCardsParams is listMemberStcard's param: StoredValueCardsRequest's
// field with its wire name.
type storedCardsParams struct {
	MemberID string `json:"memberId"`
}

// StoredValueCard is a 豪礼卡 (a stored-value card) a member holds, as
// listMemberStcard lists it. Amounts are read in yuan [likely: the page
// types them number, its example has amt 1000 for a card the vendor sells
// as 1000元]. Days are midnight in Beijing time.
//
// The card's password (pwd) and the id of its face's QR code (fid) are not
// read: they let whoever holds them spend the card, and the SDK keeps no
// card secrets. Meta.Raw, the answer as the gateway sent it, holds them.
type StoredValueCard struct {
	// CardNo is the card's number (cardNo).
	CardNo string
	// CardType is the card's kind (cardType), such as "959"; see
	// PromotionCoupons.
	CardType string
	// FaceValue is the card's face value (amt).
	FaceValue couponkit.Fen
	// Balance is what is left on it (balance).
	Balance couponkit.Fen
	// BeginDate and EndDate are the first and last day of validity
	// (begDate, endDate), each at midnight in Beijing time.
	BeginDate, EndDate time.Time
	// Status is the card's status code (status); the vendor does not list
	// its values [open].
	Status int
	// StatusText is the status in Chinese (statusTxt).
	StatusText string
	// Activated is whether the card is activated (isact 1).
	Activated bool
	// Giftable is whether the card may be given to another member
	// (giftable).
	Giftable bool
	// InPromotion is whether the card takes part in a promotion (ispro
	// "1").
	InPromotion bool
	// OrgCode is the restaurant (orgCode).
	OrgCode string
	// BindFailures counts failed attempts to bind the card (regCount).
	BindFailures int
	// FaceImageURL is the card face's picture, relative to the vendor's
	// site (cstyle), and AssetsURL its image resources (assetsUrl).
	FaceImageURL, AssetsURL string
}

// wireStoredCard is one element of data.list as the vendor writes it.
type wireStoredCard struct {
	Amt       wiretype.Yuan `json:"amt"`
	Balance   wiretype.Yuan `json:"balance"`
	BegDate   wiretype.Time `json:"begDate"`
	CardNo    wiretype.Text `json:"cardNo"`
	CardType  wiretype.Text `json:"cardType"`
	Cstyle    string        `json:"cstyle"`
	EndDate   wiretype.Time `json:"endDate"`
	Giftable  wiretype.Bool `json:"giftable"`
	Ispro     wiretype.Int  `json:"ispro"`
	OrgCode   wiretype.Text `json:"orgCode"`
	RegCount  wiretype.Int  `json:"regCount"`
	Status    wiretype.Int  `json:"status"`
	StatusTxt string        `json:"statusTxt"`
	Isact     wiretype.Int  `json:"isact"`
	AssetsURL string        `json:"assetsUrl"`
}

func (w *wireStoredCard) card() StoredValueCard {
	return StoredValueCard{
		CardNo: string(w.CardNo), CardType: string(w.CardType), FaceValue: couponkit.Fen(w.Amt), Balance: couponkit.Fen(w.Balance),
		BeginDate: time.Time(w.BegDate), EndDate: time.Time(w.EndDate), Status: int(w.Status), StatusText: w.StatusTxt,
		Activated: w.Isact == 1, Giftable: bool(w.Giftable), InPromotion: w.Ispro == 1, OrgCode: string(w.OrgCode),
		BindFailures: int(w.RegCount), FaceImageURL: w.Cstyle, AssetsURL: w.AssetsURL,
	}
}

// storedCardsAnswer is listMemberStcard's data.
type storedCardsAnswer struct {
	List []wireStoredCard `json:"list"`
}

// Complete requires data.list, empty for a member without cards, and the
// number (cardNo) of every card listed.
func (a *storedCardsAnswer) Complete() error {
	return checkList(a.List, "data.list", "cardNo", func(c *wireStoredCard) bool { return c.CardNo != "" })
}

// result is the cards of answer a, with meta.
func (a *storedCardsAnswer) result(meta couponkit.Meta) *StoredValueCardsResult {
	return &StoredValueCardsResult{Cards: convertList(a.List, (*wireStoredCard).card), Meta: meta}
}

// StoredValueCardsResult is the 豪礼卡 a member holds.
type StoredValueCardsResult struct {
	// Cards are the member's usable cards, in the gateway's order.
	Cards []StoredValueCard
	// Meta describes the HTTP exchange. It is never JSON-encoded.
	Meta couponkit.Meta `json:"-"`
}

// MemberStoredValueCards returns the usable 豪礼卡 (stored-value cards) a
// member holds (listMemberStcard), with their balances; none for a member
// without cards (an empty data.list). It is a read: retried on network
// failures, 5xx, throttling and unreadable answers, among them a success
// without data.list or with a card without its number.
func (c *Client) MemberStoredValueCards(ctx context.Context, req *StoredValueCardsRequest) (*StoredValueCardsResult, error) {
	return transport.Read(ctx, &c.typed, opStoredCards, req.validate, (*storedCardsParams)(req), (*storedCardsAnswer).result)
}
