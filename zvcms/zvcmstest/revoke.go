package zvcmstest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/zvcms"
)

// revokeRoutes are the routes that revoke issued coupons.
func revokeRoutes(cfg Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		route(cfg, "recycleCoupons", (*Server).recycle),
		route(cfg, "couponRecovery", (*Server).recoverGrant),
	}
}

var _ = areas.Add(revokeRoutes)

// Grant is an order that granted coupons (an activity's couponGrant, which
// the fake does not serve): what couponRecovery revokes by its orderNo.
type Grant struct {
	// OrderNo, ActivityID and CustomerID identify the grant.
	OrderNo    string
	ActivityID int64
	CustomerID string
	// CardIDs are the coupons it granted (add them with AddCoupon).
	CardIDs []string
}

// revokeState is what the fake keeps for revocations, in Server under its
// mu.
type revokeState struct {
	grants map[string]Grant // orderNo → grant
}

// AddGrant records an order that granted coupons, replacing the one with
// its OrderNo.
func (s *Server) AddGrant(g Grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grants == nil {
		s.grants = make(map[string]Grant)
	}
	g.CardIDs = slices.Clone(g.CardIDs)
	s.grants[g.OrderNo] = g
}

// recoverGrant answers couponRecovery {orderNo, activityId, customerId}:
// the grant's unused and frozen coupons become UseStatusDeleted; the answer
// lists the grant's coupons (couponIds), those revoked now (recoveryIds)
// and recoveryStatus 1 when every coupon of the order is revoked, 2 when
// some cannot be (the fake's numbering; the vendor's is [open]). An unknown
// order, or one of another activity or customer, is refused.
func (s *Server) recoverGrant(w http.ResponseWriter, raw json.RawMessage) {
	var p struct {
		OrderNo    jsonx.Flex `json:"orderNo"`
		ActivityID jsonx.Flex `json:"activityId"`
		CustomerID jsonx.Flex `json:"customerId"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.OrderNo == "" {
		s.fail(w, failure{true, CodeBadParam, "参数错误: orderNo不能为空"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.grants[string(p.OrderNo)]
	if !ok || (p.ActivityID != "" && string(p.ActivityID) != strconv.FormatInt(g.ActivityID, 10)) || (p.CustomerID != "" && string(p.CustomerID) != g.CustomerID) {
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
		return
	}
	now, status, recovered := s.now(), int64(1), []any{}
	for _, id := range g.CardIDs {
		c := s.coupons[id]
		switch {
		case c == nil:
		case c.UseStatus == zvcms.UseStatusUnused || c.UseStatus == zvcms.UseStatusFrozen:
			c.UseStatus, c.UpdatedAt = zvcms.UseStatusDeleted, now
			recovered = append(recovered, s.id(id))
		case c.UseStatus != zvcms.UseStatusDeleted:
			status = 2
		}
	}
	ids := make([]any, len(g.CardIDs))
	for i, id := range g.CardIDs {
		ids[i] = s.id(id)
	}
	s.ok(w, map[string]any{"couponIds": ids, "recoveryIds": recovered, "recoveryStatus": s.number(status)})
}

// id is a decimal id as the gateway sends one: a string, or with
// NativeTypes a number when it is one.
func (s *Server) id(v string) any {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && s.cfg.NativeTypes {
		return n
	}
	return v
}

// recycle answers recycleCoupons {customerId, couponsCardList}: every
// listed coupon of the customer, unused or frozen, becomes
// UseStatusDeleted, or none does (a coupon unknown or another customer's,
// redeemed, already revoked, or in another state is refused). data is
// absent.
func (s *Server) recycle(w http.ResponseWriter, raw json.RawMessage) {
	var p struct {
		CustomerID jsonx.Flex   `json:"customerId"`
		CardIDs    []jsonx.Flex `json:"couponsCardList"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.CustomerID == "" || len(p.CardIDs) == 0 {
		s.fail(w, failure{true, CodeBadParam, "参数错误: customerId/couponsCardList"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, id := range p.CardIDs {
		c, ok := s.coupons[string(id)]
		if !ok || c.CustomerID != string(p.CustomerID) {
			s.fail(w, failure{true, CodeCouponNotFound, "券不存在: " + string(id)})
			return
		}
		s.expire(c, now)
		switch c.UseStatus {
		case zvcms.UseStatusUnused, zvcms.UseStatusFrozen:
		case zvcms.UseStatusRedeemed:
			s.fail(w, failure{true, CodeCouponRedeemed, "券已核销: " + string(id)})
			return
		case zvcms.UseStatusDeleted:
			s.fail(w, failure{true, CodeCouponRevoked, "券已回收: " + string(id)})
			return
		default:
			s.fail(w, failure{true, CodeCouponUnusable, "券状态不可回收(" + c.UseStatus.String() + "): " + string(id)})
			return
		}
	}
	for _, id := range p.CardIDs {
		c := s.coupons[string(id)]
		c.UseStatus, c.UpdatedAt = zvcms.UseStatusDeleted, now
	}
	writeJSON(w, http.StatusOK, s.envelope(true, CodeOK, "回收成功", nil))
}
