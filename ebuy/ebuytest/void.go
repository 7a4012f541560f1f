package ebuytest

import (
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/jsonx"
)

var _ = areas.Add(voidRoutes)

// voidRoutes are the routes of this file's APIs. A void of a code
// merchant's redemption is identified by its serial number, requestId.
func voidRoutes(Config) []route {
	return []route{
		at("verify-syncVerifyVoidNotify", handler{do: (*Server).cancelSynced, repeat: byUUID}),
		at("verify-codeVerifyVoidNotify", handler{do: (*Server).voidMerchant, repeat: byMember("requestId", noPrefix)}),
	}
}

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

func (r *redemption) has(code string) bool {
	for _, c := range r.codes {
		if c == code {
			return true
		}
	}
	return false
}
