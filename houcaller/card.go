package houcaller

import (
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/wiretype"
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

// UnmarshalJSON reads the status from a JSON number (1) or string ("1"), as
// the vendor writes it, for the data of a generic Call; null and "" leave 0.
func (s *CardStatus) UnmarshalJSON(b []byte) error {
	var n wiretype.Int
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	*s = CardStatus(n)
	return nil
}

// MemberCard is a 名牛卡 sold to a member: the record the vendor's field table
// for sendMncardForSale describes. Times are in Beijing time; the vendor sends
// them as integers, read as epoch milliseconds (13 digits; 10 digits as
// seconds) [likely].
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

// wireCard is the member-card record of sendMncardForSale's field table as
// the vendor writes it: identifiers as strings or numbers, counters as
// numbers or strings, times as epoch milliseconds (or any spelling
// wiretype.Time reads).
type wireCard struct {
	ID             wiretype.Text `json:"id"`
	CardInfoID     wiretype.Text `json:"cardInfoId"`
	MemberID       wiretype.Text `json:"memberId"`
	Status         wiretype.Int  `json:"status"`
	SaleNo         wiretype.Text `json:"saleNo"`
	SaleOrgCode    wiretype.Text `json:"saleOrgCode"`
	SaleUser       wiretype.Text `json:"saleUser"`
	SaleChannel    wiretype.Text `json:"saleChannel"`
	PayAmt         yuan          `json:"payAmt"`
	SaleTime       wiretype.Time `json:"saleTime"`
	BeginTime      wiretype.Time `json:"beginTime"`
	EndTime        wiretype.Time `json:"endTime"`
	CreateTime     wiretype.Time `json:"createTime"`
	CreateUser     wiretype.Text `json:"createUser"`
	LockVersion    wiretype.Int  `json:"lockVersion"`
	MemberUsedList []wireProduct `json:"memberUsedList"`
}

// present reports whether the data carried a member-card record at all.
func (w *wireCard) present() bool {
	return w.ID != "" || w.CardInfoID != "" || w.SaleNo != "" || w.MemberID != "" || w.MemberUsedList != nil
}

func (w *wireCard) card() MemberCard {
	m := MemberCard{
		ID:          string(w.ID),
		CardInfoID:  string(w.CardInfoID),
		MemberID:    string(w.MemberID),
		Status:      CardStatus(w.Status),
		SaleNo:      string(w.SaleNo),
		SaleOrgCode: string(w.SaleOrgCode),
		SaleUser:    string(w.SaleUser),
		SaleChannel: string(w.SaleChannel),
		PayAmount:   couponkit.Fen(w.PayAmt),
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

// wireProduct is one element of memberUsedList as the vendor writes it.
type wireProduct struct {
	ID              wiretype.Text `json:"id"`
	MemberCardID    wiretype.Text `json:"memberCardId"`
	MemberID        wiretype.Text `json:"memberId"`
	CardProductID   wiretype.Text `json:"cardProductId"`
	CardProductName wiretype.Text `json:"cardProductName"`
	Status          wiretype.Int  `json:"status"`
	SaleOrgCode     wiretype.Text `json:"saleOrgCode"`
	PosID           wiretype.Text `json:"posid"`
	SaleUser        wiretype.Text `json:"saleUser"`
	CycleDays       wiretype.Int  `json:"cycleDays"`
	CycleNum        wiretype.Int  `json:"cycleNum"`
	LastCycle       wiretype.Int  `json:"lastCycle"`
	LastCycleUsed   wiretype.Int  `json:"lastCycleUsed"`
	TotalUsedNum    wiretype.Int  `json:"totalUsedNum"`
	HasUsedNum      wiretype.Int  `json:"hasUsedNum"`
	BeginTime       wiretype.Time `json:"beginTime"`
	EndTime         wiretype.Time `json:"endTime"`
	CreateTime      wiretype.Time `json:"createTime"`
	CreateUser      wiretype.Text `json:"createUser"`
	LockVersion     wiretype.Int  `json:"lockVersion"`
}

func (w *wireProduct) product() CardProduct {
	return CardProduct{
		ID:              string(w.ID),
		MemberCardID:    string(w.MemberCardID),
		MemberID:        string(w.MemberID),
		CardProductID:   string(w.CardProductID),
		CardProductName: string(w.CardProductName),
		Status:          CardStatus(w.Status),
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
