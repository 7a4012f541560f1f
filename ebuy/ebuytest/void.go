package ebuytest

import (
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/jsonx"
)

type voidResult struct {
	Code       string `json:"code"`
	TicketID   int64  `json:"ticketId"`
	TicketName string `json:"ticketName"`
	Amount     int64  `json:"amount"`
	Status     string `json:"status"`
	StatusDesc string `json:"statusDesc"`
}

// cancelSynced takes back a report of SyncRedemptions
// (verify-syncVerifyVoidNotify): every code given (or every code of the
// report) must be redeemed by it and not yet taken back; the codes become
// usable again. Either spelling of the brand key is accepted (branId on
// e-Buy's page, brandId on its sibling). The answer's layout is
// Config.SyncVoidAnswer's.
func (s *Server) cancelSynced(req *request) (any, *apiError) {
	var in struct {
		OriginalUUID string     `json:"originalUuid"`
		Codes        []string   `json:"codes"`
		BranID       jsonx.Flex `json:"branId"`
		BrandID      jsonx.Flex `json:"brandId"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	switch {
	case in.OriginalUUID == "":
		return nil, fail(ebuy.ErrCodeParamInvalid, "originalUuid is required")
	case in.BranID == "" && in.BrandID == "":
		return nil, fail(ebuy.ErrCodeParamInvalid, "branId is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.redemptions[in.OriginalUUID]
	if !ok || r.cashierTransNo != in.OriginalUUID {
		return nil, fail(ebuy.ErrCodeNotFoundRedemption, "原核销记录不存在[%s]", in.OriginalUUID)
	}
	codes := in.Codes
	if len(codes) == 0 {
		for _, code := range r.codes {
			if !r.cancelled[code] {
				codes = append(codes, code)
			}
		}
	}
	if len(codes) == 0 {
		return nil, fail(ebuy.ErrCodeInvalidTransition, "没有可撤销核销的券码")
	}
	cs := make([]*codeState, 0, len(codes))
	for _, code := range codes {
		c, ok := s.codes[code]
		if !ok || !r.has(code) || r.cancelled[code] || c.status != ebuy.StatusRedeemed {
			return nil, fail(ebuy.ErrCodeInvalidTransition, "券码不能撤销核销[%s]", code)
		}
		cs = append(cs, c)
	}
	now := s.now()
	out := syncVoidAnswer{OuterOrderID: cs[0].orderID, CreateTime: now.UnixMilli()}
	for _, c := range cs {
		c.transition(ebuy.StatusUnused, "verifyVoid", historyCancelled, "撤销核销", now)
		r.cancelled[c.code] = true
		p := s.products[c.product]
		out.VoidNotifyResultBOList = append(out.VoidNotifyResultBOList, voidResult{c.code, int64(c.product), p.Name, int64(p.FaceValue), "00", "撤销成功"})
	}
	return out, nil
}

// voidMerchant voids one redemption of a code (verify-codeVerifyVoidNotify):
// the one originalRequestId names, else the code's latest redemption not yet
// voided. The code becomes usable again.
func (s *Server) voidMerchant(req *request) (any, *apiError) {
	var in struct {
		RequestID         string `json:"requestId"`
		OriginalRequestID string `json:"originalRequestId"`
		VoidTime          string `json:"voidTime"`
		Code              string `json:"code"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	if in.Code == "" {
		return nil, fail(ebuy.ErrCodeParamInvalid, "code is required")
	}
	if _, e := parseCompact("voidTime", in.VoidTime); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[in.Code]
	if !ok {
		return nil, fail(ebuy.ErrCodeNotFound, "券码不存在[%s]", in.Code)
	}
	var r *redemption
	if in.OriginalRequestID != "" {
		r = s.redemptions[in.OriginalRequestID]
		if r == nil || !r.has(in.Code) {
			return nil, fail(ebuy.ErrCodeNotFoundRedemption, "原核销记录不存在[%s]", in.OriginalRequestID)
		}
	} else {
		for _, x := range s.redemptions {
			if x.has(in.Code) && !x.cancelled[in.Code] && (r == nil || x.at.After(r.at)) {
				r = x
			}
		}
	}
	if r == nil || r.cancelled[in.Code] || c.status != ebuy.StatusRedeemed {
		return nil, fail(ebuy.ErrCodeInvalidTransition, "券码不能撤销核销[%s]", in.Code)
	}
	c.transition(ebuy.StatusUnused, "verifyVoid", historyCancelled, "撤销核销", s.now())
	r.cancelled[in.Code] = true
	return struct {
		OrderRemarks string `json:"orderRemarks"`
		Status       string `json:"status"`
		StatusDesc   string `json:"statusDesc"`
	}{c.orderID, "00", "撤销成功"}, nil
}

// makeCodes issues codes to a sales channel's order (makeCode), active (00)
// at once, and answers in the naming of Config.MakeAnswer. A repeated
// outerOrderId issues codes again unless Config.MakeCodesDeduplicates (see
// serve): e-Buy publishes no de-duplication of it for 4.1, which is why
// ebuy.Client.MakeCodes is Unsafe by default.
func (s *Server) makeCodes(req *request) (any, *apiError) {
	var in struct {
		Item struct {
			TicketID         jsonx.Flex `json:"ticketId"`
			CodeCount        int        `json:"codeCount"`
			OuterOrderItemID string     `json:"outerOrderItemId"`
		} `json:"item"`
		Remark       string `json:"remark"`
		OuterOrderID string `json:"outerOrderId"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	var id ebuy.TicketID
	if err := id.UnmarshalJSON([]byte(in.Item.TicketID)); err != nil || id == 0 {
		return nil, fail(ebuy.ErrCodeParamInvalid, "item.ticketId must be a batch id")
	}
	switch {
	case in.OuterOrderID == "":
		return nil, fail(ebuy.ErrCodeParamInvalid, "outerOrderId is required")
	case in.Item.CodeCount < 1 || in.Item.CodeCount > 100:
		return nil, fail(ebuy.ErrCodeParamInvalid, "item.codeCount must be 1 to 100")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.products[id]; !ok {
		return nil, fail(ebuy.ErrCodeNotFound, "批次不存在[%d]", id)
	}
	now := s.now()
	end := now.AddDate(0, 0, 90)
	codes := s.makeLocked(id, in.Item.CodeCount, in.OuterOrderID, now, now, end)
	for _, code := range codes {
		s.codes[code].transition(ebuy.StatusUnused, "makeCode", historyActivated, "制码", now)
	}
	s.orders[in.OuterOrderID] = append(s.orders[in.OuterOrderID], codes...)
	return s.makeAnswer(in.OuterOrderID, in.Item.OuterOrderItemID, in.Remark, id, codes, now, end), nil
}

func (r *redemption) has(code string) bool {
	for _, c := range r.codes {
		if c == code {
			return true
		}
	}
	return false
}
