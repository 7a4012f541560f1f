package zvcmstest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/zvcms"
)

// flowRoutes are the routes of this file's APIs, whose paths are not on the
// vendor's pages: reversals, issues and the paged list.
func flowRoutes(cfg Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		route(cfg, apiReverse, (*Server).reverse),
		route(cfg, apiIssue, (*Server).issue),
		route(cfg, apiList, (*Server).list),
	}
}

var _ = areas.Add(flowRoutes)

// Reversal is a reversal (couponReverse) the fake applied.
type Reversal struct {
	// BizID is the reversed redemption's bizId.
	BizID string
	// CardIDs are the codes made unused again.
	CardIDs []string
	// At is when the fake applied it, in Beijing time.
	At time.Time
	// Replays is how many later requests for the same reversal (the same
	// redemption and codes) were answered from it without acting again.
	Replays int

	key string // the replay key: the redemption and the codes
}

// Issue is an issue (issueCouponsToCustomer) the fake applied.
type Issue struct {
	// BizID, CustomerID, CouponID, Num and ThirdChannel are as sent.
	BizID, CustomerID, CouponID string
	Num                         int
	ThirdChannel                string
	// CardIDs are the codes of the coupons issued.
	CardIDs []string
	// At is when the fake applied it, in Beijing time.
	At time.Time
	// Replays is how many later requests with the same bizId and params
	// were answered from this issue without issuing again.
	Replays int

	key string // the replay key: bizId and the params' canonical JSON
}

func (r *Reversal) fields() (string, *int) { return r.key, &r.Replays }
func (r *Reversal) clone()                 { r.CardIDs = slices.Clone(r.CardIDs) }

func (is *Issue) fields() (string, *int) { return is.key, &is.Replays }
func (is *Issue) clone()                 { is.CardIDs = slices.Clone(is.CardIDs) }

// Reversals returns the reversals applied so far, in order.
func (s *Server) Reversals() []Reversal { return records(s, &s.reversals) }

// Issues returns the issues applied so far, in order.
func (s *Server) Issues() []Issue { return records(s, &s.issues) }

type reverseParams struct {
	BizID           jsonx.Flex   `json:"bizId"`
	CustomerID      jsonx.Flex   `json:"customerId"`
	CouponsCardList []jsonx.Flex `json:"couponsCardList"`
}

// reverse answers couponReverse: the redemption with the bizId (of the
// customer, when given) makes its coupons (or the listed ones) unused
// again, once: the same reversal again (the same redemption and codes) is
// answered as the first time. The bizId is the one the write-off returned
// (Redemption.VendorBizID), as the vendor's page says; the bizId it was sent
// with is accepted too unless Config.ReverseByVendorBizID [open].
func (s *Server) reverse(w http.ResponseWriter, raw json.RawMessage) {
	var p reverseParams
	if err := json.Unmarshal(raw, &p); err != nil || p.BizID == "" {
		s.fail(w, failure{true, CodeBadParam, "参数错误: bizId"})
		return
	}
	biz := string(p.BizID)
	s.mu.Lock()
	i := slices.IndexFunc(s.redemptions, func(r Redemption) bool {
		return r.VendorBizID == biz || (r.BizID == biz && !s.cfg.ReverseByVendorBizID)
	})
	var red Redemption
	if i >= 0 {
		red = s.redemptions[i]
	}
	s.mu.Unlock()
	if i < 0 || (p.CustomerID != "" && red.CustomerID != string(p.CustomerID)) {
		s.fail(w, failure{true, CodeWriteOffNotFound, "核销记录不存在: " + biz})
		return
	}
	cards := make([]string, 0, len(p.CouponsCardList))
	for _, id := range p.CouponsCardList {
		cards = append(cards, string(id))
	}
	slices.Sort(cards)
	key := red.VendorBizID + "\x00" + strings.Join(cards, "\x00")
	answerOnce(s, w, apiReverse, key, &s.reversals, func() ([]byte, bool) {
		cards, f := s.applyReverse(red, p.CouponsCardList, biz, key)
		if f != nil {
			return s.refusal(*f), false
		}
		return s.success("冲正成功", map[string]any{"bizId": biz, "couponsCardList": cards}), true
	})
}

func (s *Server) applyReverse(red Redemption, list []jsonx.Flex, biz, key string) ([]string, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cards := red.CardIDs
	if len(list) > 0 {
		cards = nil
		for _, id := range list {
			if !slices.Contains(red.CardIDs, string(id)) || slices.Contains(cards, string(id)) {
				return nil, &failure{true, CodeWriteOffNotFound, "券不在该核销中: " + string(id)}
			}
			cards = append(cards, string(id))
		}
	}
	for _, id := range cards {
		if c := s.coupons[id]; c.UseStatus != zvcms.UseStatusRedeemed {
			return nil, &failure{true, CodeNotRedeemed, "券未核销: " + id}
		}
	}
	now := s.now()
	for _, id := range cards {
		c := s.coupons[id]
		c.UseStatus = zvcms.UseStatusUnused
		c.UpdatedAt = now
	}
	s.reversals = append(s.reversals, Reversal{BizID: biz, CardIDs: slices.Clone(cards), At: now, key: key})
	return cards, nil
}

type issueParams struct {
	BizID        jsonx.Flex `json:"bizId"`
	CouponID     jsonx.Flex `json:"couponId"`
	CustomerID   jsonx.Flex `json:"customerId"`
	Num          jsonx.Flex `json:"num"`
	ThirdChannel jsonx.Flex `json:"thirdChannel"`
}

// maxIssue is the most coupons the fake issues at once.
const maxIssue = 100

// issue answers issueCouponsToCustomer: num new unused coupons of couponId
// for a known customer, copying the title, type, template and validity of
// a coupon the fake already has with that couponId. A bizId already applied
// with the same params is answered as the first time (the fake
// de-duplicates; whether the vendor does is not published), with other
// params refused with CodeBizIDReused.
func (s *Server) issue(w http.ResponseWriter, raw json.RawMessage) {
	var p issueParams
	if err := json.Unmarshal(raw, &p); err != nil {
		s.fail(w, failure{true, CodeBadParam, "参数错误: " + err.Error()})
		return
	}
	num, ok := count(p.Num)
	switch {
	case p.CustomerID == "":
		s.fail(w, failure{true, CodeBadParam, "参数错误: customerId不能为空"})
		return
	case p.CouponID == "":
		s.fail(w, failure{true, CodeBadParam, "参数错误: couponId不能为空"})
		return
	case !ok || num < 1 || num > maxIssue:
		s.fail(w, failure{true, CodeBadParam, "参数错误: num"})
		return
	}
	is := Issue{BizID: string(p.BizID), CustomerID: string(p.CustomerID), CouponID: string(p.CouponID), Num: int(num), ThirdChannel: string(p.ThirdChannel)}
	apply := func() ([]byte, bool) {
		if f := s.applyIssue(&is); f != nil {
			return s.refusal(*f), false
		}
		return s.success("发券成功", map[string]any{"cardId": is.CardIDs[0], "cardIdList": is.CardIDs, "num": s.number(int64(is.Num))}), true
	}
	if is.BizID == "" {
		answer, _ := apply()
		writeJSON(w, http.StatusOK, answer)
		return
	}
	is.key = paramsKey(is.BizID, raw)
	answerOnce(s, w, apiIssue, is.key, &s.issues, apply)
}

func (s *Server) applyIssue(is *Issue) *failure {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, known := s.customers[is.CustomerID]; !known {
		return &failure{true, CodeNotFound, "查询的信息不存在"}
	}
	if is.BizID != "" && slices.ContainsFunc(s.issues, func(d Issue) bool { return d.BizID == is.BizID }) {
		return &failure{true, CodeBizIDReused, "bizId已使用且参数不一致: " + is.BizID}
	}
	var model zvcms.Coupon
	for _, c := range s.coupons {
		if c.CouponID == is.CouponID {
			model = *c
			break
		}
	}
	now := s.now()
	for range is.Num {
		c := zvcms.Coupon{CardID: s.nextCardID(), CouponID: is.CouponID, CustomerID: is.CustomerID,
			Channel: DefaultChannel, Title: model.Title, Type: model.Type, TemplateID: model.TemplateID,
			BeginAt: model.BeginAt, EndAt: model.EndAt, CreatedAt: now, UpdatedAt: now}
		if model.Channel != "" {
			c.Channel = model.Channel
		}
		stored := c
		s.coupons[c.CardID] = &stored
		s.customers[c.CustomerID] = append(s.customers[c.CustomerID], c.CardID)
		is.CardIDs = append(is.CardIDs, c.CardID)
	}
	is.At = now
	s.issues = append(s.issues, *is)
	return nil
}

type listParams struct {
	CustomerID jsonx.Flex `json:"customerId"`
	PageNum    jsonx.Flex `json:"pageNum"`
	PageSize   jsonx.Flex `json:"pageSize"`
	UseStatus  jsonx.Flex `json:"useStatus"`
	CouponType jsonx.Flex `json:"couponType"`
	TemplateID jsonx.Flex `json:"templateId"`
}

// list answers getCustomerCouponList: {list, total, pageNum, pageSize}, the
// customer's coupons in the order added, filtered by useStatus, couponType
// and templateId when given; pageNum counts from 1.
func (s *Server) list(w http.ResponseWriter, raw json.RawMessage) {
	var p listParams
	if err := json.Unmarshal(raw, &p); err != nil || p.CustomerID == "" {
		s.fail(w, failure{true, CodeBadParam, "参数错误: customerId"})
		return
	}
	num, ok1 := count(p.PageNum)
	size, ok2 := count(p.PageSize)
	if !ok1 || !ok2 || num < 1 || size < 1 {
		s.fail(w, failure{true, CodeBadParam, "参数错误: pageNum/pageSize"})
		return
	}
	size = s.pageSize(size)
	status, ok1 := filterOf(p.UseStatus)
	kind, ok2 := filterOf(p.CouponType)
	tmpl, ok3 := filterOf(p.TemplateID)
	if !ok1 || !ok2 || !ok3 {
		s.fail(w, failure{true, CodeBadParam, "参数错误: useStatus/couponType/templateId"})
		return
	}
	s.mu.Lock()
	cards, known := s.customers[string(p.CustomerID)]
	now := s.now()
	var all []wireCoupon
	for _, id := range cards {
		c := s.coupons[id]
		s.expire(c, now)
		if (status < 0 || int64(c.UseStatus) == status) && (kind < 0 || int64(c.Type) == kind) && (tmpl < 0 || c.TemplateID == tmpl) {
			all = append(all, s.wire(c))
		}
	}
	s.mu.Unlock()
	if !known {
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
		return
	}
	from := min((num-1)*size, int64(len(all)))
	to := min(from+size, int64(len(all)))
	page := all[from:to]
	if page == nil {
		page = []wireCoupon{}
	}
	s.ok(w, map[string]any{"list": page, "total": s.number(int64(len(all))), "pageNum": num, "pageSize": size})
}

// filterOf reads an optional filter: -1 when absent.
func filterOf(f jsonx.Flex) (int64, bool) {
	if f == "" {
		return -1, true
	}
	n, err := strconv.ParseInt(string(f), 10, 64)
	return n, err == nil && n >= 0
}
