package ebuytest

import (
	"strconv"
	"time"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/jsonx"
)

var _ = areas.Add(codeRoutes)

// codeRoutes are the routes of this file's APIs: the writes on codes,
// each de-duplicated by its uuid.
func codeRoutes(Config) []route {
	return []route{
		at("batchActivateCode", handler{do: (*Server).activate, repeat: byUUID}),
		at("batchUnActivateCode", handler{do: (*Server).deactivate, repeat: byUUID}),
		at("batchUpdateCodeStatus", handler{do: (*Server).updateStatus, repeat: byUUID}),
		at("thirdBatchMake", handler{do: (*Server).thirdBatchMake, repeat: byUUID}),
	}
}

// codeDetail is an activeCodeDetails entry.
type codeDetail struct {
	CodeSecret     string          `json:"codeSecret"`
	CodeSearch     string          `json:"codeSearch"`
	ResultCode     string          `json:"resultCode"`
	ResultMessage  string          `json:"resultMessage"`
	CodeStatus     ebuy.CodeStatus `json:"codeStatus"`
	CodeStatusDesc string          `json:"codeStatusDesc"`
	UseTimes       string          `json:"useTimes"`
	TicketID       string          `json:"ticketId"`
	TicketName     string          `json:"ticketName"`
	OuterOrderID   string          `json:"outerOrderId"`
}

type codeBatch struct {
	CodeNum           int          `json:"codeNum"`
	CreateDate        int64        `json:"createDate"`
	ActiveCodeDetails []codeDetail `json:"activeCodeDetails"`
}

// checkLocked returns the codes' states, refusing unknown codes and codes
// not in status from.
func (s *Server) checkLocked(codes []string, from ebuy.CodeStatus, op string) ([]*codeState, *apiError) {
	if len(codes) == 0 {
		return nil, fail(ebuy.ErrCodeParamInvalid, "codes are required")
	}

	out := make([]*codeState, 0, len(codes))
	for _, code := range codes {
		c, ok := s.codes[code]
		if !ok {
			return nil, fail(ebuy.ErrCodeNotFound, "券码不存在[%s]", code)
		}
		if c.status != from {
			return nil, fail(ebuy.ErrCodeInvalidTransition, "该码%s不能%s[%s]", statusDesc(c.status), op, code)
		}
		out = append(out, c)
	}
	return out, nil
}

// checkActivationSize refuses more codes than Config.MaxCodesPerActivation.
func (s *Server) checkActivationSize(codes []string) *apiError {
	if max := s.cfg.MaxCodesPerActivation; max > 0 && len(codes) > max {
		return fail(ebuy.ErrCodeParamInvalid, "券码数量不能超出%d", max)
	}
	return nil
}

func (s *Server) batchAnswer(cs []*codeState, now time.Time) codeBatch {
	b := codeBatch{CodeNum: len(cs), CreateDate: now.UnixMilli(), ActiveCodeDetails: make([]codeDetail, 0, len(cs))}
	for _, c := range cs {
		p := s.products[c.product]
		b.ActiveCodeDetails = append(b.ActiveCodeDetails, codeDetail{
			CodeSecret: c.code, CodeSearch: c.code[len(c.code)-8:], ResultCode: "00", ResultMessage: "成功",
			CodeStatus: c.status, CodeStatusDesc: statusDesc(c.status), UseTimes: strconv.Itoa(p.UseTimes),
			TicketID: c.product.String(), TicketName: p.Name, OuterOrderID: c.orderID,
		})
	}
	return b
}

func (s *Server) activate(req *request) (any, *apiError) {
	var in struct {
		CodeArray      []string `json:"codeArray"`
		CodeValidStart string   `json:"codeValidStart"`
		CodeValidEnd   string   `json:"codeValidEnd"`
		CodeValidDays  int      `json:"codeValidDays"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	start, e := parseCompact("codeValidStart", in.CodeValidStart)
	if e != nil {
		return nil, e
	}
	end, e := parseCompact("codeValidEnd", in.CodeValidEnd)
	if e != nil {
		return nil, e
	}
	if e := s.checkActivationSize(in.CodeArray); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, e := s.checkLocked(in.CodeArray, ebuy.StatusNotActivated, "激活")
	if e != nil {
		return nil, e
	}
	now := s.now()
	if in.CodeValidDays > 0 {
		start, end = now, now.AddDate(0, 0, in.CodeValidDays)
	}
	for _, c := range cs {
		c.transition(ebuy.StatusUnused, "activate", historyActivated, "激活", now)
		if !start.IsZero() {
			c.validStart = start
		}
		if !end.IsZero() {
			c.validEnd = end
		}
	}
	return s.batchAnswer(cs, now), nil
}

func (s *Server) deactivate(req *request) (any, *apiError) {
	var in struct {
		BrandID   jsonx.Flex `json:"brandId"`
		CodeArray []string   `json:"codeArray"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	if in.BrandID == "" {
		return nil, fail(ebuy.ErrCodeParamInvalid, "brandId is required")
	}
	if e := s.checkActivationSize(in.CodeArray); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, e := s.checkLocked(in.CodeArray, ebuy.StatusUnused, "取消激活")
	if e != nil {
		return nil, e
	}
	now := s.now()
	for _, c := range cs {
		c.transition(ebuy.StatusNotActivated, "unActivate", historyDeactivated, "取消激活", now)
	}
	return s.batchAnswer(cs, now), nil
}

type codeStatusEntry struct {
	Code            string          `json:"code"`
	CurrentStatus   ebuy.CodeStatus `json:"currentStatus"`
	StatusDesc      string          `json:"statusDesc"`
	SaleChannelID   string          `json:"saleChannelId"`
	SaleChannelCode string          `json:"saleChannelCode"`
	TicketID        string          `json:"ticketId"`
	TicketName      string          `json:"ticketName"`
	ValidStart      string          `json:"validStart"`
	ValidEnd        string          `json:"validEnd"`
}

// allowed reports whether update t may apply to a code in status st.
func allowed(t ebuy.UpdateType, st ebuy.CodeStatus) bool {
	switch t {
	case ebuy.UpdateInvalid:
		return st == ebuy.StatusUnused || st == ebuy.StatusNotActivated || st == ebuy.StatusFrozen
	case ebuy.UpdateFreeze:
		return st == ebuy.StatusUnused
	case ebuy.UpdateUnfreeze:
		return st == ebuy.StatusFrozen
	case ebuy.UpdateDelay:
		return st != ebuy.StatusVoided && st != ebuy.StatusRedeemed
	}
	return false
}

func (s *Server) updateStatus(req *request) (any, *apiError) {
	var in struct {
		UpdateType     ebuy.UpdateType `json:"updateType"`
		Codes          []string        `json:"codes"`
		CodeValidEnd   string          `json:"codeValidEnd"`
		SupportPartial string          `json:"supportPartial"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	switch {
	case len(in.Codes) == 0:
		return nil, fail(ebuy.ErrCodeParamInvalid, "codes are required")
	case len(in.Codes) > ebuy.MaxCodesPerUpdate:
		return nil, fail(ebuy.ErrCodeParamInvalid, "券码数量不能超出20")
	}
	end, e := parseCompact("codeValidEnd", in.CodeValidEnd)
	if e != nil {
		return nil, e
	}
	if in.UpdateType == ebuy.UpdateDelay && end.IsZero() {
		return nil, fail(ebuy.ErrCodeParamInvalid, "延期券码有效期不能为空")
	}
	var to ebuy.CodeStatus
	var typ, msg string
	switch in.UpdateType {
	case ebuy.UpdateInvalid:
		to, typ, msg = ebuy.StatusVoided, historyVoided, "作废"
	case ebuy.UpdateFreeze:
		to, typ, msg = ebuy.StatusFrozen, historyFrozen, "冻结"
	case ebuy.UpdateUnfreeze:
		to, typ, msg = ebuy.StatusUnused, historyUnfrozen, "解冻"
	case ebuy.UpdateDelay:
		typ, msg = historyDelayed, "延期"
	default:
		return nil, fail(ebuy.ErrCodeParamInvalid, "unknown updateType %q", string(in.UpdateType))
	}
	partial := in.SupportPartial == "Y"
	s.mu.Lock()
	defer s.mu.Unlock()
	var apply, listed []*codeState
	for _, code := range in.Codes {
		c, ok := s.codes[code]
		switch {
		case !ok && partial:
			continue
		case !ok:
			return nil, fail(ebuy.ErrCodeNotFound, "券码不存在[%s]", code)
		case !allowed(in.UpdateType, c.status) && partial:
			listed = append(listed, c)
		case !allowed(in.UpdateType, c.status):
			return nil, fail(ebuy.ErrCodeInvalidTransition, "该码%s不能%s[%s]", statusDesc(c.status), msg, code)
		default:
			apply = append(apply, c)
			listed = append(listed, c)
		}
	}
	now := s.now()
	for _, c := range apply {
		st := to
		if st == "" {
			st, c.validEnd = c.status, end
		}
		c.transition(st, string(in.UpdateType), typ, msg, now)
	}
	out := struct {
		CodeStatusList []codeStatusEntry `json:"codeStatusList"`
	}{CodeStatusList: make([]codeStatusEntry, 0, len(listed))}
	for _, c := range listed {
		out.CodeStatusList = append(out.CodeStatusList, codeStatusEntry{
			Code: c.code, CurrentStatus: c.status, StatusDesc: statusDesc(c.status), SaleChannelID: s.cfg.AppID, SaleChannelCode: "ebuytest",
			TicketID: c.product.String(), TicketName: s.products[c.product].Name, ValidStart: compact(c.validStart), ValidEnd: compact(c.validEnd),
		})
	}
	return out, nil
}

func (s *Server) thirdBatchMake(req *request) (any, *apiError) {
	var in struct {
		SaleChannelOrderID string `json:"saleChannelOrderId"`
		WhaleTicketID      string `json:"whaleTicketId"`
		TotalCount         string `json:"totalCount"`
		CodeValidStart     string `json:"codeValidStart"`
		CodeValidEnd       string `json:"codeValidEnd"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	n, err := strconv.Atoi(in.TotalCount)
	switch {
	case in.SaleChannelOrderID == "":
		return nil, fail(ebuy.ErrCodeParamInvalid, "saleChannelOrderId is required")
	case err != nil || n < 1 || n > 1000:
		return nil, fail(ebuy.ErrCodeParamInvalid, "totalCount must be 1 to 1000")
	}
	id, err := strconv.ParseInt(in.WhaleTicketID, 10, 64)
	if err != nil {
		return nil, fail(ebuy.ErrCodeParamInvalid, "whaleTicketId must be a batch id")
	}
	start, e := parseCompact("codeValidStart", in.CodeValidStart)
	if e != nil {
		return nil, e
	}
	end, e := parseCompact("codeValidEnd", in.CodeValidEnd)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.products[ebuy.TicketID(id)]; !ok {
		return nil, fail(ebuy.ErrCodeNotFound, "批次不存在[%d]", id)
	}
	codes, seen := s.orders[in.SaleChannelOrderID]
	if !seen {
		codes = s.makeLocked(ebuy.TicketID(id), n, in.SaleChannelOrderID, s.now(), start, end)
		s.orders[in.SaleChannelOrderID] = codes
	}
	type made struct {
		Code               string `json:"code"`
		Password           string `json:"password"`
		SendChannelOrderID string `json:"sendChannelOrderId"`
		ExchangeURL        string `json:"exchangeUrl"`
	}
	out := struct {
		ReturnCode         string `json:"returnCode"`
		ReturnMsg          string `json:"returnMsg"`
		RequestID          string `json:"requestId"`
		ThirdCodeFamilySet []made `json:"thirdCodeFamilySet"`
	}{ReturnCode: "00", ReturnMsg: "SUCCESS", RequestID: req.uuid}
	for _, code := range codes {
		c := s.codes[code]
		out.ThirdCodeFamilySet = append(out.ThirdCodeFamilySet, made{Code: code, Password: c.password, SendChannelOrderID: in.SaleChannelOrderID,
			ExchangeURL: "https://ebuytest.invalid/exchange/" + code})
	}
	return out, nil
}
