package houcallertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// Sale is a card sale the fake recorded.
type Sale struct {
	// SaleNo, CardInfoID, MemberID, SaleUser and SaleOrgCode are as sent.
	SaleNo, CardInfoID, MemberID, SaleUser, SaleOrgCode string
	// SaleTime is the sale time sent, in Beijing time.
	SaleTime time.Time
	// PayAmount is the amount paid as sent (yuan on the wire).
	PayAmount couponkit.Fen
	// Count is the number of cards (num; 1 when absent).
	Count int
	// MemberCardID is the member card the sale created.
	MemberCardID string
	// Coupons are the coupon codes issued.
	Coupons []houcaller.IssuedCoupon
	// Replays is how many later requests with the same saleNo were answered
	// from this sale without selling again.
	Replays int
}

// saleRoutes are the routes of this file's APIs.
func saleRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{route(houcaller.EndpointSellCard, (*Server).sell)}
}

var _ = areas.Add(saleRoutes)

// saleParam is the decrypted business JSON of a sale; scalars are read
// leniently (string or number).
type saleParam struct {
	CardInfoID  jsonx.Flex `json:"cardInfoId"`
	SaleTime    jsonx.Flex `json:"saleTime"`
	SaleUser    jsonx.Flex `json:"saleUser"`
	SaleOrgCode jsonx.Flex `json:"saleOrgCode"`
	Num         jsonx.Flex `json:"num"`
	PayAmt      jsonx.Flex `json:"payAmt"`
	SaleNo      jsonx.Flex `json:"saleNo"`
	MemberID    jsonx.Flex `json:"memberId"`
}

// sell answers sendMncardForSale: a sale of the card asked for, its coupons
// issued, or the first sale's answer again for a saleNo sold before.
func (s *Server) sell(w http.ResponseWriter, plain []byte) {
	var p saleParam
	if !s.decodeParam(w, plain, &p) {
		return
	}
	switch {
	case p.CardInfoID == "":
		s.reply(w, CodeBadParam, "缺少参数: cardInfoId", nil)
		return
	case p.SaleNo == "":
		s.reply(w, CodeBadParam, "缺少参数: saleNo", nil)
		return
	case p.MemberID == "":
		s.reply(w, CodeBadParam, "缺少参数: memberId", nil)
		return
	}
	payAmt, ok := amount(p.PayAmt)
	if !ok {
		s.reply(w, CodeBadParam, "payAmt格式错误", nil)
		return
	}
	saleTime, err := cntime.Parse(string(p.SaleTime))
	if err != nil {
		s.reply(w, CodeBadParam, "saleTime格式应为yyyy-MM-dd HH:mm:ss", nil)
		return
	}
	count := 1
	if p.Num != "" {
		if count, err = strconv.Atoi(string(p.Num)); err != nil || count < 1 || count > 100 {
			s.reply(w, CodeBadParam, "num应为1-100的整数", nil)
			return
		}
	}
	card, ok := s.cards[string(p.CardInfoID)]
	if !ok {
		s.reply(w, CodeCardNotFound, "名牛卡不存在: "+string(p.CardInfoID), nil)
		return
	}
	sale := Sale{
		SaleNo: string(p.SaleNo), CardInfoID: card.InfoID, MemberID: string(p.MemberID),
		SaleUser: string(p.SaleUser), SaleOrgCode: string(p.SaleOrgCode),
		SaleTime: saleTime, PayAmount: payAmt, Count: count,
	}
	answer, replayed := s.replay.DoAPI(houcaller.EndpointSellCard, sale.SaleNo, func() ([]byte, bool) {
		return s.record(card, sale), true
	})
	if replayed {
		s.mu.Lock()
		for i := range s.sales {
			if s.sales[i].SaleNo == sale.SaleNo {
				s.sales[i].Replays++
			}
		}
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, answer)
}

// record stores a new sale, issues its coupons, and returns the answer.
func (s *Server) record(card Card, sale Sale) []byte {
	now := s.Clock().Now()
	s.mu.Lock()
	s.seq++
	sale.MemberCardID = fmt.Sprintf("MC%010d", s.seq)
	for _, cpnID := range card.CouponIDs {
		ic := houcaller.IssuedCoupon{CouponID: cpnID}
		for range sale.Count {
			s.seq++
			code := fmt.Sprintf("HKC%010d", s.seq)
			ic.Codes = append(ic.Codes, code)
			day := sale.SaleTime.In(cntime.Location())
			begin := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, cntime.Location())
			s.coupons = append(s.coupons, Coupon{
				ID: fmt.Sprintf("CI%010d", s.seq), Code: code, CouponID: cpnID, Name: card.CouponName,
				MemberID: sale.MemberID, SaleNo: sale.SaleNo, SaleTime: sale.SaleTime, IssuedAt: now,
				BeginDate: begin, EndDate: begin.AddDate(0, 0, card.ValidDays-1), Modified: now,
			})
		}
		sale.Coupons = append(sale.Coupons, ic)
	}
	s.sales = append(s.sales, sale)
	s.mu.Unlock()

	list := make([]map[string]any, len(sale.Coupons))
	for i, c := range sale.Coupons {
		list[i] = map[string]any{"cpnId": c.CouponID, "cpnCodes": c.Codes}
	}
	var data map[string]any
	switch s.cfg.Shape {
	case DataCard:
		data = cardRecord(card, sale, now)
	case DataBoth:
		data = cardRecord(card, sale, now)
		data["list"] = list
	default:
		data = map[string]any{"list": list}
	}
	return s.envelope(CodeOK, "操作成功", data)
}

// cardRecord is the member-card record of the vendor's field table: ids as
// strings, status "1", times in epoch milliseconds, payAmt a number.
func cardRecord(card Card, sale Sale, now time.Time) map[string]any {
	begin := sale.SaleTime
	end := begin.AddDate(0, 0, card.ValidDays)
	ms := func(t time.Time) int64 { return t.UnixMilli() }
	return map[string]any{
		"id":          sale.MemberCardID,
		"cardInfoId":  card.InfoID,
		"memberId":    sale.MemberID,
		"status":      "1",
		"saleNo":      sale.SaleNo,
		"saleOrgCode": sale.SaleOrgCode,
		"saleUser":    sale.SaleUser,
		"saleChannel": "openapi",
		"payAmt":      json.Number(sale.PayAmount.Yuan()),
		"saleTime":    ms(sale.SaleTime),
		"beginTime":   ms(begin),
		"endTime":     ms(end),
		"createTime":  ms(now),
		"createUser":  "openapi",
		"lockVersion": 0,
		"memberUsedList": []map[string]any{{
			"id":              "MU" + sale.MemberCardID[2:],
			"memberCardId":    sale.MemberCardID,
			"memberId":        sale.MemberID,
			"cardProductId":   card.ProductID,
			"cardProductName": card.ProductName,
			"status":          "1",
			"saleOrgCode":     sale.SaleOrgCode,
			"posid":           sale.SaleOrgCode,
			"saleUser":        sale.SaleUser,
			"cycleDays":       card.CycleDays,
			"cycleNum":        card.UsesPerCycle,
			"lastCycle":       0,
			"lastCycleUsed":   0,
			"totalUsedNum":    card.UsesPerCycle * ((card.ValidDays + card.CycleDays - 1) / card.CycleDays) * sale.Count,
			"hasUsedNum":      0,
			"beginTime":       ms(begin),
			"endTime":         ms(end),
			"createTime":      ms(now),
			"createUser":      "openapi",
			"lockVersion":     0,
		}},
	}
}

// Sales returns the sales recorded, in order.
func (s *Server) Sales() []Sale {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Sale, len(s.sales))
	for i, sale := range s.sales {
		out[i] = sale.clone()
	}
	return out
}

// clone copies the sale's coupon lists, so a caller cannot change the fake's state.
func (sale Sale) clone() Sale {
	cs := make([]houcaller.IssuedCoupon, len(sale.Coupons))
	for i, c := range sale.Coupons {
		cs[i] = houcaller.IssuedCoupon{CouponID: c.CouponID, Codes: append([]string(nil), c.Codes...)}
	}
	sale.Coupons = cs
	return sale
}

// Sale returns the sale recorded under saleNo.
func (s *Server) Sale(saleNo string) (Sale, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sale := range s.sales {
		if sale.SaleNo == saleNo {
			return sale.clone(), true
		}
	}
	return Sale{}, false
}
