package ebuytest

import (
	"cmp"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/jsonx"
)

var _ = areas.Add(issueRoutes)

// issueRoutes are the routes of this file's API: makeCode, served at
// Config.MakeCodesPath, de-duplicated by its uuid or, with
// Config.MakeCodesDeduplicates, by its outerOrderId (e-Buy's 4.0 rule: a
// repeated order number gets the earlier success; a failed order is made
// anew).
func issueRoutes(cfg Config) []route {
	repeat := byUUID
	if cfg.MakeCodesDeduplicates {
		repeat = byMember("outerOrderId", noPrefix)
	}
	return []route{{API: "makeCode", Path: apiPrefix + cmp.Or(cfg.MakeCodesPath, ebuy.DefaultMakeCodesPath),
		Handler: handler{do: (*Server).makeCodes, repeat: repeat}}}
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
		s.codes[code].orderItem = in.Item.OuterOrderItemID
	}
	s.orders[in.OuterOrderID] = append(s.orders[in.OuterOrderID], codes...)
	if in.Remark != "" {
		s.remarks[in.OuterOrderID] = in.Remark
	}
	return s.makeAnswer(in.OuterOrderID, in.Item.OuterOrderItemID, in.Remark, id, codes, now, end), nil
}
