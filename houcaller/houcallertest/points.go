package houcallertest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// pointsRoutes are the routes of this file's API: the points ledger.
func pointsRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{route(houcaller.EndpointPointsLedger, (*Server).pointsLedger)}
}

var _ = areas.Add(pointsRoutes)

// pointsEntry is one record of a member's points ledger.
type pointsEntry struct {
	member string
	rec    houcaller.PointsRecord
}

// AddPointsRecord adds r to memberID's points ledger, listed under the month
// of r.BizDate (Beijing time), after the records added before. A
// consumption recorded by recordMemberCons adds its own record (scoType 1,
// hbsBusiType -5, its amounts, srcId and id).
func (s *Server) AddPointsRecord(memberID string, r houcaller.PointsRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.points = append(s.points, pointsEntry{memberID, r})
}

// PointsRecords returns memberID's points ledger, in the order added.
func (s *Server) PointsRecords(memberID string) []houcaller.PointsRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []houcaller.PointsRecord
	for _, e := range s.points {
		if e.member == memberID {
			out = append(out, e.rec)
		}
	}
	return out
}

// IgnoreOffsetNext makes the next points-ledger request for a page after
// the first (page.offset above 0) answer from offset 0, as a gateway that
// ignores page.offset would.
func (s *Server) IgnoreOffsetNext() {
	s.mu.Lock()
	s.ignoreOffset++
	s.mu.Unlock()
}

// pointsParam is the decrypted business JSON of queryMemberScoRecordForShop.
type pointsParam struct {
	QueryType   jsonx.Flex `json:"queryType"`
	Phone       jsonx.Flex `json:"phone"`
	MemberID    jsonx.Flex `json:"memberId"`
	ID          jsonx.Flex `json:"id"`
	UnionID     jsonx.Flex `json:"unionId"`
	OpenID      jsonx.Flex `json:"openId"`
	Month       jsonx.Flex `json:"month"`
	ScoType     jsonx.Flex `json:"scoType"`
	HbsBusiType jsonx.Flex `json:"hbsBusiType"`
	Page        *struct {
		Offset jsonx.Flex `json:"offset"`
		Limit  jsonx.Flex `json:"limit"`
	} `json:"page"`
}

// pointsLedger answers queryMemberScoRecordForShop: the member's records of
// the month (Config.MonthLayout), filtered by scoType and hbsBusiType, from
// page.offset (a record offset), at most page.limit of them (and at most
// Config.PointsMaxPageSize), with the month's totals and page {next, pages}.
// A member named by phone, openId or unionId must be known (AddMember).
func (s *Server) pointsLedger(w http.ResponseWriter, plain []byte) {
	var p pointsParam
	if !s.decodeParam(w, plain, &p) {
		return
	}
	key := cmp.Or(string(p.QueryType), "memberId")
	value := map[string]jsonx.Flex{"memberId": p.MemberID, "id": p.ID, "phone": p.Phone, "openId": p.OpenID, "unionId": p.UnionID}
	v, ok := value[key]
	switch {
	case !ok:
		s.reply(w, CodeBadParam, "queryType不正确: "+key, nil)
		return
	case v == "":
		s.reply(w, CodeBadParam, "缺少参数: "+key, nil)
		return
	case p.Page == nil:
		s.reply(w, CodeBadParam, "缺少参数: page", nil)
		return
	}
	month, err := time.ParseInLocation(cmp.Or(s.cfg.MonthLayout, houcaller.DefaultMonthLayout), string(p.Month), cntime.Location())
	if err != nil {
		s.reply(w, CodeBadParam, "month格式错误", nil)
		return
	}
	offset, errO := strconv.Atoi(string(p.Page.Offset))
	limit, errL := strconv.Atoi(string(p.Page.Limit))
	if errO != nil || errL != nil || offset < 0 || limit < 1 {
		s.reply(w, CodeBadParam, "page.offset或page.limit格式错误", nil)
		return
	}
	if s.cfg.PointsMaxPageSize > 0 {
		limit = min(limit, s.cfg.PointsMaxPageSize)
	}
	s.mu.Lock()
	member := string(v)
	if key != "memberId" && key != "id" {
		if member, ok = s.memberBy(key, member); !ok {
			s.mu.Unlock()
			s.reply(w, CodeMemberNotFound, "会员不存在", nil)
			return
		}
	}
	if s.ignoreOffset > 0 && offset > 0 {
		s.ignoreOffset--
		offset = 0
	}
	var recs []houcaller.PointsRecord
	var inc, exp int64
	for _, e := range s.points {
		r := e.rec
		b := r.BizDate.In(cntime.Location())
		if e.member != member || b.Year() != month.Year() || b.Month() != month.Month() ||
			p.ScoType != "" && string(p.ScoType) != strconv.Itoa(int(r.ScoreType)) ||
			p.HbsBusiType != "" && string(p.HbsBusiType) != strconv.Itoa(int(r.BusinessType)) {
			continue
		}
		recs = append(recs, r)
		inc += r.PointsEarned
		exp += r.PointsSpent
	}
	s.mu.Unlock()
	n := len(recs)
	page := recs[min(offset, n):min(offset+limit, n)]
	list := make([]map[string]any, len(page))
	for i, r := range page {
		list[i] = map[string]any{
			"amount": json.Number(r.Amount.Yuan()), "bizDate": cntime.Format(r.BizDate), "cardNo": r.CardNo,
			"consAmt": json.Number(r.HaobiAmount.Yuan()), "expScore": r.PointsSpent, "incScore": r.PointsEarned,
			"orgCode": r.OrgCode, "remark": r.Remark, "scoreAmt": json.Number(r.PaidAmount.Yuan()),
			"id": r.ID, "mmbId": member, "srcId": r.OrderID, "scoType": r.ScoreType, "hbsBusiType": strconv.Itoa(int(r.BusinessType)),
			"ctime": timeOrEmpty(r.CreateTime),
		}
	}
	s.reply(w, CodeOK, "操作成功", map[string]any{
		"totalIncScore": inc, "totalExpScore": exp, "records": list,
		"page": map[string]any{"next": offset+len(page) < n, "pages": (n + limit - 1) / limit},
	})
}
