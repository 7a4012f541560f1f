package zvcmstest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/zvcms"
)

// Redemption is a redemption (writeOffCoupon) the fake applied.
type Redemption struct {
	// BizID, Channel and CustomerID are as sent.
	BizID, Channel, CustomerID string
	// CardIDs are the redeemed coupons' codes (couponsCardList).
	CardIDs []string
	// ChannelType, OrderNo and StoreCode are the ext fields of those names.
	ChannelType, OrderNo, StoreCode string
	// Ext is the whole ext object as sent, or nil.
	Ext map[string]any
	// UseCount is useCount (0 when absent).
	UseCount int
	// OrderAmount and Amount are orderAmount and amount, in fen.
	OrderAmount, Amount couponkit.Fen
	// At is when the fake applied it, in Beijing time.
	At time.Time
	// Replays is how many later requests with the same bizId were answered
	// from this redemption without redeeming again.
	Replays int
}

// AddCustomer registers a customer with no coupons (adding a coupon
// registers its customer too). Coupons of an unknown customer are "查询的信息不存在".
func (s *Server) AddCustomer(customerID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.customers[customerID]; !ok {
		s.customers[customerID] = nil
	}
}

// AddCoupon gives a customer a coupon and returns it as stored. Defaults:
// CustomerID DefaultCustomerID, CardID and CouponID fresh 18-digit numbers,
// Channel DefaultChannel, CreatedAt and UpdatedAt the fake's clock. A zero
// BeginAt or EndAt means no limit. Times are kept to the second in Beijing
// time. It panics if the CardID is already taken.
func (s *Server) AddCoupon(c zvcms.Coupon) zvcms.Coupon {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if c.CustomerID == "" {
		c.CustomerID = DefaultCustomerID
	}
	if c.CardID == "" {
		c.CardID = s.nextID(390913445498200000)
	}
	if c.CouponID == "" {
		c.CouponID = s.nextID(390913445519171000)
	}
	if c.Channel == "" {
		c.Channel = DefaultChannel
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	for _, t := range []*time.Time{&c.BeginAt, &c.EndAt, &c.CreatedAt, &c.UpdatedAt} {
		if !t.IsZero() {
			*t = t.Truncate(time.Second).In(cntime.Location())
		}
	}
	if _, taken := s.coupons[c.CardID]; taken {
		panic("zvcmstest: card id " + c.CardID + " already taken")
	}
	stored := c
	s.coupons[c.CardID] = &stored
	s.customers[c.CustomerID] = append(s.customers[c.CustomerID], c.CardID)
	return c
}

// Coupon returns the coupon with a card id as the gateway now holds it.
func (s *Server) Coupon(cardID string) (zvcms.Coupon, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.coupons[cardID]
	if !ok {
		return zvcms.Coupon{}, false
	}
	s.expire(c, s.now())
	return *c, true
}

// Coupons returns a customer's coupons in the order they were added.
func (s *Server) Coupons(customerID string) []zvcms.Coupon {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var out []zvcms.Coupon
	for _, id := range s.customers[customerID] {
		c := s.coupons[id]
		s.expire(c, now)
		out = append(out, *c)
	}
	return out
}

// SetUseStatus changes a coupon's state (to freeze it, say) and reports
// whether the coupon exists.
func (s *Server) SetUseStatus(cardID string, st zvcms.UseStatus) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.coupons[cardID]
	if ok {
		c.UseStatus = st
		c.UpdatedAt = s.now()
	}
	return ok
}

// Redemptions returns the redemptions applied so far, in order.
func (s *Server) Redemptions() []Redemption { return records(s, &s.redemptions) }

func (r *Redemption) fields() (string, *[]string, *int) { return r.BizID, &r.CardIDs, &r.Replays }

// record is a pointer to what the fake keeps of a write it applied (a
// Redemption, Reversal or Issue): fields returns its bizId and where its
// codes and its replay count are.
type record[T any] interface {
	*T
	fields() (bizID string, cardIDs *[]string, replays *int)
}

// records returns a copy of *list, taken under s.mu, each record with its own
// copy of its codes.
func records[T any, P record[T]](s *Server, list *[]T) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]T, len(*list))
	copy(out, *list)
	for i := range out {
		_, cards, _ := P(&out[i]).fields()
		*cards = slices.Clone(*cards)
	}
	return out
}

// answerOnce answers a write keyed by biz: apply's answer to the first
// request with biz on api, and the same answer to every later one, counted in
// the Replays of the records of *list with that bizId.
func answerOnce[T any, P record[T]](s *Server, w http.ResponseWriter, api, biz string, list *[]T, apply func() (answer []byte, ok bool)) {
	answer, replayed := s.replay.DoAPI(api, biz, apply)
	if replayed {
		s.mu.Lock()
		for i := range *list {
			if b, _, replays := P(&(*list)[i]).fields(); b == biz {
				*replays++
			}
		}
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, answer)
}

func (s *Server) now() time.Time {
	return s.Clock().Now().Truncate(time.Second).In(cntime.Location())
}

func (s *Server) nextID(base int64) string {
	s.seq++
	return strconv.FormatInt(base+s.seq, 10)
}

// expire marks an unused coupon past its EndAt invalid, as the vendor's
// expiry would.
func (s *Server) expire(c *zvcms.Coupon, now time.Time) {
	if c.UseStatus == zvcms.UseStatusUnused && !c.EndAt.IsZero() && now.After(c.EndAt) {
		c.UseStatus = zvcms.UseStatusInvalid
		c.UpdatedAt = c.EndAt
	}
}

// wireCoupon is a coupon as the vendor's page shows it.
type wireCoupon struct {
	BeginAt    string `json:"beginAt"`
	CardID     string `json:"cardId"`
	Channel    string `json:"channel"`
	CouponID   string `json:"couponId"`
	CouponType any    `json:"couponType"`
	CreatedAt  string `json:"createdAt"`
	CustomerID string `json:"customerId"`
	Title      string `json:"title"`
	UpdatedAt  string `json:"updatedAt"`
	UseStatus  any    `json:"useStatus"`
	TemplateID any    `json:"templateId"`
	EndAt      string `json:"endAt"`
	Extra      string `json:"extra"`
}

func (s *Server) wire(c *zvcms.Coupon) wireCoupon {
	w := wireCoupon{
		BeginAt: format(c.BeginAt), CardID: c.CardID, Channel: c.Channel, CouponID: c.CouponID,
		CreatedAt: format(c.CreatedAt), CustomerID: c.CustomerID, Title: c.Title,
		UpdatedAt: format(c.UpdatedAt), EndAt: format(c.EndAt), Extra: c.Extra,
		CouponType: int64(c.Type), UseStatus: int64(c.UseStatus), TemplateID: c.TemplateID,
	}
	if !s.cfg.NativeTypes {
		w.CouponType = strconv.Itoa(int(c.Type))
		w.UseStatus = strconv.Itoa(int(c.UseStatus))
		w.TemplateID = strconv.FormatInt(c.TemplateID, 10)
	}
	return w
}

func format(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return cntime.Format(t)
}

type queryParams struct {
	CustomerID jsonx.Flex `json:"customerId"`
	UseStatus  jsonx.Flex `json:"useStatus"`
	CardID     jsonx.Flex `json:"cardId"`
}

// query answers getCustomerCoupons: an array of the customer's coupons
// (filtered by useStatus when given), or, when cardId is given, that one
// coupon as an object, as on the vendor's page.
func (s *Server) query(w http.ResponseWriter, raw json.RawMessage) {
	var p queryParams
	if err := json.Unmarshal(raw, &p); err != nil {
		s.fail(w, failure{true, CodeBadParam, "参数错误: " + err.Error()})
		return
	}
	if p.CustomerID == "" {
		s.fail(w, failure{true, CodeBadParam, "参数错误: customerId不能为空"})
		return
	}
	filter := -1
	if p.UseStatus != "" {
		n, err := strconv.Atoi(string(p.UseStatus))
		if err != nil || !zvcms.UseStatus(n).Known() {
			s.fail(w, failure{true, CodeBadParam, "参数错误: useStatus"})
			return
		}
		filter = n
	}
	s.mu.Lock()
	cards, known := s.customers[string(p.CustomerID)]
	now := s.now()
	list := make([]wireCoupon, 0, len(cards))
	for _, id := range cards {
		c := s.coupons[id]
		s.expire(c, now)
		if (filter < 0 || int(c.UseStatus) == filter) && (p.CardID == "" || string(p.CardID) == c.CardID) {
			list = append(list, s.wire(c))
		}
	}
	s.mu.Unlock()
	switch {
	case !known:
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
	case p.CardID == "":
		s.ok(w, list)
	case len(list) == 0:
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
	default:
		s.ok(w, list[0])
	}
}

type writeOffParams struct {
	BizID           jsonx.Flex     `json:"bizId"`
	Channel         jsonx.Flex     `json:"channel"`
	CustomerID      jsonx.Flex     `json:"customerId"`
	CouponsCardList []jsonx.Flex   `json:"couponsCardList"`
	Ext             map[string]any `json:"ext"`
	UseCount        jsonx.Flex     `json:"useCount"`
	OrderAmount     jsonx.Flex     `json:"orderAmount"`
	Amount          jsonx.Flex     `json:"amount"`
}

// writeOff answers writeOffCoupon: every listed coupon must be the
// customer's, of the channel, unused and within its validity, or none is
// redeemed. A bizId already applied is answered as the first time.
func (s *Server) writeOff(w http.ResponseWriter, raw json.RawMessage) {
	var p writeOffParams
	if err := json.Unmarshal(raw, &p); err != nil {
		s.fail(w, failure{true, CodeBadParam, "参数错误: " + err.Error()})
		return
	}
	red, f := p.redemption()
	if f != nil {
		s.fail(w, *f)
		return
	}
	answerOnce(s, w, apiWriteOff, red.BizID, &s.redemptions, func() ([]byte, bool) {
		if f := s.apply(&red); f != nil {
			return s.refusal(*f), false
		}
		return s.success("核销成功", map[string]any{"bizId": red.BizID, "couponsCardList": red.CardIDs}), true
	})
}

// redemption checks the params' shape.
func (p *writeOffParams) redemption() (Redemption, *failure) {
	bad := func(what string) (Redemption, *failure) {
		return Redemption{}, &failure{true, CodeBadParam, "参数错误: " + what}
	}
	r := Redemption{BizID: string(p.BizID), Channel: string(p.Channel), CustomerID: string(p.CustomerID), Ext: p.Ext}
	switch {
	case r.BizID == "":
		return bad("bizId不能为空")
	case r.Channel == "":
		return bad("channel不能为空")
	case r.CustomerID == "":
		return bad("customerId不能为空")
	case len(p.CouponsCardList) == 0:
		return bad("couponsCardList不能为空")
	}
	for _, id := range p.CouponsCardList {
		if id == "" || slices.Contains(r.CardIDs, string(id)) {
			return bad("couponsCardList")
		}
		r.CardIDs = append(r.CardIDs, string(id))
	}
	for name, dst := range map[string]*string{"channelType": &r.ChannelType, "orderNo": &r.OrderNo, "storeCode": &r.StoreCode} {
		if v, ok := p.Ext[name].(string); ok {
			*dst = v
		}
	}
	useCount, ok1 := count(p.UseCount)
	orderAmount, ok2 := count(p.OrderAmount)
	amount, ok3 := count(p.Amount)
	switch {
	case !ok1:
		return bad("useCount")
	case !ok2:
		return bad("orderAmount")
	case !ok3:
		return bad("amount")
	}
	r.UseCount, r.OrderAmount, r.Amount = int(useCount), couponkit.Fen(orderAmount), couponkit.Fen(amount)
	return r, nil
}

// count reads a non-negative integer sent as a number or a string; absent is 0.
func count(f jsonx.Flex) (int64, bool) {
	if f == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(string(f), 10, 64)
	return n, err == nil && n >= 0
}

// apply redeems every coupon of r or none, and records r.
func (s *Server) apply(r *Redemption) *failure {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, id := range r.CardIDs {
		c, ok := s.coupons[id]
		if !ok || c.CustomerID != r.CustomerID {
			return &failure{true, CodeCouponNotFound, "券不存在: " + id}
		}
		if c.Channel != r.Channel {
			return &failure{true, CodeWrongChannel, "券不属于该商户: " + id}
		}
		if c.UseStatus == zvcms.UseStatusUnused && !c.EndAt.IsZero() && now.After(c.EndAt) {
			s.expire(c, now)
			return &failure{true, CodeCouponExpired, "券已过期: " + id}
		}
		switch c.UseStatus {
		case zvcms.UseStatusUnused:
		case zvcms.UseStatusRedeemed:
			return &failure{true, CodeCouponRedeemed, "券已核销: " + id}
		case zvcms.UseStatusFrozen:
			return &failure{true, CodeCouponFrozen, "券已冻结: " + id}
		default:
			return &failure{true, CodeCouponUnusable, "券状态不可用(" + c.UseStatus.String() + "): " + id}
		}
		if !c.BeginAt.IsZero() && now.Before(c.BeginAt) {
			return &failure{true, CodeCouponNotStarted, "券未到生效时间: " + id}
		}
	}
	for _, id := range r.CardIDs {
		c := s.coupons[id]
		c.UseStatus = zvcms.UseStatusRedeemed
		c.UpdatedAt = now
	}
	r.At = now
	s.redemptions = append(s.redemptions, *r)
	return nil
}
