package zvcmstest

import (
	"encoding/json"
	"net/http"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/zvcms"
)

// revokeRoutes are the routes that revoke issued coupons.
func revokeRoutes(cfg Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		route(cfg, "recycleCoupons", (*Server).recycle),
	}
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
