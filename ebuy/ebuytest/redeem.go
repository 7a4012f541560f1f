package ebuytest

import (
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/jsonx"
)

var _ = areas.Add(redeemRoutes)

// redeemRoutes are the routes of this file's APIs. e-Buy de-duplicates
// redemption reports on cashierTransNo for the day.
func redeemRoutes(Config) []route {
	return []route{
		at("verify-verifyCancel", handler{do: (*Server).cancelRedemption, repeat: byUUID}),
		at("verify-syncVerifyNotify", handler{do: (*Server).syncRedemptions, repeat: byMember("cashierTransNo", (*Server).day)}),
	}
}

// day prefixes a key that holds for the Beijing day.
func (s *Server) day() string { return s.now().Format("20060102") + "|" }

func (s *Server) cancelRedemption(req *request) (any, *apiError) {
	var in struct {
		OriginalUUID string   `json:"originalUuid"`
		Codes        []string `json:"codes"`
		IsAtomicity  string   `json:"isAtomicity"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.redemptions[in.OriginalUUID]
	if !ok {
		return nil, fail(ebuy.ErrCodeNotFoundRedemption, "原核销记录不存在[%s]", in.OriginalUUID)
	}
	codes := in.Codes
	if len(codes) == 0 {
		codes = r.codes
	}
	var cancel []*codeState
	for _, code := range codes {
		c, ok := s.codes[code]
		inRedemption := false
		for _, rc := range r.codes {
			inRedemption = inRedemption || rc == code
		}
		switch {
		case ok && inRedemption && !r.cancelled[code] && c.status == ebuy.StatusRedeemed:
			cancel = append(cancel, c)
		case in.IsAtomicity == "Y":
			return nil, fail(ebuy.ErrCodeInvalidTransition, "券码不能撤销核销[%s]", code)
		}
	}
	if len(cancel) == 0 {
		return nil, fail(ebuy.ErrCodeInvalidTransition, "没有可撤销核销的券码")
	}
	now := s.now()
	for _, c := range cancel {
		c.transition(ebuy.StatusUnused, "verifyCancel", historyCancelled, "撤销核销", now)
		r.cancelled[c.code] = true
	}
	return struct {
		OuterOrderID string `json:"outerOrderId"`
		CreateTime   int64  `json:"createTime"`
	}{cancel[0].orderID, now.UnixMilli()}, nil
}

func (s *Server) syncRedemptions(req *request) (any, *apiError) {
	var in struct {
		BrandID        jsonx.Flex `json:"brandId"`
		CashierTransNo string     `json:"cashierTransNo"`
		CodeList       []string   `json:"codeList"`
		VerifyScene    string     `json:"verifyScene"`
		StoreInfo      struct {
			ShopNo   string `json:"shopNo"`
			ShopName string `json:"shopName"`
		} `json:"storeInfo"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	switch {
	case in.BrandID == "":
		return nil, fail(ebuy.ErrCodeParamInvalid, "brandId is required")
	case in.CashierTransNo == "":
		return nil, fail(ebuy.ErrCodeParamInvalid, "cashierTransNo is required")
	case in.VerifyScene == "":
		return nil, fail(ebuy.ErrCodeParamInvalid, "verifyScene is required")
	case in.StoreInfo.ShopNo == "" || in.StoreInfo.ShopName == "":
		return nil, fail(ebuy.ErrCodeParamInvalid, "storeInfo.shopNo and shopName are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, e := s.checkLocked(in.CodeList, ebuy.StatusUnused, "核销")
	if e != nil {
		return nil, e
	}
	r := &redemption{uuid: req.uuid, cashierTransNo: in.CashierTransNo, codes: in.CodeList, at: s.now(),
		shopNo: in.StoreInfo.ShopNo, shopName: in.StoreInfo.ShopName, cancelled: map[string]bool{}}
	s.redeemLocked(r)
	type result struct {
		Code       string `json:"code"`
		TicketID   int64  `json:"ticketId"`
		TicketName string `json:"ticketName"`
		Amount     int64  `json:"amount"`
		Status     string `json:"status"`
		StatusDesc string `json:"statusDesc"`
	}
	out := struct {
		VerifyCodeList []result `json:"verifyCodeList"`
	}{}
	for _, c := range cs {
		p := s.products[c.product]
		out.VerifyCodeList = append(out.VerifyCodeList, result{c.code, int64(c.product), p.Name, int64(p.FaceValue), "00", "核销成功"})
	}
	return out, nil
}
