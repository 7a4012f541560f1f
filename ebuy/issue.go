package ebuy

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
)

// apiMakeCodes is makeCode's action, and its default path
// (Config.MakeCodesPath): e-Buy's signing page says the action is the API's
// path, and shows makeCode only as an action.
const apiMakeCodes = "makeCode"

// MakeCodesRequest issues codes to a sales channel's order (makeCode, 制码):
// the call a sales channel uses where a code merchant uses ThirdBatchMake.
type MakeCodesRequest struct {
	// OuterOrderID is the sales channel's order number (outerOrderId),
	// reported as the idempotency key when the outcome is unknown. Required,
	// at most 64 characters.
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
	// UUID is the request's uuid; empty means a fresh one.
	UUID string
}

// makeCodesItem is makeCode's item, fields in ASCII order.
type makeCodesItem struct {
	CodeCount        int      `json:"codeCount"`
	OuterOrderItemID string   `json:"outerOrderItemId"`
	TicketID         TicketID `json:"ticketId"`
}

// makeCodesContent is makeCode's content, fields in ASCII order.
type makeCodesContent struct {
	Item         makeCodesItem `json:"item"`
	OuterOrderID string        `json:"outerOrderId"`
	Remark       string        `json:"remark,omitempty"`
}

// MakeCodesResult is the codes issued. e-Buy 4.1 does not publish makeCode's
// answer: the fields below are read where e-Buy's 4.0 make answer puts
// them (an open point); Meta.Raw keeps the whole answer.
type MakeCodesResult struct {
	// OuterOrderID is the order (outerOrderId).
	OuterOrderID string
	// Codes are the codes issued (item.codeDetail).
	Codes []IssuedCode
	// ValidStart and ValidEnd bound the codes' validity (item.validStart,
	// item.validEnd), Beijing time.
	ValidStart, ValidEnd time.Time
	// Meta describes the exchange. It is left out of JSON.
	Meta couponkit.Meta `json:"-"`
}

// IssuedCode is one code issued by MakeCodes.
type IssuedCode struct {
	// Code is the code (code).
	Code string
	// SearchCode is the code's query number (codeSearch).
	SearchCode string
	// Password is the code's password, where the batch has one (password).
	Password string
}

type wireMakeCodes struct {
	OuterOrderID string `json:"outerOrderId"`
	Item         struct {
		ValidStart wireTime `json:"validStart"`
		ValidEnd   wireTime `json:"validEnd"`
		CodeDetail []struct {
			Code       string `json:"code"`
			CodeSearch string `json:"codeSearch"`
			Password   string `json:"password"`
		} `json:"codeDetail"`
	} `json:"item"`
}

// MakeCodes issues req.Count codes of batch req.TicketID to the sales
// channel's order req.OuterOrderID (action makeCode, sent to
// Config.MakeCodesPath).
//
// It is Unsafe: sent once, never repeated by the client. e-Buy 4.1
// publishes no de-duplication of outerOrderId (nor of the uuid) and no
// query of a make order, so a repeated request could issue the codes twice.
// When the outcome cannot be known the error matches
// couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey returns
// OuterOrderID: look the order up in e-Buy's back office before sending it
// again.
func (c *Client) MakeCodes(ctx context.Context, req *MakeCodesRequest) (*MakeCodesResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	if err := checkUUID("UUID", req.UUID, maxUUIDLen); err != nil {
		return nil, err
	}
	if req.OuterOrderID == "" {
		return nil, couponkit.Invalid("OuterOrderID", "required: it is the order's key")
	}
	if err := checkUUID("OuterOrderID", req.OuterOrderID, 64); err != nil {
		return nil, err
	}
	if err := checkUUID("OuterOrderItemID", req.OuterOrderItemID, 64); err != nil {
		return nil, err
	}
	if req.TicketID <= 0 {
		return nil, couponkit.Invalid("TicketID", "required")
	}
	if req.Count < 1 {
		return nil, couponkit.Invalid("Count", "must be at least 1")
	}
	if !utf8.ValidString(req.Remark) {
		return nil, couponkit.Invalid("Remark", "not valid UTF-8")
	}
	item := req.OuterOrderItemID
	if item == "" {
		item = req.OuterOrderID
	}
	body, err := encode(&makeCodesContent{
		Item:         makeCodesItem{CodeCount: req.Count, OuterOrderItemID: item, TicketID: req.TicketID},
		OuterOrderID: req.OuterOrderID, Remark: req.Remark,
	})
	if err != nil {
		return nil, err
	}
	uuid := req.UUID
	if uuid == "" {
		uuid = c.newUUID()
	}
	var out wireMakeCodes
	meta, err := c.ep.Invoke(ctx, c.opMakeCodes, req.OuterOrderID, c.newRequest(c.opMakeCodes, "", uuid, body), decodeInto(&out))
	if err != nil {
		return nil, err
	}
	res := &MakeCodesResult{OuterOrderID: out.OuterOrderID, ValidStart: time.Time(out.Item.ValidStart), ValidEnd: time.Time(out.Item.ValidEnd),
		Codes: make([]IssuedCode, 0, len(out.Item.CodeDetail)), Meta: meta}
	for _, d := range out.Item.CodeDetail {
		res.Codes = append(res.Codes, IssuedCode{Code: d.Code, SearchCode: d.CodeSearch, Password: d.Password})
	}
	return res, nil
}
