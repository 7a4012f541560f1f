package houcaller

import (
	"context"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/money"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opConsumption is the consumption record, an Unsafe write keyed by
// serialCode: the vendor says serialCode is unique (唯一业务号) but not what a
// repeat does [open]. opConsumptionKeyed is the record with
// Config.SerialCodeDedup, a Keyed write.
var (
	opConsumption = &transport.Op{Name: EndpointRecordConsumption, Path: EndpointRecordConsumption, Class: transport.Unsafe,
		KeyName: ConsumptionKeyName, NewKey: newSaleNo}
	opConsumptionKeyed = keyed(opConsumption)
)

var _ = registry.Add(transport.Describe(Vendor, opConsumption, (*Client).RecordConsumption, "records a member's spending, which earns 豪币"))

// ConsumptionKeyName is the wire name of a consumption record's idempotency
// key, serialCode (ConsumptionRequest.SerialCode), as
// couponkit.UnknownOutcomeError.KeyName and the KeyName of
// couponkit.CallInfo report it.
const ConsumptionKeyName = "serialCode"

// DefaultBizDateLayout is the default Config.BizDateLayout: the business day
// at midnight, "yyyy-MM-dd 00:00:00", as the vendor's response example
// echoes bizDate [open].
const DefaultBizDateLayout = "2006-01-02 00:00:00"

// ConsumptionRequest records a member's spending, which earns 豪币
// (recordMemberCons). Amounts are sent in yuan as JSON strings with two
// decimals, "30.00" [likely: the field table says string, the unit is not
// stated; the sale's payAmt is yuan].
type ConsumptionRequest struct {
	// SerialCode is the unique business number of this record (serialCode)
	// and its idempotency key. Empty means the client makes one
	// (Config.NewKey) and returns it in ConsumptionResult.SerialCode, or,
	// when the outcome is unknown, in the error (couponkit.IdempotencyKey).
	SerialCode string
	// MemberID is the member who spent (memberId). Required.
	MemberID string
	// OrderID is the order's id (srcId). Required.
	OrderID string
	// Amount is the order amount (amount). Not negative.
	Amount couponkit.Fen
	// PaidAmount is the amount actually paid (scoreAmt). Not negative.
	PaidAmount couponkit.Fen
	// HaobiAmount is the amount that earns 豪币 (consAmt). Not negative.
	HaobiAmount couponkit.Fen
	// BizDate is the business day (bizDate), sent in Beijing time with
	// Config.BizDateLayout. Required, within the years 0000–9999.
	BizDate time.Time
	// OrgCode is the restaurant (orgCode). Optional.
	OrgCode string
	// Operator is who records it (cuser). Optional.
	Operator string
	// Remark is a note (remark). The field table marks it required, so it is
	// always sent, "" when empty.
	Remark string
}

func (r *ConsumptionRequest) validate(serial string) error {
	switch {
	case strings.TrimSpace(serial) == "":
		return couponkit.Invalid("SerialCode", "must not be blank (it is the record's idempotency key; leave it empty to have one made)")
	case strings.TrimSpace(r.MemberID) == "":
		return couponkit.Invalid("MemberID", "is required")
	case strings.TrimSpace(r.OrderID) == "":
		return couponkit.Invalid("OrderID", "is required")
	case r.BizDate.IsZero():
		return couponkit.Invalid("BizDate", "is required")
	}
	if err := wiretype.CheckYear("BizDate", r.BizDate); err != nil {
		return err
	}
	for _, f := range [...]struct {
		name string
		v    couponkit.Fen
	}{{"Amount", r.Amount}, {"PaidAmount", r.PaidAmount}, {"HaobiAmount", r.HaobiAmount}} {
		if err := money.Check(f.name, f.v, money.MaxYuanDigits, false); err != nil {
			return err
		}
	}
	return checkUTF8(field{"SerialCode", serial}, field{"MemberID", r.MemberID}, field{"OrderID", r.OrderID},
		field{"OrgCode", r.OrgCode}, field{"Operator", r.Operator}, field{"Remark", r.Remark})
}

// params is the record's business JSON with serial, bizDate written with
// layout in Beijing time.
func (r *ConsumptionRequest) params(serial, layout string) *consumptionParams {
	return &consumptionParams{
		ConsAmt: wiretype.Yuan(r.HaobiAmount), Amount: wiretype.Yuan(r.Amount), Cuser: r.Operator,
		BizDate: r.BizDate.In(cntime.Location()).Format(layout), OrgCode: r.OrgCode, SrcID: r.OrderID,
		ScoreAmt: wiretype.Yuan(r.PaidAmount), Remark: r.Remark, SerialCode: serial, MemberID: r.MemberID,
	}
}

// consumptionParams is recordMemberCons's param, in the order of the
// vendor's field table (the optional cuser and orgCode only when set; remark,
// which the table marks required, always), amounts in yuan as JSON strings.
type consumptionParams struct {
	ConsAmt    wiretype.Yuan `json:"consAmt"`
	Amount     wiretype.Yuan `json:"amount"`
	Cuser      string        `json:"cuser,omitempty"`
	BizDate    string        `json:"bizDate"`
	OrgCode    string        `json:"orgCode,omitempty"`
	SrcID      string        `json:"srcId"`
	ScoreAmt   wiretype.Yuan `json:"scoreAmt"`
	Remark     string        `json:"remark"`
	SerialCode string        `json:"serialCode"`
	MemberID   string        `json:"memberId"`
}

// ConsumptionResult is the consumption record the gateway stored. Amounts are
// read as yuan; times are in Beijing time.
type ConsumptionResult struct {
	// SerialCode is the serialCode the record was sent with (given or made).
	SerialCode string
	// ID is the record's id (id).
	ID string
	// MemberID and CardNo are the member and the member card (mmbId, cardNo).
	MemberID, CardNo string
	// OrderID is the order (srcId).
	OrderID string
	// Amount, PaidAmount and HaobiAmount are as recorded (amount, scoreAmt, consAmt).
	Amount, PaidAmount, HaobiAmount couponkit.Fen
	// HaobiEarned and HaobiSpent are the 豪币 added and taken, in whole 豪币
	// (incHbbal, expHbbal).
	HaobiEarned, HaobiSpent int64
	// PointsEarned and PointsSpent are the points added and taken (incScore, expScore).
	PointsEarned, PointsSpent int64
	// Status is the record's status (status; 1 in the vendor's example).
	Status int
	// BizDate is the business day and CreateTime when the record was made
	// (bizDate, ctime), in Beijing time.
	BizDate, CreateTime time.Time
	// Meta describes the HTTP exchange. It is never JSON-encoded.
	Meta couponkit.Meta `json:"-"`
}

// consumptionAnswer is recordMemberCons's data as the vendor writes it:
// amounts as numbers in yuan (strings are read too), times as
// "yyyy-MM-dd HH:mm:ss".
type consumptionAnswer struct {
	ID       wiretype.Text `json:"id"`
	MmbID    wiretype.Text `json:"mmbId"`
	CardNo   wiretype.Text `json:"cardNo"`
	SrcID    wiretype.Text `json:"srcId"`
	Amount   yuan          `json:"amount"`
	ScoreAmt yuan          `json:"scoreAmt"`
	ConsAmt  yuan          `json:"consAmt"`
	IncHbbal wiretype.Int  `json:"incHbbal"`
	ExpHbbal wiretype.Int  `json:"expHbbal"`
	IncScore wiretype.Int  `json:"incScore"`
	ExpScore wiretype.Int  `json:"expScore"`
	Status   wiretype.Int  `json:"status"`
	BizDate  wiretype.Time `json:"bizDate"`
	Ctime    wiretype.Time `json:"ctime"`
}

// Complete requires the id of the record stored (id), what
// recordMemberCons's answer exists for.
func (a *consumptionAnswer) Complete() error {
	if a.ID == "" {
		return transport.Missing("id")
	}
	return nil
}

// RecordConsumption records a member's spending (recordMemberCons), which
// earns the member 豪币, and returns the record stored.
//
// SerialCode is the idempotency key (made from Config.NewKey when empty) and
// every attempt carries it. Houcaller calls serialCode unique but does not
// document what a repeat does [open], so unless Config.SerialCodeDedup is
// set a record is an Unsafe write, sent again only when the request provably
// never left or the gateway throttled it. When it may have arrived and the
// answer does not say what happened (code 0 without the record's id
// included), the error matches
// couponkit.ErrUnknownOutcome and carries the serialCode: check the member's
// points ledger (PointsLedger, by the record's OrderID) before recording
// again. With Config.SerialCodeDedup a record is retried with the same
// serialCode, and a retry the gateway refuses after an attempt that may have
// been recorded (a repeated serialCode refused as a duplicate, say) is such
// an unknown outcome too, with the refusal reachable through errors.As.
func (c *Client) RecordConsumption(ctx context.Context, req *ConsumptionRequest) (*ConsumptionResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("ConsumptionRequest", "is nil")
	}
	serial, err := c.ep.Key(c.opConsumption, "SerialCode", req.SerialCode)
	if err != nil {
		return nil, err
	}
	if err := req.validate(serial); err != nil {
		return nil, err
	}
	var a consumptionAnswer
	meta, err := transport.Send(ctx, &c.typed, c.opConsumption, serial, req.params(serial, c.bizDateLayout), &a)
	if err != nil {
		return nil, err
	}
	return &ConsumptionResult{
		SerialCode: serial, ID: string(a.ID), MemberID: string(a.MmbID), CardNo: string(a.CardNo), OrderID: string(a.SrcID),
		Amount: couponkit.Fen(a.Amount), PaidAmount: couponkit.Fen(a.ScoreAmt), HaobiAmount: couponkit.Fen(a.ConsAmt),
		HaobiEarned: int64(a.IncHbbal), HaobiSpent: int64(a.ExpHbbal), PointsEarned: int64(a.IncScore), PointsSpent: int64(a.ExpScore),
		Status: int(a.Status), BizDate: time.Time(a.BizDate), CreateTime: time.Time(a.Ctime), Meta: meta,
	}, nil
}
