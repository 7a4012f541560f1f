package ebuy

import (
	"context"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// ThirdBatchMakeRequest makes a batch of codes for a code merchant's order
// (thirdBatchMake, 批量发码). e-Buy marks every field optional; the fields
// this package requires are the ones without which no code can be made.
type ThirdBatchMakeRequest struct {
	// UUID is the request's uuid and idempotency key; empty means a fresh one.
	UUID string
	// SaleChannelOrderID is the sales channel's order number, unique per
	// order (saleChannelOrderId). Required.
	SaleChannelOrderID string
	// TicketID is the batch to make codes of (whaleTicketId, sent as a
	// string as e-Buy's page types it). Required.
	TicketID TicketID
	// Count is how many codes to make (totalCount, sent as a string). Required, at least 1.
	Count int
	// ValidStart and ValidEnd bound the codes' validity (codeValidStart,
	// codeValidEnd; yyyyMMddHHmmss in Beijing time, assumed). Optional.
	ValidStart, ValidEnd time.Time
	// FaceValue is the face value, in fen (faceValue). Optional.
	FaceValue couponkit.Fen
	// BrandSalePrice is the merchant's sale price, in fen (brandSalePrice). Optional.
	BrandSalePrice couponkit.Fen
	// Funds is the money behind the codes, in fen (makeFundsChannel). Optional.
	Funds *Funds
	// SaleChannelID is the sales channel's appId (saleChannelId). Optional.
	SaleChannelID string
	// SendChannelID is the code merchant's id (sendChannelId). Optional.
	SendChannelID string
	// ChannelTicketID is the code merchant's product id (channelTicketId). Optional.
	ChannelTicketID string
	// OrderRemark is a remark kept with the order (orderRemark). Optional.
	OrderRemark string
	// ThirdUserID is the user's id on the selling platform, such as a WeChat
	// or Douyin openID (thirdUserId). Optional.
	ThirdUserID string
	// UserMobile is the user's mobile number (userMobile). Optional.
	UserMobile string
	// UseTimes is how many times each code can be used (useTimes, sent as a
	// string). Optional.
	UseTimes int
	// TransferURL is the code merchant's own callback address (transferUrl). Optional.
	TransferURL string
	// TransAt is when the order was placed, sent in Beijing time as transDate
	// (yyyyMMdd) and transTime (HHmmss; both formats assumed). Default: the
	// time of the call.
	TransAt time.Time
}

func (r *ThirdBatchMakeRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("ThirdBatchMakeRequest", "is nil")
	}
	if err := checkUUID("UUID", r.UUID, maxUUIDLen); err != nil {
		return err
	}
	switch {
	case r.SaleChannelOrderID == "":
		return couponkit.Invalid("SaleChannelOrderID", "required")
	case r.TicketID <= 0:
		return couponkit.Invalid("TicketID", "required")
	case r.Count < 1:
		return couponkit.Invalid("Count", "must be at least 1")
	case r.FaceValue < 0:
		return couponkit.Invalid("FaceValue", "must not be negative")
	case r.BrandSalePrice < 0:
		return couponkit.Invalid("BrandSalePrice", "must not be negative")
	case r.UseTimes < 0:
		return couponkit.Invalid("UseTimes", "must not be negative")
	case !r.ValidStart.IsZero() && !r.ValidEnd.IsZero() && r.ValidEnd.Before(r.ValidStart):
		return couponkit.Invalid("ValidEnd", "before ValidStart")
	}
	for _, t := range [...]struct {
		field string
		at    time.Time
	}{{"ValidStart", r.ValidStart}, {"ValidEnd", r.ValidEnd}, {"TransAt", r.TransAt}} {
		if err := wiretype.CheckYear(t.field, t.at); err != nil {
			return err
		}
	}
	return r.Funds.validate("Funds")
}

// params returns thirdBatchMake's content; at is TransAt or the time of
// the call.
func (r *ThirdBatchMakeRequest) params(at time.Time) *thirdBatchMakeParams {
	at = at.In(cntime.Location())
	p := &thirdBatchMakeParams{
		BrandSalePrice: wiretype.Fen(r.BrandSalePrice), ChannelTicketID: r.ChannelTicketID,
		CodeValidEnd: wiretype.CompactTime(r.ValidEnd), CodeValidStart: wiretype.CompactTime(r.ValidStart),
		FaceValue: wiretype.Fen(r.FaceValue), MakeFundsChannel: r.Funds.wire(), OrderRemark: r.OrderRemark,
		SaleChannelID: r.SaleChannelID, SaleChannelOrderID: r.SaleChannelOrderID, SendChannelID: r.SendChannelID,
		ThirdUserID: r.ThirdUserID, TotalCount: strconv.Itoa(r.Count),
		TransDate: at.Format("20060102"), TransTime: at.Format("150405"), TransferURL: r.TransferURL,
		UserMobile: r.UserMobile, WhaleTicketID: r.TicketID.String(),
	}
	if r.UseTimes > 0 {
		p.UseTimes = strconv.Itoa(r.UseTimes)
	}
	return p
}

// thirdBatchMakeParams is thirdBatchMake's content, fields in ASCII order of
// their tags. e-Buy's page types totalCount, useTimes and whaleTicketId as
// strings.
type thirdBatchMakeParams struct {
	BrandSalePrice     wiretype.Fen         `json:"brandSalePrice,omitempty"`
	ChannelTicketID    string               `json:"channelTicketId,omitempty"`
	CodeValidEnd       wiretype.CompactTime `json:"codeValidEnd,omitzero"`
	CodeValidStart     wiretype.CompactTime `json:"codeValidStart,omitzero"`
	FaceValue          wiretype.Fen         `json:"faceValue,omitempty"`
	MakeFundsChannel   *wireFunds           `json:"makeFundsChannel,omitempty"`
	OrderRemark        string               `json:"orderRemark,omitempty"`
	SaleChannelID      string               `json:"saleChannelId,omitempty"`
	SaleChannelOrderID string               `json:"saleChannelOrderId"`
	SendChannelID      string               `json:"sendChannelId,omitempty"`
	ThirdUserID        string               `json:"thirdUserId,omitempty"`
	TotalCount         string               `json:"totalCount"`
	TransDate          string               `json:"transDate"`
	TransTime          string               `json:"transTime"`
	TransferURL        string               `json:"transferUrl,omitempty"`
	UseTimes           string               `json:"useTimes,omitempty"`
	UserMobile         string               `json:"userMobile,omitempty"`
	WhaleTicketID      string               `json:"whaleTicketId"`
}

// ThirdBatchMakeResult is the codes made.
type ThirdBatchMakeResult struct {
	// RequestID is e-Buy's id of the make request (requestId).
	RequestID string
	// Codes are the codes made (thirdCodeFamilySet).
	Codes []MadeCode
	// Meta describes the exchange; Meta.Raw keeps the fields not modelled
	// here. It is left out of JSON.
	Meta couponkit.Meta `json:"-"`
}

// MadeCode is one code made by ThirdBatchMake.
type MadeCode struct {
	// Code is the code (code).
	Code string
	// Password is the code's password, where the batch has one (password).
	Password string
	// SendChannelOrderID is the code merchant's order number (sendChannelOrderId).
	SendChannelOrderID string
	// ExchangeURL is where the user redeems the code online (exchangeUrl).
	ExchangeURL string
}

// thirdBatchMakeAnswer is thirdBatchMake's content (page b3e3e).
type thirdBatchMakeAnswer struct {
	ReturnCode         string         `json:"returnCode"`
	ReturnMsg          string         `json:"returnMsg"`
	RequestID          string         `json:"requestId"`
	ThirdCodeFamilySet []wireMadeCode `json:"thirdCodeFamilySet"`
}

// wireMadeCode is a thirdCodeFamilySet entry: MadeCode's fields with their
// wire names.
type wireMadeCode struct {
	Code               string `json:"code"`
	Password           string `json:"password"`
	SendChannelOrderID string `json:"sendChannelOrderId"`
	ExchangeURL        string `json:"exchangeUrl"`
}

// Failure reports a returnCode other than "00" inside a success envelope.
func (a *thirdBatchMakeAnswer) Failure() (code, message string, failed bool) {
	return a.ReturnCode, a.ReturnMsg, a.ReturnCode != "" && a.ReturnCode != "00"
}

// Complete reports a success that lists no code made: e-Buy's 4.0
// asynchronous make answers "00" with an empty set, which is not a make of
// nothing.
func (a *thirdBatchMakeAnswer) Complete() error {
	if len(a.ThirdCodeFamilySet) == 0 {
		return transport.Missing("a code in thirdCodeFamilySet")
	}
	return nil
}

const apiThirdBatchMake = "thirdBatchMake"

// opThirdBatchMake (thirdBatchMake): Keyed on the uuid (assumed); e-Buy
// also keeps saleChannelOrderId unique.
var opThirdBatchMake = &transport.Op{Name: apiThirdBatchMake, Path: apiPrefix + apiThirdBatchMake, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}

var _ = registry.Add(transport.Describe(Vendor, opThirdBatchMake, (*Client).ThirdBatchMake, "makes codes for a code merchant's order"))

// ThirdBatchMake makes req.Count codes of batch req.TicketID
// (thirdBatchMake). The codes are made not activated (03).
//
// It is a keyed write on the uuid (assuming e-Buy de-duplicates by uuid);
// e-Buy also keeps SaleChannelOrderID unique. A content returnCode other than
// "00" is a *couponkit.Error with that code. A success that lists no code in
// thirdCodeFamilySet is unreadable: retried with the same uuid, then an
// unknown outcome (couponkit.ErrUnknownOutcome with the uuid), never a
// success without codes.
func (c *Client) ThirdBatchMake(ctx context.Context, req *ThirdBatchMakeRequest) (*ThirdBatchMakeResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	uuid, err := c.ep.Key(opThirdBatchMake, "UUID", req.UUID)
	if err != nil {
		return nil, err
	}
	at := req.TransAt
	if at.IsZero() {
		at = c.clock.Now()
	}
	var a thirdBatchMakeAnswer
	meta, err := transport.Send(ctx, &c.typed, opThirdBatchMake, uuid, req.params(at), &a)
	if err != nil {
		return nil, err
	}
	res := &ThirdBatchMakeResult{RequestID: a.RequestID, Codes: make([]MadeCode, len(a.ThirdCodeFamilySet)), Meta: meta}
	for i, w := range a.ThirdCodeFamilySet {
		res.Codes[i] = MadeCode(w)
	}
	return res, nil
}
