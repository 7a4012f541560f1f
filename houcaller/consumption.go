package houcaller

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/money"
)

// The consumption record, as an Unsafe write (the default: the vendor says
// serialCode is unique, 唯一业务号, but not what a repeat does) and as a Keyed
// one (Config.SerialCodeDedup).
var opsConsumption = newWriteOps(EndpointRecordConsumption, ConsumptionKeyName)

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
	if err := checkYear("BizDate", r.BizDate, ""); err != nil {
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

// appendParam appends the business JSON in the order of the vendor's field
// table: consAmt, amount, cuser, bizDate, orgCode, srcId, scoreAmt, remark,
// serialCode, memberId (optional fields only when set).
func (r *ConsumptionRequest) appendParam(b []byte, serial, bizDateLayout string) []byte {
	b = append(b, `{"consAmt":"`...)
	b = r.HaobiAmount.AppendYuan(b)
	b = append(b, `","amount":"`...)
	b = r.Amount.AppendYuan(b)
	b = append(b, '"')
	if r.Operator != "" {
		b = append(b, `,"cuser":`...)
		b = jsonx.AppendString(b, r.Operator)
	}
	b = append(b, `,"bizDate":`...)
	b = jsonx.AppendString(b, r.BizDate.In(cntime.Location()).Format(bizDateLayout))
	if r.OrgCode != "" {
		b = append(b, `,"orgCode":`...)
		b = jsonx.AppendString(b, r.OrgCode)
	}
	b = append(b, `,"srcId":`...)
	b = jsonx.AppendString(b, r.OrderID)
	b = append(b, `,"scoreAmt":"`...)
	b = r.PaidAmount.AppendYuan(b)
	b = append(b, `","remark":`...)
	b = jsonx.AppendString(b, r.Remark)
	b = append(b, `,"serialCode":`...)
	b = jsonx.AppendString(b, serial)
	b = append(b, `,"memberId":`...)
	b = jsonx.AppendString(b, r.MemberID)
	return append(b, '}')
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

// consumptionWire is recordMemberCons's data as sent.
type consumptionWire struct {
	ID       jsonx.Flex `json:"id"`
	MmbID    jsonx.Flex `json:"mmbId"`
	CardNo   jsonx.Flex `json:"cardNo"`
	SrcID    jsonx.Flex `json:"srcId"`
	Amount   money.Yuan `json:"amount"`
	ScoreAmt money.Yuan `json:"scoreAmt"`
	ConsAmt  money.Yuan `json:"consAmt"`
	IncHbbal flexInt    `json:"incHbbal"`
	ExpHbbal flexInt    `json:"expHbbal"`
	IncScore flexInt    `json:"incScore"`
	ExpScore flexInt    `json:"expScore"`
	Status   flexInt    `json:"status"`
	BizDate  stamp      `json:"bizDate"`
	Ctime    stamp      `json:"ctime"`
}

// complete requires the id of the record stored (id), what
// recordMemberCons's answer exists for.
func (w *consumptionWire) complete() error {
	if w.ID == "" {
		return errors.New("a consumption's success without the record's id")
	}
	return nil
}

// consumption is one record's result and its reply, allocated together.
type consumption struct {
	res ConsumptionResult
	rep reply[consumptionWire]
	ex  exchange
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
// points ledger (queryMemberScoRecordForShop through Call) before recording
// again. With Config.SerialCodeDedup a record is retried with the same
// serialCode, and a retry the gateway refuses after an attempt that may have
// been recorded (a repeated serialCode refused as a duplicate, say) is such
// an unknown outcome too, with the refusal reachable through errors.As.
func (c *Client) RecordConsumption(ctx context.Context, req *ConsumptionRequest) (*ConsumptionResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("ConsumptionRequest", "is nil")
	}
	serial, err := c.writeKey(c.consumption, "SerialCode", req.SerialCode, req.validate)
	if err != nil {
		return nil, err
	}
	var buf [512]byte
	r := &consumption{res: ConsumptionResult{SerialCode: serial}}
	if r.res.Meta, err = c.send(ctx, c.consumption, serial, req.appendParam(buf[:0], serial, c.bizDateLayout), &r.ex, &r.rep); err != nil {
		return nil, err
	}
	w := &r.rep.Data
	r.res.ID, r.res.MemberID, r.res.CardNo, r.res.OrderID = string(w.ID), string(w.MmbID), string(w.CardNo), string(w.SrcID)
	r.res.Amount, r.res.PaidAmount, r.res.HaobiAmount = w.Amount.Fen(), w.ScoreAmt.Fen(), w.ConsAmt.Fen()
	r.res.HaobiEarned, r.res.HaobiSpent = int64(w.IncHbbal), int64(w.ExpHbbal)
	r.res.PointsEarned, r.res.PointsSpent = int64(w.IncScore), int64(w.ExpScore)
	r.res.Status = int(w.Status)
	r.res.BizDate, r.res.CreateTime = time.Time(w.BizDate), time.Time(w.Ctime)
	return &r.res, nil
}
