package ebuytest

import (
	"strconv"
	"time"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
)

const compactLayout = "20060102150405"

func parseCompact(field, s string) (time.Time, *apiError) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(compactLayout, s, cntime.Location())
	if err != nil {
		return time.Time{}, fail(ebuy.ErrCodeParamInvalid, "%s must be yyyyMMddHHmmss", field)
	}
	return t, nil
}

func compact(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cntime.Location()).Format(compactLayout)
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

func statusDesc(st ebuy.CodeStatus) string {
	switch st {
	case ebuy.StatusUnused:
		return "未使用"
	case ebuy.StatusUsed:
		return "已使用"
	case ebuy.StatusExpired:
		return "已过期"
	case ebuy.StatusNotActivated:
		return "未激活"
	case ebuy.StatusFrozen:
		return "已冻结"
	case ebuy.StatusVoided:
		return "已作废"
	}
	return string(st)
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
		return st != ebuy.StatusVoided && st != ebuy.StatusUsed
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

func (s *Server) productDetail(req *request) (any, *apiError) {
	var in struct {
		ProductID jsonx.Flex `json:"productId"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	id, err := strconv.ParseInt(string(in.ProductID), 10, 64)
	if err != nil {
		return nil, fail(ebuy.ErrCodeParamInvalid, "productId must be an integer")
	}
	s.mu.Lock()
	p, ok := s.products[ebuy.TicketID(id)]
	s.mu.Unlock()
	if !ok {
		return nil, fail(ebuy.ErrCodeNotFound, "产品不存在[%d]", id)
	}
	return struct {
		ProductID     int64  `json:"productId"`
		ProductName   string `json:"productName"`
		ProductType   string `json:"productType"`
		UseTimes      int    `json:"useTimes"`
		BrandID       string `json:"brandId"`
		BrandName     string `json:"brandName"`
		SendChannelID string `json:"sendChannelId"`
		FaceValue     int64  `json:"faceValue"`
	}{int64(p.ID), p.Name, p.Type, p.UseTimes, s.cfg.BrandID, p.BrandName, "ebuytest", int64(p.FaceValue)}, nil
}

func (s *Server) codeHistory(req *request) (any, *apiError) {
	var in struct {
		Code string `json:"code"`
	}
	if e := decode(req, &in); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[in.Code]
	if !ok {
		return nil, fail(ebuy.ErrCodeNotFound, "券码不存在[%s]", in.Code)
	}
	type record struct {
		DateTime   string `json:"dateTime"`
		ReturnCode string `json:"returnCode"`
		ReturnMsg  string `json:"returnMsg"`
		Code       string `json:"code"`
		Mid        string `json:"mid"`
		ShopName   string `json:"shopName"`
		Type       string `json:"type"`
		ShopNo     string `json:"shopNo"`
		Tid        string `json:"tid"`
		Swift      string `json:"swift"`
	}
	out := struct {
		ReturnCode string   `json:"returnCode"`
		TransTime  int64    `json:"transTime"`
		RequestID  string   `json:"requestId"`
		ReturnData []record `json:"returnData"`
	}{ReturnCode: "00", TransTime: s.now().UnixMilli(), RequestID: req.uuid, ReturnData: make([]record, 0, len(c.history))}
	for _, h := range c.history {
		out.ReturnData = append(out.ReturnData, record{DateTime: compact(h.at), ReturnCode: h.returnCode, ReturnMsg: h.msg, Code: c.code,
			Mid: h.mid, ShopName: h.shopName, Type: h.typ, ShopNo: h.shopNo, Tid: h.terminalID, Swift: h.serialNo})
	}
	return out, nil
}

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
		case ok && inRedemption && !r.cancelled[code] && c.status == ebuy.StatusUsed:
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
