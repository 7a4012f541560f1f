package ebuy

import (
	"cmp"
	"context"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// MakeCodesRequest issues codes to a sales channel's order (makeCode, 制码):
// the call a sales channel uses where a code merchant uses ThirdBatchMake.
type MakeCodesRequest struct {
	// OuterOrderID is the sales channel's order number (outerOrderId), the
	// idempotency key: reported when the outcome is unknown, and the key the
	// call is retried on with Config.MakeCodesDeduplicates. Required, at most
	// 64 characters.
	OuterOrderID string
	// OuterOrderItemID is the order line (item.outerOrderItemId). Default:
	// OuterOrderID, as in e-Buy's example.
	OuterOrderItemID string
	// TicketID is the batch to issue codes of (item.ticketId, a JSON
	// number as in e-Buy's example). Required.
	TicketID TicketID
	// Count is how many codes to issue (item.codeCount). Required, at least 1.
	Count int
	// Remark is kept with the order (remark). Optional.
	Remark string
	// UUID is the request's uuid; empty means a fresh one, kept for every
	// attempt.
	UUID string
}

func (r *MakeCodesRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("MakeCodesRequest", "is nil")
	}
	if err := checkUUID("UUID", r.UUID, maxUUIDLen); err != nil {
		return err
	}
	if r.OuterOrderID == "" {
		return couponkit.Invalid("OuterOrderID", "required: it is the order's key")
	}
	if err := checkUUID("OuterOrderID", r.OuterOrderID, 64); err != nil {
		return err
	}
	if err := checkUUID("OuterOrderItemID", r.OuterOrderItemID, 64); err != nil {
		return err
	}
	switch {
	case r.TicketID <= 0:
		return couponkit.Invalid("TicketID", "required")
	case r.Count < 1:
		return couponkit.Invalid("Count", "must be at least 1")
	case !utf8.ValidString(r.Remark):
		return couponkit.Invalid("Remark", "not valid UTF-8")
	}
	return nil
}

// params returns makeCode's content: the order line defaults to the order.
func (r *MakeCodesRequest) params() *makeCodesParams {
	return &makeCodesParams{
		Item:         makeCodesItem{CodeCount: r.Count, OuterOrderItemID: cmp.Or(r.OuterOrderItemID, r.OuterOrderID), TicketID: wiretype.Int(r.TicketID)},
		OuterOrderID: r.OuterOrderID, Remark: r.Remark,
	}
}

// makeCodesParams is makeCode's content, fields in ASCII order of their
// tags; ticketId is a JSON number, as in e-Buy's example.
type makeCodesParams struct {
	Item         makeCodesItem `json:"item"`
	OuterOrderID string        `json:"outerOrderId"`
	Remark       string        `json:"remark,omitempty"`
}

type makeCodesItem struct {
	CodeCount        int          `json:"codeCount"`
	OuterOrderItemID string       `json:"outerOrderItemId"`
	TicketID         wiretype.Int `json:"ticketId"`
}

// MakeCodesResult is the codes issued. e-Buy 4.1 does not publish makeCode's
// answer: the fields below are read in two namings (an open point, see
// MakeCodes); Meta.Raw keeps the whole answer.
type MakeCodesResult struct {
	// OuterOrderID is the order (outerOrderId).
	OuterOrderID string
	// Codes are the codes issued (item.codeDetail or items[].codeDetails),
	// never empty: a success without a code is unreadable.
	Codes []IssuedCode
	// ValidStart and ValidEnd bound the codes' validity (validStart,
	// validEnd of the first item that has them; yyyyMMddHHmmss text or epoch
	// milliseconds), Beijing time.
	ValidStart, ValidEnd time.Time
	// Meta describes the exchange. It is left out of JSON.
	Meta couponkit.Meta `json:"-"`
}

// IssuedCode is one code issued by MakeCodes. Fields a naming does not carry
// are left empty.
type IssuedCode struct {
	// Code is the code (code).
	Code string
	// SearchCode is the code's query number (codeSearch, or searchCode in
	// the makeNotify naming).
	SearchCode string
	// Password is the code's password, where the batch has one (password).
	Password string
	// Mask is the code as shown masked (codeMask; makeNotify naming).
	Mask string
	// H5URL and PicURL are the code's web page and picture (codeH5Url,
	// codePicUrl; makeNotify naming).
	H5URL, PicURL string
	// Status and StatusDescription are the code's status (status, statusDesc;
	// makeNotify naming).
	Status            CodeStatus
	StatusDescription string
	// UseTimes is how many times the code can be used (useTimes; makeNotify
	// naming).
	UseTimes int
}

// makeCodesAnswer is makeCode's content in either naming: e-Buy's 4.0 make
// answer (item.codeDetail[]{code, codeSearch, password}) or the 4.1 make
// notification, page a516a (items[].codeDetails[]{code, searchCode,
// codeMask, codeH5Url, codePicUrl, status, statusDesc, useTimes}, with
// validStart and validEnd as epoch milliseconds). An outerOrderId other
// than the request's is refused before it is decoded (see tie).
type makeCodesAnswer struct {
	OuterOrderID string          `json:"outerOrderId"`
	Item         *wireMakeItem   `json:"item"`
	Items        []*wireMakeItem `json:"items"`
}

type wireMakeItem struct {
	ValidStart    wiretype.CompactTime `json:"validStart"`
	ValidEnd      wiretype.CompactTime `json:"validEnd"`
	ReturnCode    string               `json:"returnCode"`
	ReturnMessage string               `json:"returnMessage"`
	CodeDetail    []wireIssuedCode     `json:"codeDetail"`
	CodeDetails   []wireIssuedCode     `json:"codeDetails"`
}

type wireIssuedCode struct {
	Code       string       `json:"code"`
	CodeSearch string       `json:"codeSearch"`
	SearchCode string       `json:"searchCode"`
	Password   string       `json:"password"`
	CodeMask   string       `json:"codeMask"`
	CodeH5URL  string       `json:"codeH5Url"`
	CodePicURL string       `json:"codePicUrl"`
	Status     CodeStatus   `json:"status"`
	StatusDesc string       `json:"statusDesc"`
	UseTimes   wiretype.Int `json:"useTimes"`
}

// items returns the answer's items, item first.
func (a *makeCodesAnswer) items() []*wireMakeItem {
	if a.Item == nil {
		return a.Items
	}
	return append([]*wireMakeItem{a.Item}, a.Items...)
}

// Complete reports a success that issued no code, naming the first item
// e-Buy refused when there is one: the call exists to issue codes.
func (a *makeCodesAnswer) Complete() error {
	var refused *wireMakeItem
	for _, it := range a.items() {
		if it == nil {
			continue
		}
		if len(it.CodeDetail) > 0 || len(it.CodeDetails) > 0 {
			return nil
		}
		if refused == nil && !resultOK(it.ReturnCode) {
			refused = it
		}
	}
	if refused != nil {
		return transport.Missing("a code (item returnCode " + refused.ReturnCode + ": " + refused.ReturnMessage + ")")
	}
	return transport.Missing("a code in item.codeDetail or items[].codeDetails")
}

// result returns the codes issued to order, and the validity of the first
// item that has one.
func (a *makeCodesAnswer) result(order string, meta couponkit.Meta) *MakeCodesResult {
	res := &MakeCodesResult{OuterOrderID: order, Meta: meta}
	for _, it := range a.items() {
		if it == nil {
			continue
		}
		if res.ValidStart.IsZero() && res.ValidEnd.IsZero() {
			res.ValidStart, res.ValidEnd = time.Time(it.ValidStart), time.Time(it.ValidEnd)
		}
		for _, list := range [2][]wireIssuedCode{it.CodeDetail, it.CodeDetails} {
			for _, d := range list {
				res.Codes = append(res.Codes, d.issued())
			}
		}
	}
	return res
}

// apiMakeCodes is makeCode's action (its default path is
// DefaultMakeCodesPath): e-Buy's signing page says the action is the API's
// path, and shows makeCode only as an action.
const apiMakeCodes = "makeCode"

// opMakeCodes (makeCode, which a client moves to Config.MakeCodesPath):
// Unsafe, outerOrderId reported on an unknown outcome; opMakeCodesKeyed is
// the same Op Keyed on outerOrderId (Config.MakeCodesDeduplicates). One
// registry entry lists both, at the default (Unsafe).
var (
	opMakeCodes      = &transport.Op{Name: apiMakeCodes, Path: apiPrefix + DefaultMakeCodesPath, Class: transport.Unsafe, KeyName: "outerOrderId"}
	opMakeCodesKeyed = &transport.Op{Name: apiMakeCodes, Path: apiPrefix + DefaultMakeCodesPath, Class: transport.Keyed, KeyName: "outerOrderId"}
)

var _ = registry.Add(transport.Describe(Vendor, opMakeCodes, (*Client).MakeCodes, "issues codes to a sales channel's order"))

// MakeCodes issues req.Count codes of batch req.TicketID to the sales
// channel's order req.OuterOrderID (action makeCode, sent to
// Config.MakeCodesPath).
//
// By default it is Unsafe: sent once, never repeated by the client. e-Buy
// 4.1 publishes no de-duplication of outerOrderId (nor of the uuid) and no
// query of a make order, so a repeated request could issue the codes twice.
// Its 4.0 predecessor (MakeCode) answers a repeated order number with the
// earlier success; with Config.MakeCodesDeduplicates, set only when e-Buy
// confirms 4.1 does the same, MakeCodes is a Keyed write on outerOrderId
// (retried with the same outerOrderId and uuid). When the outcome cannot be
// known the error matches couponkit.ErrUnknownOutcome and
// couponkit.IdempotencyKey returns OuterOrderID: look the order up in
// e-Buy's back office before sending it again.
//
// No 4.1 page prints makeCode's answer. The codes are read in two namings:
// content.item.codeDetail[]{code, codeSearch, password} (where e-Buy's 4.0
// make answer puts them) and content.items[].codeDetails[]{code, searchCode,
// codeMask, codeH5Url, codePicUrl, status, statusDesc, useTimes} (the 4.1
// make notification, page a516a). A success answer without a code, or for
// another outerOrderId, is unreadable: an unknown outcome, never a success
// with no codes.
func (c *Client) MakeCodes(ctx context.Context, req *MakeCodesRequest) (*MakeCodesResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var a makeCodesAnswer
	meta, err := transport.Send(ctx, c.typedWithUUID(req.UUID), c.opMakeCodes, req.OuterOrderID, req.params(), &a)
	if err != nil {
		return nil, err
	}
	return a.result(req.OuterOrderID, meta), nil
}
