package houcaller

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/money"
)

// CardStatus is the status of a member card or of one of its products
// ("status" in the vendor's field table, a string on the wire).
type CardStatus int

const (
	// CardActive is status "1" (生效, in force).
	CardActive CardStatus = 1
	// CardInactive is status "2" (失效, no longer in force).
	CardInactive CardStatus = 2
)

// String returns "active", "inactive", or "CardStatus(n)" for an undocumented value.
func (s CardStatus) String() string {
	switch s {
	case CardActive:
		return "active"
	case CardInactive:
		return "inactive"
	default:
		return "CardStatus(" + strconv.Itoa(int(s)) + ")"
	}
}

// UnmarshalJSON reads the status from a JSON string ("1") or number (1);
// null and "" leave 0.
func (s *CardStatus) UnmarshalJSON(b []byte) error {
	var n flexInt
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	*s = CardStatus(n)
	return nil
}

// MemberCard is a 名牛卡 sold to a member: the record the vendor's field table
// for sendMncardForSale describes. Times are in Beijing time; the vendor sends
// them as integers, read as epoch milliseconds [likely].
type MemberCard struct {
	// ID is the record's primary key (id).
	ID string
	// CardInfoID is the card sold (cardInfoId).
	CardInfoID string
	// MemberID is the member who holds the card (memberId).
	MemberID string
	// Status says whether the card is in force.
	Status CardStatus
	// SaleNo is the sale number the card was sold under (saleNo).
	SaleNo string
	// SaleOrgCode is the restaurant that sold the card (saleOrgCode).
	SaleOrgCode string
	// SaleUser is the sales clerk (saleUser).
	SaleUser string
	// SaleChannel is the channel the card was sold through (saleChannel).
	SaleChannel string
	// PayAmount is the amount paid (payAmt, yuan on the wire).
	PayAmount couponkit.Fen
	// SaleTime is when the card was sold (saleTime), in Beijing time.
	SaleTime time.Time
	// BeginTime and EndTime bound the card's validity (beginTime, endTime),
	// in Beijing time.
	BeginTime, EndTime time.Time
	// CreateTime is when the record was created (createTime), in Beijing
	// time.
	CreateTime time.Time
	// CreateUser is who created the record (createUser).
	CreateUser string
	// LockVersion is the record's optimistic-lock version (lockVersion).
	LockVersion int64
	// Products lists the card's products and their use (memberUsedList).
	Products []CardProduct
}

// CardProduct is one product of a member card and how much of it was used
// (an element of memberUsedList). Times are in Beijing time.
type CardProduct struct {
	// ID is the record's primary key (id).
	ID string
	// MemberCardID is the member card it belongs to (memberCardId).
	MemberCardID string
	// MemberID is the member (memberId).
	MemberID string
	// CardProductID and CardProductName name the product (cardProductId, cardProductName).
	CardProductID, CardProductName string
	// Status says whether the product is in force.
	Status CardStatus
	// SaleOrgCode is the selling restaurant and PosID its POS id (saleOrgCode, posid).
	SaleOrgCode, PosID string
	// SaleUser is the sales clerk (saleUser).
	SaleUser string
	// CycleDays is the length of one use cycle in days (cycleDays).
	CycleDays int
	// UsesPerCycle is how many uses one cycle allows (cycleNum).
	UsesPerCycle int
	// LastCycle is the cycle of the last use (lastCycle).
	LastCycle int
	// LastCycleUses is how many uses the last cycle saw (lastCycleUsed).
	LastCycleUses int
	// TotalUses is how many uses the product allows in all (totalUsedNum).
	TotalUses int
	// UsedCount is how many uses were made (hasUsedNum).
	UsedCount int
	// BeginTime and EndTime bound the product's validity (beginTime,
	// endTime), in Beijing time.
	BeginTime, EndTime time.Time
	// CreateTime is when the record was created (createTime), in Beijing
	// time.
	CreateTime time.Time
	// CreateUser is who created the record (createUser).
	CreateUser string
	// LockVersion is the record's optimistic-lock version (lockVersion).
	LockVersion int64
}

// UnmarshalJSON reads the vendor's member-card record. Identifiers may be
// strings or numbers, counters numbers or strings, times epoch milliseconds.
func (m *MemberCard) UnmarshalJSON(b []byte) error {
	var w cardWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*m = w.card()
	return nil
}

// UnmarshalJSON reads one element of the vendor's memberUsedList.
func (p *CardProduct) UnmarshalJSON(b []byte) error {
	var w productWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = w.product()
	return nil
}

// cardWire is the member-card record as sent.
type cardWire struct {
	ID             jsonx.Flex    `json:"id"`
	CardInfoID     jsonx.Flex    `json:"cardInfoId"`
	MemberID       jsonx.Flex    `json:"memberId"`
	Status         CardStatus    `json:"status"`
	SaleNo         jsonx.Flex    `json:"saleNo"`
	SaleOrgCode    jsonx.Flex    `json:"saleOrgCode"`
	SaleUser       jsonx.Flex    `json:"saleUser"`
	SaleChannel    jsonx.Flex    `json:"saleChannel"`
	PayAmt         money.Yuan    `json:"payAmt"`
	SaleTime       stamp         `json:"saleTime"`
	BeginTime      stamp         `json:"beginTime"`
	EndTime        stamp         `json:"endTime"`
	CreateTime     stamp         `json:"createTime"`
	CreateUser     jsonx.Flex    `json:"createUser"`
	LockVersion    flexInt       `json:"lockVersion"`
	MemberUsedList []productWire `json:"memberUsedList"`
}

// present reports whether the data carried a member-card record at all.
func (w *cardWire) present() bool {
	return w.ID != "" || w.CardInfoID != "" || w.SaleNo != "" || w.MemberID != "" || w.MemberUsedList != nil
}

func (w *cardWire) card() MemberCard {
	m := MemberCard{
		ID:          string(w.ID),
		CardInfoID:  string(w.CardInfoID),
		MemberID:    string(w.MemberID),
		Status:      w.Status,
		SaleNo:      string(w.SaleNo),
		SaleOrgCode: string(w.SaleOrgCode),
		SaleUser:    string(w.SaleUser),
		SaleChannel: string(w.SaleChannel),
		PayAmount:   w.PayAmt.Fen(),
		SaleTime:    time.Time(w.SaleTime),
		BeginTime:   time.Time(w.BeginTime),
		EndTime:     time.Time(w.EndTime),
		CreateTime:  time.Time(w.CreateTime),
		CreateUser:  string(w.CreateUser),
		LockVersion: int64(w.LockVersion),
	}
	if w.MemberUsedList != nil {
		m.Products = make([]CardProduct, len(w.MemberUsedList))
		for i := range w.MemberUsedList {
			m.Products[i] = w.MemberUsedList[i].product()
		}
	}
	return m
}

type productWire struct {
	ID              jsonx.Flex `json:"id"`
	MemberCardID    jsonx.Flex `json:"memberCardId"`
	MemberID        jsonx.Flex `json:"memberId"`
	CardProductID   jsonx.Flex `json:"cardProductId"`
	CardProductName jsonx.Flex `json:"cardProductName"`
	Status          CardStatus `json:"status"`
	SaleOrgCode     jsonx.Flex `json:"saleOrgCode"`
	PosID           jsonx.Flex `json:"posid"`
	SaleUser        jsonx.Flex `json:"saleUser"`
	CycleDays       flexInt    `json:"cycleDays"`
	CycleNum        flexInt    `json:"cycleNum"`
	LastCycle       flexInt    `json:"lastCycle"`
	LastCycleUsed   flexInt    `json:"lastCycleUsed"`
	TotalUsedNum    flexInt    `json:"totalUsedNum"`
	HasUsedNum      flexInt    `json:"hasUsedNum"`
	BeginTime       stamp      `json:"beginTime"`
	EndTime         stamp      `json:"endTime"`
	CreateTime      stamp      `json:"createTime"`
	CreateUser      jsonx.Flex `json:"createUser"`
	LockVersion     flexInt    `json:"lockVersion"`
}

func (w *productWire) product() CardProduct {
	return CardProduct{
		ID:              string(w.ID),
		MemberCardID:    string(w.MemberCardID),
		MemberID:        string(w.MemberID),
		CardProductID:   string(w.CardProductID),
		CardProductName: string(w.CardProductName),
		Status:          w.Status,
		SaleOrgCode:     string(w.SaleOrgCode),
		PosID:           string(w.PosID),
		SaleUser:        string(w.SaleUser),
		CycleDays:       int(w.CycleDays),
		UsesPerCycle:    int(w.CycleNum),
		LastCycle:       int(w.LastCycle),
		LastCycleUses:   int(w.LastCycleUsed),
		TotalUses:       int(w.TotalUsedNum),
		UsedCount:       int(w.HasUsedNum),
		BeginTime:       time.Time(w.BeginTime),
		EndTime:         time.Time(w.EndTime),
		CreateTime:      time.Time(w.CreateTime),
		CreateUser:      string(w.CreateUser),
		LockVersion:     int64(w.LockVersion),
	}
}
