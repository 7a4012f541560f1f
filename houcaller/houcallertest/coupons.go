package houcallertest

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// couponRoutes are the routes of this file's APIs: a member's coupons and
// the coupon of an item last sent.
func couponRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		route(houcaller.EndpointListCouponsByMember, (*Server).listCoupons),
		route(houcaller.EndpointLastSentCoupons, (*Server).lastSent),
	}
}

var _ = areas.Add(couponRoutes)

// Coupon is a coupon code held by a member.
type Coupon struct {
	// ID is the coupon record's id.
	ID string
	// Code is the coupon code, CouponID its coupon item, Name its name.
	Code, CouponID, Name string
	// MemberID is the member who holds it and SaleNo the sale that issued it.
	MemberID, SaleNo string
	// SaleTime is that sale's saleTime, in Beijing time.
	SaleTime time.Time
	// IssuedAt is when the fake issued it, on its clock (Config.Clock).
	IssuedAt time.Time
	// BeginDate and EndDate are its first and last day (midnight, Beijing).
	BeginDate, EndDate time.Time
	// Status is its status.
	Status houcaller.CouponStatus
	// UseOrderNo and UseShop say in which order and restaurant it was used
	// (UseCoupon); empty while unused.
	UseOrderNo, UseShop string
	// UseTime is when it was used, as given to UseCoupon; zero while unused.
	UseTime time.Time
	// Modified is when the fake last changed it, on its clock (Config.Clock).
	Modified time.Time
}

// listCoupons answers listCpnItemByMember with the element shape of the
// vendor's response example: {"list":[{id, cpnid, cpnId:"", cpnCode,
// cpnName, cpnType, status, mmbid, openid, begDate, endDate, useTime, …}]}.
// A platformId alone finds nothing: the fake's members have no platform id.
func (s *Server) listCoupons(w http.ResponseWriter, plain []byte) {
	var p struct {
		MemberID   jsonx.Flex `json:"memberId"`
		PlatformID jsonx.Flex `json:"platformId"`
	}
	if err := json.Unmarshal(plain, &p); err != nil || p.MemberID == "" && p.PlatformID == "" {
		s.reply(w, CodeBadParam, "会员ID和平台ID不可同时为空", nil)
		return
	}
	list := []map[string]any{}
	if p.MemberID != "" {
		for _, c := range s.Coupons(string(p.MemberID)) {
			list = append(list, map[string]any{
				"begDate": cntime.FormatDate(c.BeginDate), "cacStatus": 0, "content": "", "cpnCode": c.Code,
				"cpnId": "", "cpnName": c.Name, "cpnType": "0", "cpnid": c.CouponID, "cpnids": []string{},
				"endDate": cntime.FormatDate(c.EndDate), "id": c.ID, "mmbid": c.MemberID, "openid": "",
				"orgName": "", "orgUse": 0, "orgcode": "", "picUrl": "", "sellScene": s.cfg.Channel,
				"status": c.Status, "timeLimit": "", "useTime": timeOrEmpty(c.UseTime), "weekLimit": "",
			})
		}
	}
	s.reply(w, CodeOK, "操作成功", map[string]any{"list": list})
}

// lastSent answers getLastSendCpnItem: the member's latest coupon of cpnId,
// in the shape of the vendor's response example, or data null when the
// member holds none (the vendor does not say what it answers then [open]).
func (s *Server) lastSent(w http.ResponseWriter, plain []byte) {
	var p struct {
		MmbID jsonx.Flex `json:"mmbId"`
		CpnID jsonx.Flex `json:"cpnId"`
	}
	switch err := json.Unmarshal(plain, &p); {
	case err != nil || p.MmbID == "":
		s.reply(w, CodeBadParam, "缺少参数: mmbId", nil)
		return
	case p.CpnID == "":
		s.reply(w, CodeBadParam, "缺少参数: cpnId", nil)
		return
	}
	var last *Coupon
	for _, c := range s.Coupons(string(p.MmbID)) {
		if c.CouponID == string(p.CpnID) {
			last = &c
		}
	}
	if last == nil {
		s.reply(w, CodeOK, "操作成功", nil)
		return
	}
	c := last
	s.reply(w, CodeOK, "操作成功", map[string]any{
		"di": 0, "endDate": cntime.FormatDate(c.EndDate), "etCheckStatus": "0", "mtime": cntime.Format(c.Modified),
		"mmbId": c.MemberID, "etTransactionPrice": 0, "begDate": cntime.FormatDate(c.BeginDate), "cpnName": c.Name,
		"ctime": cntime.Format(c.IssuedAt), "useTime": timeOrEmpty(c.UseTime), "id": c.ID, "sellScene": s.cfg.Channel,
		"etCheckCount": 0, "isStc": 0, "useOrdno": c.UseOrderNo, "cpnType": "0", "useOrg": c.UseShop,
		"etDiscountAmount": 0, "effTime": cntime.Format(c.IssuedAt), "cpnCode": c.Code, "cpnId": c.CouponID,
		"sellOrdno": c.SaleNo, "sellTime": cntime.Format(c.SaleTime), "status": c.Status,
	})
}

// timeOrEmpty is t as "yyyy-MM-dd HH:mm:ss" in Beijing time, or "" when zero.
func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return cntime.Format(t)
}

// Coupons returns the coupons memberID holds, in the order issued.
func (s *Server) Coupons(memberID string) []Coupon {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Coupon
	for _, c := range s.coupons {
		if c.MemberID == memberID {
			out = append(out, c)
		}
	}
	return out
}

// UseCoupon marks a coupon code redeemed (status 1) in order useOrderNo at
// restaurant shop at time at, as a till would, and reports whether the code
// exists.
func (s *Server) UseCoupon(code, useOrderNo, shop string, at time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.coupons {
		if c := &s.coupons[i]; c.Code == code {
			c.Status, c.UseOrderNo, c.UseShop, c.UseTime = houcaller.CouponRedeemed, useOrderNo, shop, at
			c.Modified = s.Clock().Now()
			return true
		}
	}
	return false
}

// SetCouponStatus sets the status of a coupon code (to simulate redemption,
// expiry …) and reports whether the code exists.
func (s *Server) SetCouponStatus(code string, status houcaller.CouponStatus) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.coupons {
		if s.coupons[i].Code == code {
			s.coupons[i].Status = status
			s.coupons[i].Modified = s.Clock().Now()
			return true
		}
	}
	return false
}
