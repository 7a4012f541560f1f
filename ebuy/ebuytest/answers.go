package ebuytest

import (
	"strconv"
	"time"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// SyncVoidAnswer is the layout of the fake's answers to
// verify-syncVerifyVoidNotify (CancelSyncedRedemptions).
type SyncVoidAnswer int

const (
	// SyncVoidEnvelope answers like every other call: success, uuid and
	// errorCode in a signed envelope, outerOrderId and createTime inside
	// content beside voidNotifyResultBOList (the default).
	SyncVoidEnvelope SyncVoidAnswer = iota
	// SyncVoidAsPrinted answers with exactly the fields page 9de6d prints:
	// outerOrderId, action, timestamp, createTime, errorCode, errorMessage,
	// content{voidNotifyResultBOList}, signType and sign. There is no success
	// and no uuid: a refusal is the same signed answer with an errorCode.
	SyncVoidAsPrinted
)

// MakeAnswer is the naming of the fake's answers to makeCode (MakeCodes),
// which no 4.1 page prints.
type MakeAnswer int

const (
	// MakeAnswerItem names the codes as e-Buy's 4.0 make answer does:
	// content{outerOrderId, item{outerOrderItemId, ticketId, validStart,
	// validEnd (yyyyMMddHHmmss), codeDetail[]{code, codeSearch, password}}}
	// (the default).
	MakeAnswerItem MakeAnswer = iota
	// MakeAnswerItems names them as the 4.1 make notification (page a516a)
	// does: content{outerOrderId, codeCount, createDate, orderRemark,
	// items[]{outerOrderItemId, ticketId, ticketName, productId, productName,
	// codeCount, returnCode, returnMessage, validStart, validEnd (epoch
	// milliseconds), codeDetails[]{code, searchCode, codeMask, codeH5Url,
	// codePicUrl, status, statusDesc, useTimes}}}.
	MakeAnswerItems
)

// syncVoidAnswer is the outcome of a verify-syncVerifyVoidNotify: in
// content as a whole (SyncVoidEnvelope), or outerOrderId and createTime
// beside content (SyncVoidAsPrinted).
type syncVoidAnswer struct {
	VoidNotifyResultBOList []voidResult `json:"voidNotifyResultBOList"`
	OuterOrderID           string       `json:"outerOrderId"`
	CreateTime             int64        `json:"createTime"`
}

// answerFor is the answer to req in the layout the fake's Config asks for.
func (s *Server) answerFor(req *request, content any, e *apiError) []byte {
	if req.api == "verify-syncVerifyVoidNotify" && s.cfg.SyncVoidAnswer == SyncVoidAsPrinted {
		return s.printedSyncVoid(req, content, e)
	}
	return s.answer(req, content, e)
}

// printedSyncVoid is a signed verify-syncVerifyVoidNotify answer with the
// fields of page 9de6d and no others.
func (s *Server) printedSyncVoid(req *request, content any, e *apiError) []byte {
	fields := []wire.Field{wire.Str("action", req.action), wire.Str("signType", wire.SignType), s.timestamp()}
	if e != nil {
		fields = append(fields, wire.Str("errorCode", e.code), wire.Str("errorMessage", e.msg))
		b, _ := wire.Signed(fields, s.cfg.AppSecret)
		return b
	}
	a := content.(syncVoidAnswer)
	c, err := jsonx.Canonical(struct {
		VoidNotifyResultBOList []voidResult `json:"voidNotifyResultBOList"`
	}{a.VoidNotifyResultBOList})
	if err != nil {
		return s.printedSyncVoid(req, nil, fail(ebuy.ErrCodeSystem, "cannot encode answer"))
	}
	fields = append(fields, wire.Raw("content", c), wire.Raw("createTime", strconv.AppendInt(nil, a.CreateTime, 10)),
		wire.Str("errorCode", ""), wire.Str("errorMessage", ""), wire.Str("outerOrderId", a.OuterOrderID))
	b, _ := wire.Signed(fields, s.cfg.AppSecret)
	return b
}

// makeAnswer is the content of makeCode's answer for the codes just issued
// to order (line item, batch id, remark), valid from now to end, in the
// naming Config.MakeAnswer asks for. s.mu is held.
func (s *Server) makeAnswer(order, item, remark string, id ebuy.TicketID, codes []string, now, end time.Time) any {
	if s.cfg.MakeAnswer == MakeAnswerItems {
		return s.makeAnswerItems(order, item, remark, id, codes, now, end)
	}
	type detail struct {
		Code       string `json:"code"`
		CodeSearch string `json:"codeSearch"`
		Password   string `json:"password"`
	}
	type itemAnswer struct {
		OuterOrderItemID string   `json:"outerOrderItemId"`
		TicketID         int64    `json:"ticketId"`
		ValidStart       string   `json:"validStart"`
		ValidEnd         string   `json:"validEnd"`
		CodeDetail       []detail `json:"codeDetail"`
	}
	out := struct {
		OuterOrderID string     `json:"outerOrderId"`
		Item         itemAnswer `json:"item"`
	}{OuterOrderID: order, Item: itemAnswer{OuterOrderItemID: item, TicketID: int64(id), ValidStart: compact(now), ValidEnd: compact(end)}}
	for _, code := range codes {
		out.Item.CodeDetail = append(out.Item.CodeDetail, detail{code, searchCode(code), s.codes[code].password})
	}
	return out
}

// makeAnswerItems is makeCode's answer in the naming of page a516a: its
// order fields and items, the codes written as a make notification writes
// them.
func (s *Server) makeAnswerItems(order, item, remark string, id ebuy.TicketID, codes []string, now, end time.Time) any {
	line := s.makeItem(id, item, now, end)
	for _, code := range codes {
		line.CodeCount++
		line.Codes = append(line.Codes, s.issuedCode(code))
	}
	return struct {
		CodeCount    int        `json:"codeCount"`
		CreateDate   int64      `json:"createDate"`
		Items        []makeLine `json:"items"`
		OrderRemark  string     `json:"orderRemark"`
		OuterOrderID string     `json:"outerOrderId"`
	}{CodeCount: len(codes), CreateDate: now.UnixMilli(), Items: []makeLine{wireMakeLine(line)}, OrderRemark: remark, OuterOrderID: order}
}

// searchCode is a code's query number in the fake: its last 8 digits.
func searchCode(code string) string { return code[len(code)-8:] }
