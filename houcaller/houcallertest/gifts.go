package houcallertest

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// The fake's codes of this file's API (see CodeBadRequest).
const (
	// CodeCouponNotGiftable: a coupon of a gift is not an unused coupon the
	// giver holds.
	CodeCouponNotGiftable = "2003"
	// CodeMemberNotFound: no member has the phone, openid or unionid a query
	// names.
	CodeMemberNotFound = "2004"
)

// giftRoutes are the routes of this file's API: gifts of coupons.
func giftRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{route(houcaller.EndpointGiftCoupon, (*Server).gift)}
}

var _ = areas.Add(giftRoutes)

// Member is a member the fake knows by phone number, openid or unionid (a
// member known only by id, such as a sale's memberId, needs no entry).
type Member struct {
	// ID is the member's primary key (memberId, mmbId).
	ID string
	// Phone is the member's mobile number.
	Phone string
	// OpenID and UnionID are the member's WeChat ids.
	OpenID, UnionID string
}

// GiftRecord is one coupon given (cpnShiftGift), as the fake keeps it.
type GiftRecord struct {
	// ID is the record's id and BatchID the id shared by the records of one
	// request (pid).
	ID, BatchID string
	// Status is GiftPending until a member with Phone holds the coupon
	// (GiftAccepted).
	Status houcaller.GiftStatus
	// CouponID and Code are the coupon given.
	CouponID, Code string
	// FromMemberID is the giver, ToMemberID the recipient once accepted.
	FromMemberID, ToMemberID string
	// Phone is the recipient's phone number and Message the note sent.
	Phone, Message string
	// GiftTime and AcceptTime are when it was given and accepted (zero
	// until then), on the fake's clock.
	GiftTime, AcceptTime time.Time
}

// AddMember registers m (replacing a member with its ID). Gifts pending for
// m.Phone are accepted at once: their coupons move to m.
func (s *Server) AddMember(m Member) {
	now := s.Clock().Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members = slices.DeleteFunc(s.members, func(o Member) bool { return o.ID == m.ID })
	s.members = append(s.members, m)
	for i := range s.gifts {
		if g := &s.gifts[i]; g.Status == houcaller.GiftPending && m.Phone != "" && g.Phone == m.Phone {
			s.accept(g, m.ID, now)
		}
	}
}

// memberBy returns the id of the member whose key (phone, openId or
// unionId) is v. The caller holds s.mu.
func (s *Server) memberBy(key, v string) (string, bool) {
	for _, m := range s.members {
		if v != "" && (key == "phone" && m.Phone == v || key == "openId" && m.OpenID == v || key == "unionId" && m.UnionID == v) {
			return m.ID, true
		}
	}
	return "", false
}

// accept moves the coupon of gift g to member to. The caller holds s.mu.
func (s *Server) accept(g *GiftRecord, to string, now time.Time) {
	g.Status, g.ToMemberID, g.AcceptTime = houcaller.GiftAccepted, to, now
	for i := range s.coupons {
		if c := &s.coupons[i]; c.Code == g.Code {
			c.MemberID, c.Status, c.Modified = to, houcaller.CouponUnused, now
		}
	}
}

// Gifts returns the gifts made, in order.
func (s *Server) Gifts() []GiftRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.gifts)
}

// giftParam is the decrypted business JSON of cpnShiftGift.
type giftParam struct {
	MemberID jsonx.Flex   `json:"memberId"`
	Phone    jsonx.Flex   `json:"phone"`
	CpnIDs   []jsonx.Flex `json:"cpnIds"`
	CpnCodes []jsonx.Flex `json:"cpnCodes"`
	Content  string       `json:"content"`
}

// gift answers cpnShiftGift: every coupon named (by code, or the giver's
// first unused coupon of each item named) moves to the member with the
// phone number, or waits for one (status 7, a pending gift) when no member
// has it. Nothing moves unless every coupon can. The answer's data is an
// array of gift records with the fields of the vendor's table (the vendor
// does not show where they stand [open]).
func (s *Server) gift(w http.ResponseWriter, plain []byte) {
	var p giftParam
	if !s.decodeParam(w, plain, &p) {
		return
	}
	switch {
	case p.MemberID == "":
		s.reply(w, CodeBadParam, "缺少参数: memberId", nil)
		return
	case p.Phone == "":
		s.reply(w, CodeBadParam, "缺少参数: phone", nil)
		return
	case len(p.CpnIDs) == 0 && len(p.CpnCodes) == 0:
		s.reply(w, CodeBadParam, "cpnIds和cpnCodes必须传一个", nil)
		return
	}
	from, phone := string(p.MemberID), string(p.Phone)
	now := s.Clock().Now()
	s.mu.Lock()
	to, known := s.memberBy("phone", phone)
	if known && to == from {
		s.mu.Unlock()
		s.reply(w, CodeBadParam, "不能赠送给自己", nil)
		return
	}
	var picked []int // indexes into s.coupons
	giftable := func(i int) bool {
		c := s.coupons[i]
		return c.MemberID == from && c.Status == houcaller.CouponUnused && !slices.Contains(picked, i)
	}
	for _, code := range p.CpnCodes {
		i := slices.IndexFunc(s.coupons, func(c Coupon) bool { return c.Code == string(code) })
		if i < 0 || !giftable(i) {
			s.mu.Unlock()
			s.reply(w, CodeCouponNotGiftable, "券不可转赠: "+string(code), nil)
			return
		}
		picked = append(picked, i)
	}
	for _, id := range p.CpnIDs {
		i := -1
		for j := range s.coupons {
			if s.coupons[j].CouponID == string(id) && giftable(j) {
				i = j
				break
			}
		}
		if i < 0 {
			s.mu.Unlock()
			s.reply(w, CodeCouponNotGiftable, "会员没有可转赠的券: "+string(id), nil)
			return
		}
		picked = append(picked, i)
	}
	s.seq++
	batch := fmt.Sprintf("%032X", s.seq)
	data := make([]map[string]any, 0, len(picked))
	for _, i := range picked {
		s.seq++
		c := &s.coupons[i]
		g := GiftRecord{ID: fmt.Sprintf("GF%015d", s.seq), BatchID: batch, Status: houcaller.GiftPending, CouponID: c.CouponID,
			Code: c.Code, FromMemberID: from, Phone: phone, Message: p.Content, GiftTime: now}
		if known {
			s.accept(&g, to, now)
		} else {
			c.Status, c.Modified = houcaller.CouponGifting, now
		}
		s.gifts = append(s.gifts, g)
		data = append(data, map[string]any{
			"id": g.ID, "pid": g.BatchID, "status": int(g.Status), "cpnId": g.CouponID, "cpnCode": g.Code,
			"fromMmbid": g.FromMemberID, "fromOpenid": "", "mmbId": g.ToMemberID, "openid": "", "phone": g.Phone,
			"giftTime": cntime.Format(g.GiftTime), "acceptTime": timeOrEmpty(g.AcceptTime), "content": g.Message,
		})
	}
	s.mu.Unlock()
	s.reply(w, CodeOK, "操作成功", data)
}
