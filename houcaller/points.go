package houcaller

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// EndpointPointsLedger is queryMemberScoRecordForShop, a member's points
// ledger for one month, paged; typed as PointsLedgerPage and, over months
// and pages, PointsLedger (reads).
const EndpointPointsLedger = "queryMemberScoRecordForShop"

// opPointsLedger is one page of the points ledger: a read, retried on
// network failures, 5xx, throttling and unreadable answers.
var opPointsLedger = &transport.Op{Name: EndpointPointsLedger, Path: EndpointPointsLedger, Class: transport.Safe}

var _ = registry.Add(transport.Describe(Vendor, opPointsLedger, (*Client).PointsLedgerPage, "one page of a member's points ledger in one month, with the month's totals (PointsLedger iterates over months and pages)"))

// DefaultMonthLayout is the default Config.MonthLayout: "yyyy-MM". The
// vendor's page says only 查询月份 (the month queried, a string) [open].
const DefaultMonthLayout = "2006-01"

// DefaultPointsPageSize is the page size (limit) of the points ledger when
// the request's is 0. The vendor's largest page is not published [open].
const DefaultPointsPageSize = 20

// MemberKey says which of a member's identifiers a ledger query names
// (queryType).
type MemberKey string

const (
	// ByMemberID names the member by primary key (queryType "memberId", the
	// vendor's default).
	ByMemberID MemberKey = "memberId"
	// ByPhone names the member by mobile number (queryType "phone").
	ByPhone MemberKey = "phone"
	// ByOpenID names the member by WeChat openid (queryType "openId").
	ByOpenID MemberKey = "openId"
	// ByUnionID names the member by WeChat unionid (queryType "unionId").
	ByUnionID MemberKey = "unionId"
)

// known reports whether k is one of the documented keys ("" is ByMemberID).
func (k MemberKey) known() bool {
	switch k {
	case "", ByMemberID, ByPhone, ByOpenID, ByUnionID:
		return true
	}
	return false
}

// ScoreType is the kind of a points record (scoType, a string holding a
// number on the wire).
type ScoreType int

// The kinds of points records, as queryMemberScoRecordForShop's page lists
// them.
const (
	ScoreOpening         ScoreType = 0  // 积分初始化转入: the opening balance carried in
	ScoreEarned          ScoreType = 1  // 积分累计: earned by spending
	ScoreCleared         ScoreType = 2  // 积分清理: cleared
	ScoreExchanged       ScoreType = 3  // 积分兑换: exchanged
	ScoreBonus           ScoreType = 4  // 积分补送: added afterwards
	ScoreMallSpent       ScoreType = 5  // 积分商城支出: spent in the points mall
	ScoreMallIncome      ScoreType = 6  // 积分商城收入: earned in the points mall
	ScoreMallGame        ScoreType = 7  // 积分商城游戏: a points-mall game
	ScoreExpired         ScoreType = 8  // 积分过期: expired
	ScoreOpenPlatformOut ScoreType = 9  // 开放平台支出: spent through the open platform
	ScoreOpenPlatformIn  ScoreType = 10 // 开放平台收入: earned through the open platform
)

// Ptr returns a pointer to t, for PointsLedgerRequest.ScoreType.
func (t ScoreType) Ptr() *ScoreType { return &t }

// PointsBusinessType is the points-mall business of a points record
// (hbsBusiType, a string holding a number on the wire): 0 for none, the
// page's positive values spending, its negative values income.
type PointsBusinessType int

// The points-mall businesses, as queryMemberScoRecordForShop's page lists
// them.
const (
	BusinessNone             PointsBusinessType = 0  // 非积分商城业务: not a points-mall business
	BusinessCouponExchange   PointsBusinessType = 1  // 积分商城兑券消费支出: coupons bought with points
	BusinessGameDeduction    PointsBusinessType = 2  // 游戏扣除: taken by a game
	BusinessWheelGame        PointsBusinessType = 3  // 大转盘游戏记录: the prize wheel
	BusinessCheckIn          PointsBusinessType = -1 // 积分商城签到活动收入: check-in reward
	BusinessGameAddition     PointsBusinessType = -2 // 游戏增加: won in a game
	BusinessTaskReward       PointsBusinessType = -3 // 积分商城任务奖励收入: task reward
	BusinessHaobiExchange    PointsBusinessType = -4 // 积分兑换豪币收入: points exchanged for 豪币
	BusinessConsumptionHaobi PointsBusinessType = -5 // 会员消费返还豪币: 豪币 returned on spending
	BusinessNewMemberReward  PointsBusinessType = -6 // 积分商城新用户奖励: new-member reward
	BusinessCheckInActivity  PointsBusinessType = -7 // 积分商城签到活动收入: check-in activity (listed twice by the page)
	BusinessMarketing        PointsBusinessType = -8 // 营销活动收入: a marketing campaign
)

// Ptr returns a pointer to t, for PointsLedgerRequest.BusinessType.
func (t PointsBusinessType) Ptr() *PointsBusinessType { return &t }

// PointsPageRequest asks for one page of a member's points ledger in one
// month (queryMemberScoRecordForShop).
type PointsPageRequest struct {
	// By says which identifier Member is (queryType); "" is ByMemberID.
	By MemberKey
	// Member is the member's identifier of that kind, sent in the field
	// queryType names (memberId, phone, openId or unionId). Required.
	Member string
	// Month is any instant of the month, taken in Beijing time and sent
	// with Config.MonthLayout (month). Required, within the years
	// 0000–9999.
	Month time.Time
	// ScoreType, when not nil, lists only records of that kind (scoType).
	ScoreType *ScoreType
	// BusinessType, when not nil, lists only records of that points-mall
	// business (hbsBusiType).
	BusinessType *PointsBusinessType
	// Offset is the position of the page's first record in the month
	// (page.offset, 起始位置), from 0 [likely: a record offset, not a page
	// number]. Not negative.
	Offset int
	// Limit is the page's size (page.limit); 0 means
	// DefaultPointsPageSize. Not negative.
	Limit int
}

// validate checks r and returns its limit.
func (r *PointsPageRequest) validate() (int, error) {
	switch {
	case r == nil:
		return 0, couponkit.Invalid("PointsPageRequest", "is nil")
	case r.Month.IsZero():
		return 0, couponkit.Invalid("Month", "is required")
	case r.Offset < 0:
		return 0, couponkit.Invalid("Offset", "is negative")
	}
	if err := wiretype.CheckYear("Month", r.Month); err != nil {
		return 0, err
	}
	if err := checkMember(r.By, r.Member, r.ScoreType, r.BusinessType); err != nil {
		return 0, err
	}
	return pageSize("Limit", r.Limit)
}

// checkMember checks the fields a page and a ledger request share.
func checkMember(by MemberKey, member string, st *ScoreType, bt *PointsBusinessType) error {
	switch {
	case !by.known():
		return couponkit.Invalid("By", "%q is not one of memberId, phone, openId, unionId", string(by))
	case strings.TrimSpace(member) == "":
		return couponkit.Invalid("Member", "is required")
	case st != nil && (*st < ScoreOpening || *st > ScoreOpenPlatformIn):
		return couponkit.Invalid("ScoreType", "%d is not a documented kind", int(*st))
	case bt != nil && (*bt < BusinessMarketing || *bt > BusinessWheelGame):
		return couponkit.Invalid("BusinessType", "%d is not a documented business", int(*bt))
	}
	return checkUTF8(field{"Member", member})
}

// pageSize returns size, or DefaultPointsPageSize for 0.
func pageSize(name string, size int) (int, error) {
	switch {
	case size < 0:
		return 0, couponkit.Invalid(name, "is negative")
	case size == 0:
		return DefaultPointsPageSize, nil
	}
	return size, nil
}

// params is the page's business JSON, the month written with layout.
func (r *PointsPageRequest) params(limit int, layout string) *pointsParams {
	by := r.By
	if by == "" {
		by = ByMemberID
	}
	p := &pointsParams{QueryType: string(by), Month: r.Month.In(cntime.Location()).Format(layout),
		Page: pagingParams{Offset: r.Offset, Limit: limit}}
	switch by {
	case ByPhone:
		p.Phone = r.Member
	case ByOpenID:
		p.OpenID = r.Member
	case ByUnionID:
		p.UnionID = r.Member
	default:
		p.MemberID = r.Member
	}
	if r.ScoreType != nil {
		p.ScoType = strconv.Itoa(int(*r.ScoreType))
	}
	if r.BusinessType != nil {
		p.HbsBusiType = strconv.Itoa(int(*r.BusinessType))
	}
	return p
}

// pointsParams is queryMemberScoRecordForShop's param, in the order of the
// vendor's field table: the identifier in the field queryType names, the
// filters only when set, and offset and limit as JSON strings, as the table
// types them.
type pointsParams struct {
	QueryType   string       `json:"queryType"`
	Phone       string       `json:"phone,omitempty"`
	MemberID    string       `json:"memberId,omitempty"`
	UnionID     string       `json:"unionId,omitempty"`
	OpenID      string       `json:"openId,omitempty"`
	Month       string       `json:"month"`
	ScoType     string       `json:"scoType,omitempty"`
	HbsBusiType string       `json:"hbsBusiType,omitempty"`
	Page        pagingParams `json:"page"`
}

type pagingParams struct {
	Offset int `json:"offset,string"`
	Limit  int `json:"limit,string"`
}

// PointsRecord is one record of a member's points ledger. Amounts are read
// in yuan [likely: the page types them int and gives no unit;
// recordMemberCons, whose records these are, is sent in yuan]; times are in
// Beijing time.
//
// The page's field table lists amount, bizDate, cardNo, consAmt, expScore,
// incScore, orgCode, remark and scoreAmt. ID, MemberID, OrderID, ScoreType,
// BusinessType and CreateTime are read from the fields of the record
// recordMemberCons returns (id, mmbId, srcId, scoType, hbsBusiType, ctime),
// whose names the ledger's filters share [likely]; they are empty when the
// gateway does not send them.
type PointsRecord struct {
	// Month is the month the record was listed under: its first day at
	// midnight in Beijing time.
	Month time.Time
	// ID is the record's id (id) [likely].
	ID string
	// MemberID is the member (mmbId) [likely] and CardNo the member card
	// (cardNo).
	MemberID, CardNo string
	// OrderID is the order the record is for (srcId) [likely]: the OrderID
	// of the ConsumptionRequest that recorded it.
	OrderID string
	// OrgCode is the restaurant (orgCode).
	OrgCode string
	// BizDate is the business day (bizDate), in Beijing time.
	BizDate time.Time
	// Amount is the order amount (amount, 订单金额).
	Amount couponkit.Fen
	// PaidAmount is the amount points are computed on (scoreAmt,
	// 计算积分的金额), ConsumptionRequest.PaidAmount when recorded by
	// RecordConsumption.
	PaidAmount couponkit.Fen
	// HaobiAmount is the spending counted towards the member's grade
	// (consAmt, 累计消费的金额), ConsumptionRequest.HaobiAmount when recorded
	// by RecordConsumption.
	HaobiAmount couponkit.Fen
	// PointsEarned and PointsSpent are the points added and taken
	// (incScore, expScore), in whole points.
	PointsEarned, PointsSpent int64
	// ScoreType is the record's kind (scoType) [likely].
	ScoreType ScoreType
	// BusinessType is its points-mall business (hbsBusiType) [likely].
	BusinessType PointsBusinessType
	// Remark is the record's note (remark), such as
	// "轻烹商城兑券(反结账)".
	Remark string
	// CreateTime is when the record was made (ctime) [likely], in Beijing
	// time; zero when not sent.
	CreateTime time.Time
}

// wirePointsRecord is one element of data.records as the vendor writes it.
type wirePointsRecord struct {
	ID          wiretype.Text `json:"id"`
	MmbID       wiretype.Text `json:"mmbId"`
	CardNo      wiretype.Text `json:"cardNo"`
	SrcID       wiretype.Text `json:"srcId"`
	OrgCode     wiretype.Text `json:"orgCode"`
	BizDate     wiretype.Time `json:"bizDate"`
	Amount      wiretype.Yuan `json:"amount"`
	ScoreAmt    wiretype.Yuan `json:"scoreAmt"`
	ConsAmt     wiretype.Yuan `json:"consAmt"`
	IncScore    wiretype.Int  `json:"incScore"`
	ExpScore    wiretype.Int  `json:"expScore"`
	ScoType     wiretype.Int  `json:"scoType"`
	HbsBusiType wiretype.Int  `json:"hbsBusiType"`
	Remark      string        `json:"remark"`
	Ctime       wiretype.Time `json:"ctime"`
}

func (w *wirePointsRecord) record(month time.Time) PointsRecord {
	return PointsRecord{
		Month: month, ID: string(w.ID), MemberID: string(w.MmbID), CardNo: string(w.CardNo), OrderID: string(w.SrcID),
		OrgCode: string(w.OrgCode), BizDate: time.Time(w.BizDate), Amount: couponkit.Fen(w.Amount),
		PaidAmount: couponkit.Fen(w.ScoreAmt), HaobiAmount: couponkit.Fen(w.ConsAmt), PointsEarned: int64(w.IncScore),
		PointsSpent: int64(w.ExpScore), ScoreType: ScoreType(w.ScoType), BusinessType: PointsBusinessType(w.HbsBusiType),
		Remark: w.Remark, CreateTime: time.Time(w.Ctime),
	}
}

// pointsAnswer is queryMemberScoRecordForShop's data.
type pointsAnswer struct {
	TotalIncScore wholePoints        `json:"totalIncScore"`
	TotalExpScore wholePoints        `json:"totalExpScore"`
	Records       []wirePointsRecord `json:"records"`
	Page          *wirePaging        `json:"page"`
}

// wirePaging is data.page: next and pages as the page's table prints them,
// and total, the number of records, when the gateway sends it [open].
type wirePaging struct {
	Next  *wiretype.Bool `json:"next"`
	Pages wiretype.Int   `json:"pages"`
	Total *wiretype.Int  `json:"total"`
}

// Complete requires data.records, empty for a month without records: the
// list is what the call exists for.
func (a *pointsAnswer) Complete() error {
	if a.Records == nil {
		return transport.Missing("data.records")
	}
	return nil
}

// wholePoints is a points total (the page types totalIncScore and
// totalExpScore BigDecimal): a JSON number or string holding a whole number,
// with or without a fraction of zeros ("120", 120.00). Any other fraction is
// an error, so the answer is unreadable rather than rounded [open].
type wholePoints int64

var errPoints = errors.New("not a whole number of points")

// UnmarshalJSON reads the total; null leaves it as it is.
func (p *wholePoints) UnmarshalJSON(b []byte) error {
	var y wiretype.Yuan // two decimals at most, exactly, as hundredths
	if err := y.UnmarshalJSON(b); err != nil {
		return errors.New(errPoints.Error() + ": " + err.Error())
	}
	if y%100 != 0 {
		return errors.New(errPoints.Error() + ": " + string(b))
	}
	if string(b) != "null" {
		*p = wholePoints(y / 100)
	}
	return nil
}

// PointsPage is one page of a member's points ledger in one month.
type PointsPage struct {
	// Month is the month listed: its first day at midnight in Beijing time.
	Month time.Time
	// Offset is the position of the page's first record in the month, as
	// asked (page.offset).
	Offset int
	// NextOffset is the offset of the page after it: Offset plus the
	// records the gateway sent on this page.
	NextOffset int
	// More says whether the month has records after this page: page.next,
	// or, when the gateway does not send it, whether the page was full.
	More bool
	// Pages is the month's number of pages (page.pages), 0 when not sent.
	Pages int
	// TotalEarned and TotalSpent are the month's points earned and spent
	// (totalIncScore, totalExpScore), in whole points.
	TotalEarned, TotalSpent int64
	// Records are the page's records, in the gateway's order.
	Records []PointsRecord
	// Meta describes the HTTP exchange. It is never JSON-encoded.
	Meta couponkit.Meta `json:"-"`

	total int64 // page.total, -1 when not sent
}

// page builds the public page of answer a to a request for month at offset
// with limit.
func (a *pointsAnswer) page(month time.Time, offset, limit int, meta couponkit.Meta) *PointsPage {
	p := &PointsPage{Month: month, Offset: offset, NextOffset: offset + len(a.Records), TotalEarned: int64(a.TotalIncScore),
		TotalSpent: int64(a.TotalExpScore), Meta: meta, total: -1}
	p.More = len(a.Records) >= limit
	if a.Page != nil {
		p.Pages = int(a.Page.Pages)
		if a.Page.Next != nil {
			p.More = bool(*a.Page.Next) && len(a.Records) > 0
		}
		if a.Page.Total != nil {
			p.total = int64(*a.Page.Total)
		}
	}
	p.Records = convertList(a.Records, func(w *wirePointsRecord) PointsRecord { return w.record(month) })
	return p
}

// monthStart is the first day of t's month at midnight in Beijing time.
func monthStart(t time.Time) time.Time {
	b := t.In(cntime.Location())
	return time.Date(b.Year(), b.Month(), 1, 0, 0, 0, 0, cntime.Location())
}

// PointsLedgerPage returns one page of a member's points ledger in one
// month (queryMemberScoRecordForShop): the records from req.Offset, at most
// req.Limit of them, with the month's totals. It is a read: retried on
// network failures, 5xx, throttling and unreadable answers, among them a
// success without data.records. [Client.PointsLedger] pages through months
// and pages, with the checks that keep a listing from losing or repeating
// records.
func (c *Client) PointsLedgerPage(ctx context.Context, req *PointsPageRequest) (*PointsPage, error) {
	limit, err := req.validate()
	if err != nil {
		return nil, err
	}
	var a pointsAnswer
	meta, err := transport.Send(ctx, &c.typed, opPointsLedger, "", req.params(limit, c.monthLayout), &a)
	if err != nil {
		return nil, err
	}
	return a.page(monthStart(req.Month), req.Offset, limit, meta), nil
}
