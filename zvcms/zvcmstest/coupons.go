package zvcmstest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/zvcms"
)

// couponRoutes are the routes of this file's APIs: the coupons, their
// lookups and their redemption.
func couponRoutes(cfg Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		route(cfg, apiQuery, (*Server).query),
		route(cfg, apiWriteOff, (*Server).writeOff),
		route(cfg, "getTemplateDetail", (*Server).templateDetail),
		route(cfg, "getCouponDetail", (*Server).couponDetail),
		route(cfg, "status", (*Server).status),
		lookup(cfg, "allCustomerInfo", "customerId", "phone", "cardNo", "userId", "openId", "unionId"),
	}
}

var _ = areas.Add(couponRoutes)

// status answers status: a coupon's useStatus by its code (type 1 or
// none), with the order (ext.orderNo) and store (ext.multiStoreId,
// multiStoreMark) of the redemption that used it and its UpdatedAt as
// useTime; useStoreName is empty (the fake keeps no store names). A
// redemption code (type 2 or none) answers its exchangeStatus.
func (s *Server) status(w http.ResponseWriter, raw json.RawMessage) {
	var p struct {
		ID   jsonx.Flex `json:"id"`
		Type jsonx.Flex `json:"type"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.ID == "" || (p.Type != "" && p.Type != "1" && p.Type != "2") {
		s.fail(w, failure{true, CodeBadParam, "参数错误: id/type"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.exchange[string(p.ID)]; ok && p.Type != "1" {
		s.ok(w, map[string]any{"status": s.number(int64(e.Status)), "useOrderCode": "", "useStoreId": "", "useStoreName": "", "useStoreNo": "", "useTime": ""})
		return
	}
	c, ok := s.coupons[string(p.ID)]
	if !ok || p.Type == "2" {
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
		return
	}
	s.expire(c, s.now())
	out := map[string]any{"status": s.number(int64(c.UseStatus)), "useOrderCode": "", "useStoreId": "", "useStoreName": "", "useStoreNo": "", "useTime": ""}
	for _, r := range s.redemptions {
		if c.UseStatus == zvcms.UseStatusRedeemed && slices.Contains(r.CardIDs, c.CardID) {
			out["useOrderCode"], out["useStoreNo"], out["useTime"] = r.OrderNo, r.StoreCode, format(c.UpdatedAt)
			if r.StoreID != 0 {
				out["useStoreId"] = strconv.FormatInt(r.StoreID, 10)
			}
		}
	}
	s.ok(w, out)
}

// AddTemplate gives the gateway a coupon template (getTemplateDetail),
// replacing the one with its ID.
func (s *Server) AddTemplate(t zvcms.Template) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.templates == nil {
		s.templates = make(map[int64]zvcms.Template)
	}
	s.templates[t.ID] = t
}

// templateDetail answers getTemplateDetail: the template with the id asked
// for, its integers as strings, or with NativeTypes as numbers.
func (s *Server) templateDetail(w http.ResponseWriter, raw json.RawMessage) {
	var p struct {
		ID jsonx.Flex `json:"id"`
	}
	err := json.Unmarshal(raw, &p)
	id, ok := filterOf(p.ID)
	if err != nil || !ok || id <= 0 {
		s.fail(w, failure{true, CodeBadParam, "参数错误: id"})
		return
	}
	s.mu.Lock()
	t, found := s.templates[id]
	s.mu.Unlock()
	if !found {
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
		return
	}
	s.ok(w, s.wireTemplate(t))
}

// wireTemplate is t as the gateway sends it.
func (s *Server) wireTemplate(t zvcms.Template) map[string]any {
	return map[string]any{"id": s.number(t.ID), "name": t.Name, "sellerId": s.number(t.SellerID),
		"status": s.number(int64(t.Status)), "type": s.number(int64(t.Type)), "thirdBizCode": t.ThirdBizCode}
}

// couponDetail answers getCouponDetail: the coupon whose cardId is the
// userCouponCode asked for, with its template when AddTemplate gave it. The
// fake keeps no owner's name or phone and no use's order or store: those
// are empty; useTime is the coupon's UpdatedAt once redeemed, and status
// is useStatus (what the vendor's status numbers is not published).
func (s *Server) couponDetail(w http.ResponseWriter, raw json.RawMessage) {
	var p struct {
		Code jsonx.Flex `json:"userCouponCode"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Code == "" {
		s.fail(w, failure{true, CodeBadParam, "参数错误: userCouponCode不能为空"})
		return
	}
	s.mu.Lock()
	out, ok := s.wireDetail(string(p.Code))
	s.mu.Unlock()
	if !ok {
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
		return
	}
	s.ok(w, out)
}

// wireDetail is the coupon with the card id as getCouponDetail sends it.
// Call it under s.mu.
func (s *Server) wireDetail(cardID string) (map[string]any, bool) {
	c, ok := s.coupons[cardID]
	if !ok {
		return nil, false
	}
	s.expire(c, s.now())
	var id any = c.CardID
	if n, err := strconv.ParseInt(c.CardID, 10, 64); err == nil && s.cfg.NativeTypes {
		id = n
	}
	used := ""
	if c.UseStatus == zvcms.UseStatusRedeemed {
		used = format(c.UpdatedAt)
	}
	out := map[string]any{"id": id, "status": s.number(int64(c.UseStatus)), "customerId": c.CustomerID, "customerName": "",
		"customerPhone": "", "templateId": s.number(c.TemplateID), "templateName": c.Title, "templateType": s.number(int64(c.Type)),
		"useStatus": s.number(int64(c.UseStatus)), "useOrderCode": "", "useStoreName": "", "useTime": used,
		"validBeginDate": format(c.BeginAt), "validEndDate": format(c.EndAt)}
	if t, ok := s.templates[c.TemplateID]; ok {
		out["templateInfo"] = s.wireTemplate(t)
	}
	return out, true
}

// Redemption is a redemption (writeOffCoupon) the fake applied.
type Redemption struct {
	// BizID, Channel and CustomerID are as sent (CustomerID as its text,
	// whether sent as a number or a string).
	BizID, Channel, CustomerID string
	// VendorBizID is the bizId the fake returned for it (data.bizId, its own
	// number), the one a reversal goes by.
	VendorBizID string
	// GroupID is groupId (0 when absent).
	GroupID int64
	// CardIDs are the redeemed coupons' codes: couponsCardList, or, with
	// ScanCodes, the cards the scan codes stood for.
	CardIDs []string
	// ScanCodes is true when the request sent type 1 (couponsCardList holds
	// scan codes). The fake has no scan codes of its own: a coupon's scan
	// code is its cardId.
	ScanCodes bool
	// ChannelType, StoreCode (ext.multiStoreMark), OrderNo and Reason are
	// ext fields, as text; StoreID is ext.multiStoreId (0 when absent).
	ChannelType, StoreCode, OrderNo, Reason string
	StoreID                                 int64
	// Ext is the whole ext object as sent, or nil.
	Ext map[string]any
	// UseCount is useCount (0 when absent).
	UseCount int
	// TradeMarks is tradeMarks, ThirdOrderNo is thirdOrderNo.
	TradeMarks   []string
	ThirdOrderNo string
	// OrderAmount and Amount are orderAmount and amount, in fen.
	OrderAmount, Amount couponkit.Fen
	// At is when the fake applied it, in Beijing time.
	At time.Time
	// Replays is how many later requests with the same bizId and params
	// were answered from this redemption without redeeming again.
	Replays int

	key string // the replay key: bizId and the params' canonical JSON
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

// SetCustomerAssets gives the member named name (its customerId, or the
// phone, card number, Alipay userId, WeChat openid or unionid a request
// names it by) the points and stored value allCustomerInfo answers (Meta
// ignored), replacing what it had. The fake answers no other member.
func (s *Server) SetCustomerAssets(name string, c zvcms.CustomerAssets) {
	s.keep("allCustomerInfo", name, func(s *Server) any {
		return map[string]any{"totalPoints": c.Points, "foreverPoints": c.ForeverPoints, "soonExpiredPoints": c.SoonExpiringPoints,
			"expiredTime": format(c.PointsExpireAt), "rechargeBalance": s.yuan(c.RechargeBalance), "giftBalance": s.yuan(c.GiftBalance),
			"totalRechargeAmount": s.yuan(c.TotalRecharged), "totalGiftAmount": s.yuan(c.TotalGifted)}
	})
}

// AddCoupon gives a customer a coupon and returns it as stored. Defaults:
// CustomerID DefaultCustomerID, CardID and CouponID fresh 18-digit numbers
// (a fresh CardID is never one already taken), Channel DefaultChannel,
// CreatedAt and UpdatedAt the fake's clock. A zero BeginAt or EndAt means no
// limit. Times are kept to the second in Beijing time. It panics if the
// CardID given is already taken (see HasCoupon).
func (s *Server) AddCoupon(c zvcms.Coupon) zvcms.Coupon {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if c.CustomerID == "" {
		c.CustomerID = DefaultCustomerID
	}
	if c.CardID == "" {
		c.CardID = s.nextCardID()
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

// HasCoupon reports whether a coupon with the card id exists, as a check
// before AddCoupon.
func (s *Server) HasCoupon(cardID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.coupons[cardID]
	return ok
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

func (r *Redemption) fields() (string, *int) { return r.key, &r.Replays }

func (r *Redemption) clone() {
	r.CardIDs, r.TradeMarks, r.Ext = slices.Clone(r.CardIDs), slices.Clone(r.TradeMarks), maps.Clone(r.Ext)
}

// record is a pointer to what the fake keeps of a write it applied (a
// Redemption, Reversal or Issue): fields returns its replay key and where
// its replay count is; clone gives it its own copy of its slices.
type record[T any] interface {
	*T
	fields() (key string, replays *int)
	clone()
}

// records returns a copy of *list, taken under s.mu, each record with its own
// copy of its codes.
func records[T any, P record[T]](s *Server, list *[]T) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]T, len(*list))
	copy(out, *list)
	for i := range out {
		P(&out[i]).clone()
	}
	return out
}

// answerOnce answers a write by its replay key (its bizId, with its params
// where a reused bizId with other params is refused): apply's answer to the
// first request with key on api, and the same answer to every later one,
// counted in the Replays of the records of *list with that key.
func answerOnce[T any, P record[T]](s *Server, w http.ResponseWriter, api, key string, list *[]T, apply func() (answer []byte, ok bool)) {
	answer, replayed := s.replay.DoAPI(api, key, apply)
	if replayed {
		s.mu.Lock()
		for i := range *list {
			if k, replays := P(&(*list)[i]).fields(); k == key {
				*replays++
			}
		}
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, answer)
}

// paramsKey is the replay key of a write with bizId biz and params raw:
// biz, then the params' canonical JSON (member order and spacing do not
// count, values do).
func paramsKey(biz string, raw json.RawMessage) string {
	c, err := jsonx.CanonicalBytes(raw)
	if err != nil {
		c = raw
	}
	return biz + "\x00" + string(c)
}

func (s *Server) now() time.Time {
	return s.Clock().Now().Truncate(time.Second).In(cntime.Location())
}

func (s *Server) nextID(base int64) string {
	s.seq++
	return strconv.FormatInt(base+s.seq, 10)
}

// nextCardID returns a fresh card id in the fake's range that no coupon has
// (a seeded coupon may have taken one of the range). Call it under s.mu.
func (s *Server) nextCardID() string {
	for {
		if id := s.nextID(390913445498200000); s.coupons[id] == nil {
			return id
		}
	}
}

// expire marks an unused coupon past its EndAt invalid, as the vendor's
// expiry would.
func (s *Server) expire(c *zvcms.Coupon, now time.Time) {
	if c.UseStatus == zvcms.UseStatusUnused && !c.EndAt.IsZero() && now.After(c.EndAt) {
		c.UseStatus = zvcms.UseStatusInvalid
		c.UpdatedAt = c.EndAt
	}
}

// wireCoupon is a coupon as the vendor's page shows it, and, with
// NativeTypes, as the vendor family's clients read it: templateName,
// endTime and couponNo beside the page's names.
type wireCoupon struct {
	BeginAt      string `json:"beginAt"`
	CardID       string `json:"cardId"`
	Channel      string `json:"channel"`
	CouponID     string `json:"couponId"`
	CouponNo     string `json:"couponNo,omitempty"`
	CouponType   any    `json:"couponType"`
	CreatedAt    string `json:"createdAt"`
	CustomerID   string `json:"customerId"`
	Title        string `json:"title"`
	TemplateName string `json:"templateName,omitempty"`
	UpdatedAt    string `json:"updatedAt"`
	UseStatus    any    `json:"useStatus"`
	TemplateID   string `json:"templateId"`
	EndAt        string `json:"endAt"`
	EndTime      string `json:"endTime,omitempty"`
	Extra        string `json:"extra"`
}

// wire is c as the gateway sends it: the integers as strings, as on the
// vendor's page, or, with NativeTypes, as numbers, except templateId, which
// the vendor family's clients read as a string (and the page sends as one).
func (s *Server) wire(c *zvcms.Coupon) wireCoupon {
	w := wireCoupon{
		BeginAt: format(c.BeginAt), CardID: c.CardID, Channel: c.Channel, CouponID: c.CouponID,
		CreatedAt: format(c.CreatedAt), CustomerID: c.CustomerID, Title: c.Title,
		UpdatedAt: format(c.UpdatedAt), EndAt: format(c.EndAt), Extra: c.Extra,
		CouponType: int64(c.Type), UseStatus: int64(c.UseStatus), TemplateID: strconv.FormatInt(c.TemplateID, 10),
	}
	if s.cfg.NativeTypes {
		w.TemplateName, w.EndTime, w.CouponNo = c.Title, w.EndAt, c.CouponNo
	} else {
		w.CouponType = strconv.Itoa(int(c.Type))
		w.UseStatus = strconv.Itoa(int(c.UseStatus))
	}
	return w
}

// number is n as the gateway sends an integer: a string, or with
// NativeTypes a number.
func (s *Server) number(n int64) any {
	if s.cfg.NativeTypes {
		return n
	}
	return strconv.FormatInt(n, 10)
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
	TemplateID jsonx.Flex `json:"templateId"`
}

// query answers getCustomerCoupons: the customer's coupons (filtered by
// useStatus and templateId when given) as an array, or, when cardId is
// given, that one coupon as an object, as on the vendor's page. With
// NativeTypes the answer is the vendor family's {list, total} instead.
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
	status, ok1 := filterOf(p.UseStatus)
	tmpl, ok2 := filterOf(p.TemplateID)
	if !ok1 || (status >= 0 && !zvcms.UseStatus(status).Known()) || !ok2 {
		s.fail(w, failure{true, CodeBadParam, "参数错误: useStatus/templateId"})
		return
	}
	s.mu.Lock()
	cards, known := s.customers[string(p.CustomerID)]
	now := s.now()
	list := make([]wireCoupon, 0, len(cards))
	for _, id := range cards {
		c := s.coupons[id]
		s.expire(c, now)
		if (status < 0 || int64(c.UseStatus) == status) && (tmpl < 0 || c.TemplateID == tmpl) && (p.CardID == "" || string(p.CardID) == c.CardID) {
			list = append(list, s.wire(c))
		}
	}
	s.mu.Unlock()
	switch {
	case !known:
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
	case p.CardID != "" && len(list) == 0:
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
	case s.cfg.NativeTypes:
		s.ok(w, map[string]any{"list": list, "total": len(list)})
	case p.CardID == "":
		s.ok(w, list)
	default:
		s.ok(w, list[0])
	}
}

type writeOffParams struct {
	BizID           jsonx.Flex     `json:"bizId"`
	Channel         jsonx.Flex     `json:"channel"`
	CustomerID      jsonx.Flex     `json:"customerId"`
	GroupID         jsonx.Flex     `json:"groupId"`
	CouponsCardList []jsonx.Flex   `json:"couponsCardList"`
	Type            jsonx.Flex     `json:"type"`
	Ext             map[string]any `json:"ext"`
	UseCount        jsonx.Flex     `json:"useCount"`
	TradeMarks      []jsonx.Flex   `json:"tradeMarks"`
	OrderAmount     jsonx.Flex     `json:"orderAmount"`
	Amount          jsonx.Flex     `json:"amount"`
	ThirdOrderNo    jsonx.Flex     `json:"thirdOrderNo"`
}

// writeOffExt is the ext object's fields the fake reads.
type writeOffExt struct {
	ChannelType    jsonx.Flex `json:"channelType"`
	MultiStoreID   jsonx.Flex `json:"multiStoreId"`
	MultiStoreMark jsonx.Flex `json:"multiStoreMark"`
	OrderNo        jsonx.Flex `json:"orderNo"`
	Reason         jsonx.Flex `json:"reason"`
}

// writeOff answers writeOffCoupon: every listed coupon must be the
// customer's, of the channel, unused and within its validity, or none is
// redeemed. The answer is {bizId, cardIdList}, bizId the fake's own number
// for the redemption (as a string, or a number with NativeTypes). A bizId
// already applied with the same params is answered as the first time; with
// other params (other coupons, say, after a reversal) it is refused with
// CodeBizIDReused and nothing is redeemed [open: what the vendor does].
func (s *Server) writeOff(w http.ResponseWriter, raw json.RawMessage) {
	var p writeOffParams
	if err := json.Unmarshal(raw, &p); err != nil {
		s.fail(w, failure{true, CodeBadParam, "参数错误: " + err.Error()})
		return
	}
	red, f := p.redemption(raw)
	if f != nil {
		s.fail(w, *f)
		return
	}
	red.key = paramsKey(red.BizID, raw)
	answerOnce(s, w, apiWriteOff, red.key, &s.redemptions, func() ([]byte, bool) {
		if f := s.apply(&red); f != nil {
			return s.refusal(*f), false
		}
		return s.success("核销成功", map[string]any{"bizId": s.number(mustInt(red.VendorBizID)), "cardIdList": red.CardIDs}), true
	})
}

// mustInt is the fake's own decimal number s.
func mustInt(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic("zvcmstest: " + err.Error())
	}
	return n
}

// redemption checks the params' shape.
func (p *writeOffParams) redemption(raw json.RawMessage) (Redemption, *failure) {
	bad := func(what string) (Redemption, *failure) {
		return Redemption{}, &failure{true, CodeBadParam, "参数错误: " + what}
	}
	r := Redemption{BizID: string(p.BizID), Channel: string(p.Channel), CustomerID: string(p.CustomerID),
		ThirdOrderNo: string(p.ThirdOrderNo), Ext: p.Ext}
	typ, ok := count(p.Type)
	switch {
	case !ok || typ > 1:
		return bad("type")
	case r.BizID == "":
		return bad("bizId不能为空")
	case r.Channel == "":
		return bad("channel不能为空")
	case r.CustomerID == "" && typ != 1:
		return bad("customerId不能为空")
	case len(p.CouponsCardList) == 0:
		return bad("couponsCardList不能为空")
	}
	r.ScanCodes = typ == 1
	for _, id := range p.CouponsCardList {
		if id == "" || slices.Contains(r.CardIDs, string(id)) {
			return bad("couponsCardList")
		}
		r.CardIDs = append(r.CardIDs, string(id))
	}
	for _, m := range p.TradeMarks {
		r.TradeMarks = append(r.TradeMarks, string(m))
	}
	var ext struct {
		Ext writeOffExt `json:"ext"`
	}
	if err := json.Unmarshal(raw, &ext); err != nil {
		return bad("ext")
	}
	r.ChannelType, r.StoreCode, r.OrderNo, r.Reason = string(ext.Ext.ChannelType), string(ext.Ext.MultiStoreMark), string(ext.Ext.OrderNo), string(ext.Ext.Reason)
	group, ok1 := count(p.GroupID)
	store, ok2 := count(ext.Ext.MultiStoreID)
	useCount, ok3 := count(p.UseCount)
	orderAmount, ok4 := count(p.OrderAmount)
	amount, ok5 := count(p.Amount)
	switch {
	case !ok1:
		return bad("groupId")
	case !ok2:
		return bad("ext.multiStoreId")
	case !ok3 || (useCount > 0 && len(r.CardIDs) != 1):
		return bad("useCount")
	case !ok4:
		return bad("orderAmount")
	case !ok5:
		return bad("amount")
	}
	r.GroupID, r.StoreID = group, store
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

// apply redeems every coupon of r or none, and records r. A bizId a
// redemption already has (sent with other params, or the replay would have
// answered) is refused.
func (s *Server) apply(r *Redemption) *failure {
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.ContainsFunc(s.redemptions, func(d Redemption) bool { return d.BizID == r.BizID }) {
		return &failure{true, CodeBizIDReused, "bizId已使用且参数不一致: " + r.BizID}
	}
	now := s.now()
	for _, id := range r.CardIDs {
		c, ok := s.coupons[id]
		if !ok || ((r.CustomerID != "" || !r.ScanCodes) && c.CustomerID != r.CustomerID) {
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
	s.bizSeq++
	r.VendorBizID = strconv.FormatInt(472000000000000000+s.bizSeq, 10)
	r.At = now
	s.redemptions = append(s.redemptions, *r)
	return nil
}
