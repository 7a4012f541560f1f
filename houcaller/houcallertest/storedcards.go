package houcallertest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// storedCardRoutes are the routes of this file's APIs: a member's 豪礼卡 and
// the coupons of a 豪礼卡 promotion.
func storedCardRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		route(houcaller.EndpointListMemberCards, (*Server).listStoredCards),
		route(houcaller.EndpointPromotionCoupons, (*Server).listPromotion),
	}
}

var _ = areas.Add(storedCardRoutes)

// storedCard is a 豪礼卡 a member holds.
type storedCard struct {
	member string
	card   houcaller.StoredValueCard
}

// AddStoredValueCard gives memberID the 豪礼卡 card, listed by
// listMemberStcard in the order added.
func (s *Server) AddStoredValueCard(memberID string, card houcaller.StoredValueCard) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.storedCards = append(s.storedCards, storedCard{memberID, card})
}

// SetPromotion sets the coupon items that come with buying a 豪礼卡 of
// cardType at restaurant orgCode ("" is "1", the gateway's default), as
// listCpnForStcPro lists them.
func (s *Server) SetPromotion(orgCode, cardType string, coupons []houcaller.PromotionCoupon) {
	if orgCode == "" {
		orgCode = "1"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.promotions == nil {
		s.promotions = map[[2]string][]houcaller.PromotionCoupon{}
	}
	s.promotions[[2]string{orgCode, cardType}] = slices.Clone(coupons)
}

// listStoredCards answers listMemberStcard in the shape of the vendor's
// response example: {"list":[{amt, balance, begDate, cardNo, cardType,
// cstyle, endDate, fid, giftable, ispro, orgCode, pwd, regCount, status,
// statusTxt, isact, assetsUrl, …}]}, amounts as numbers in yuan.
func (s *Server) listStoredCards(w http.ResponseWriter, plain []byte) {
	var p struct {
		MemberID jsonx.Flex `json:"memberId"`
	}
	if err := json.Unmarshal(plain, &p); err != nil || p.MemberID == "" {
		s.reply(w, CodeBadParam, "缺少参数: memberId", nil)
		return
	}
	list := []map[string]any{}
	s.mu.Lock()
	for _, sc := range s.storedCards {
		if sc.member != string(p.MemberID) {
			continue
		}
		c := sc.card
		list = append(list, map[string]any{
			"amt": json.Number(c.FaceValue.Yuan()), "balance": json.Number(c.Balance.Yuan()), "begDate": dateOrEmpty(c.BeginDate),
			"cardNo": c.CardNo, "cardType": c.CardType, "cstyle": c.FaceImageURL, "endDate": dateOrEmpty(c.EndDate),
			"fid": "fid-" + c.CardNo, "giftable": c.Giftable, "ispro": flag(c.InPromotion), "message": "", "orgCode": c.OrgCode,
			"phone": "", "pwd": "000000", "regCount": c.BindFailures, "saleable": 0, "selected": 0, "status": c.Status,
			"statusTxt": c.StatusText, "isact": boolInt(c.Activated), "assetsUrl": c.AssetsURL,
		})
	}
	s.mu.Unlock()
	s.reply(w, CodeOK, "操作成功", map[string]any{"list": list})
}

// listPromotion answers listCpnForStcPro with the shape of the vendor's
// response example: {"cpnList":[{barcode, begSend, begTime, content,
// cpnName, cpnType, delay, endTime, getLimit, getLimitAll, id, maxCount,
// picUrl, posid, status …}]}; an empty list for a card type without a
// promotion.
func (s *Server) listPromotion(w http.ResponseWriter, plain []byte) {
	var p struct {
		OrgCode  jsonx.Flex `json:"orgCode"`
		CardType jsonx.Flex `json:"cardType"`
	}
	if err := json.Unmarshal(plain, &p); err != nil || p.CardType == "" {
		s.reply(w, CodeBadParam, "缺少参数: cardType", nil)
		return
	}
	org := string(p.OrgCode)
	if org == "" {
		org = "1"
	}
	list := []map[string]any{}
	s.mu.Lock()
	for _, c := range s.promotions[[2]string{org, string(p.CardType)}] {
		list = append(list, map[string]any{
			"barcode": "", "begSend": dateOrEmpty(c.BeginDate), "begTime": dateOrEmpty(c.BeginDate), "content": c.Content,
			"cpnName": c.Name, "cpnType": string(c.Type), "delay": 0, "endTime": dateOrEmpty(c.EndDate), "getLimit": 1,
			"getLimitAll": 1, "id": c.ID, "maxCount": 100000000, "picUrl": c.PictureURL, "posid": c.PosID, "status": c.Status,
		})
	}
	s.mu.Unlock()
	s.reply(w, CodeOK, "操作成功", map[string]any{"cpnList": list})
}

// flag is "1" for true and "0" for false, as the vendor writes ispro.
func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// boolInt is 1 for true and 0 for false, as the vendor writes isact.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// dateOrEmpty is t's day as "yyyy-MM-dd" in Beijing time, or "" when zero.
func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return cntime.FormatDate(t)
}
