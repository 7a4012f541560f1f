package houcallertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// Consumption is a member's spending the fake recorded (recordMemberCons).
type Consumption struct {
	// ID is the record's id.
	ID string
	// SerialCode, MemberID, OrderID (srcId), OrgCode, Operator (cuser) and
	// Remark are as sent.
	SerialCode, MemberID, OrderID, OrgCode, Operator, Remark string
	// BizDate is the bizDate sent, as text.
	BizDate string
	// Amount, PaidAmount (scoreAmt) and HaobiAmount (consAmt) are as sent.
	Amount, PaidAmount, HaobiAmount couponkit.Fen
	// HaobiEarned is the 豪币 it earned: one per whole yuan of HaobiAmount.
	HaobiEarned int64
	// Created is when the fake recorded it, on its clock.
	Created time.Time
	// Repeats is how many later requests with the same serialCode were
	// refused (or, with Config.DedupConsumptions, answered from this record).
	Repeats int
}

// consumptionRoutes are the routes of this file's APIs.
func consumptionRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{route(houcaller.EndpointRecordConsumption, (*Server).recordConsumption)}
}

var _ = areas.Add(consumptionRoutes)

// consumptionParam is the decrypted business JSON of recordMemberCons;
// scalars are read leniently (string or number).
type consumptionParam struct {
	ConsAmt    jsonx.Flex `json:"consAmt"`
	Amount     jsonx.Flex `json:"amount"`
	Cuser      jsonx.Flex `json:"cuser"`
	BizDate    jsonx.Flex `json:"bizDate"`
	OrgCode    jsonx.Flex `json:"orgCode"`
	SrcID      jsonx.Flex `json:"srcId"`
	ScoreAmt   jsonx.Flex `json:"scoreAmt"`
	Remark     *string    `json:"remark"`
	SerialCode jsonx.Flex `json:"serialCode"`
	MemberID   jsonx.Flex `json:"memberId"`
}

// recordConsumption answers recordMemberCons: it stores a consumption. A
// serialCode already recorded is refused with CodeDuplicateSerial, or, with
// Config.DedupConsumptions, answered with the first record's answer.
func (s *Server) recordConsumption(w http.ResponseWriter, plain []byte) {
	var p consumptionParam
	if !s.decodeParam(w, plain, &p) {
		return
	}
	consAmt, consOK := amount(p.ConsAmt)
	amt, amtOK := amount(p.Amount)
	scoreAmt, scoreOK := amount(p.ScoreAmt)
	for _, f := range [...]struct {
		name string
		ok   bool
	}{
		{"consAmt", consOK}, {"amount", amtOK}, {"bizDate", p.BizDate != ""}, {"srcId", p.SrcID != ""},
		{"scoreAmt", scoreOK}, {"remark", p.Remark != nil}, {"serialCode", p.SerialCode != ""}, {"memberId", p.MemberID != ""},
	} {
		if !f.ok {
			s.reply(w, CodeBadParam, "缺少参数或格式错误: "+f.name, nil)
			return
		}
	}
	bizDay, err := parseBizDate(string(p.BizDate))
	if err != nil {
		s.reply(w, CodeBadParam, "bizDate格式错误", nil)
		return
	}
	rec := Consumption{
		SerialCode: string(p.SerialCode), MemberID: string(p.MemberID), OrderID: string(p.SrcID),
		OrgCode: string(p.OrgCode), Operator: string(p.Cuser), Remark: *p.Remark, BizDate: string(p.BizDate),
		Amount: amt, PaidAmount: scoreAmt, HaobiAmount: consAmt,
	}
	rec.HaobiEarned = int64(rec.HaobiAmount / 100)
	if !s.cfg.DedupConsumptions {
		if s.repeatConsumption(rec.SerialCode) {
			s.reply(w, CodeDuplicateSerial, "唯一业务号重复: "+rec.SerialCode, nil)
			return
		}
		writeJSON(w, http.StatusOK, s.storeConsumption(rec, bizDay))
		return
	}
	answer, replayed := s.replay.DoAPI(houcaller.EndpointRecordConsumption, rec.SerialCode, func() ([]byte, bool) {
		return s.storeConsumption(rec, bizDay), true
	})
	if replayed {
		s.repeatConsumption(rec.SerialCode)
	}
	writeJSON(w, http.StatusOK, answer)
}

// parseBizDate reads a bizDate as "yyyy-MM-dd HH:mm:ss" or "yyyy-MM-dd".
func parseBizDate(v string) (time.Time, error) {
	if t, err := cntime.Parse(v); err == nil {
		return t, nil
	}
	return cntime.ParseDate(v)
}

// repeatConsumption counts a repeat of serial and reports whether serial was
// recorded before.
func (s *Server) repeatConsumption(serial string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.consumptions {
		if s.consumptions[i].SerialCode == serial {
			s.consumptions[i].Repeats++
			return true
		}
	}
	return false
}

// storeConsumption records rec, adds its record to the member's points
// ledger, and returns the answer, shaped as the vendor's response example
// (amounts as numbers in yuan).
func (s *Server) storeConsumption(rec Consumption, bizDay time.Time) []byte {
	now := s.Clock().Now()
	s.mu.Lock()
	s.seq++
	rec.ID = fmt.Sprintf("%024x", s.seq)
	rec.Created = now
	day := bizDay.In(cntime.Location())
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, cntime.Location())
	s.consumptions = append(s.consumptions, rec)
	s.points = append(s.points, pointsEntry{rec.MemberID, houcaller.PointsRecord{
		ID: rec.ID, MemberID: rec.MemberID, OrderID: rec.OrderID, OrgCode: rec.OrgCode, BizDate: day,
		Amount: rec.Amount, PaidAmount: rec.PaidAmount, HaobiAmount: rec.HaobiAmount,
		ScoreType: houcaller.ScoreEarned, BusinessType: houcaller.BusinessConsumptionHaobi, Remark: rec.Remark, CreateTime: now,
	}})
	s.mu.Unlock()
	return s.envelope(CodeOK, "操作成功", map[string]any{
		"scoRate": 1, "srcObj": s.cfg.Channel, "cuser": rec.Operator, "checktime": cntime.Format(now),
		"bizDate": cntime.Format(day), "incHbbal": rec.HaobiEarned, "posScore": 0, "remark": rec.Remark,
		"cardNo": "", "mmbId": rec.MemberID, "score": 0, "expScore": 0, "orgCode": rec.OrgCode,
		"srcId": rec.OrderID, "ctime": cntime.Format(now), "scoType": 1,
		"scoreAmt": json.Number(rec.PaidAmount.Yuan()), "id": rec.ID, "consAmt": json.Number(rec.HaobiAmount.Yuan()),
		"amount": json.Number(rec.Amount.Yuan()), "gradeId": "", "realRate": 1, "hbsBusiType": "-5", "incScore": 0,
		"ordertime": cntime.Format(now), "bizDateStr": cntime.FormatDate(day), "payAmt": 0, "oriId": "",
		"ectnum": 0, "expHbbal": 0, "status": 1,
	})
}

// Consumptions returns the consumptions recorded, in order.
func (s *Server) Consumptions() []Consumption {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Consumption(nil), s.consumptions...)
}
