package ebuy

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
)

const apiThirdBatchMake = "thirdBatchMake"

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

// thirdBatchMakeContent is thirdBatchMake's content, fields in ASCII order.
type thirdBatchMakeContent struct {
	BrandSalePrice     couponkit.Fen `json:"brandSalePrice,omitempty"`
	ChannelTicketID    string        `json:"channelTicketId,omitempty"`
	CodeValidEnd       string        `json:"codeValidEnd,omitempty"`
	CodeValidStart     string        `json:"codeValidStart,omitempty"`
	FaceValue          couponkit.Fen `json:"faceValue,omitempty"`
	MakeFundsChannel   *Funds        `json:"makeFundsChannel,omitempty"`
	OrderRemark        string        `json:"orderRemark,omitempty"`
	SaleChannelID      string        `json:"saleChannelId,omitempty"`
	SaleChannelOrderID string        `json:"saleChannelOrderId"`
	SendChannelID      string        `json:"sendChannelId,omitempty"`
	ThirdUserID        string        `json:"thirdUserId,omitempty"`
	TotalCount         string        `json:"totalCount"`
	TransDate          string        `json:"transDate"`
	TransTime          string        `json:"transTime"`
	TransferURL        string        `json:"transferUrl,omitempty"`
	UseTimes           string        `json:"useTimes,omitempty"`
	UserMobile         string        `json:"userMobile,omitempty"`
	WhaleTicketID      string        `json:"whaleTicketId"`
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
	Code string `json:"code"`
	// Password is the code's password, where the batch has one (password).
	Password string `json:"password"`
	// SendChannelOrderID is the code merchant's order number (sendChannelOrderId).
	SendChannelOrderID string `json:"sendChannelOrderId"`
	// ExchangeURL is where the user redeems the code online (exchangeUrl).
	ExchangeURL string `json:"exchangeUrl"`
}

type wireMake struct {
	ReturnCode         string     `json:"returnCode"`
	ReturnMsg          string     `json:"returnMsg"`
	RequestID          string     `json:"requestId"`
	ThirdCodeFamilySet []MadeCode `json:"thirdCodeFamilySet"`
}

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
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	if err := checkUUID("UUID", req.UUID, maxUUIDLen); err != nil {
		return nil, err
	}
	if req.SaleChannelOrderID == "" {
		return nil, couponkit.Invalid("SaleChannelOrderID", "required")
	}
	if req.TicketID <= 0 {
		return nil, couponkit.Invalid("TicketID", "required")
	}
	if req.Count < 1 {
		return nil, couponkit.Invalid("Count", "must be at least 1")
	}
	if req.FaceValue < 0 {
		return nil, couponkit.Invalid("FaceValue", "must not be negative")
	}
	if req.BrandSalePrice < 0 {
		return nil, couponkit.Invalid("BrandSalePrice", "must not be negative")
	}
	if req.UseTimes < 0 {
		return nil, couponkit.Invalid("UseTimes", "must not be negative")
	}
	if !req.ValidStart.IsZero() && !req.ValidEnd.IsZero() && req.ValidEnd.Before(req.ValidStart) {
		return nil, couponkit.Invalid("ValidEnd", "before ValidStart")
	}
	if err := checkTime("ValidStart", req.ValidStart); err != nil {
		return nil, err
	}
	if err := checkTime("ValidEnd", req.ValidEnd); err != nil {
		return nil, err
	}
	if err := checkTime("TransAt", req.TransAt); err != nil {
		return nil, err
	}
	if err := req.Funds.validate("Funds"); err != nil {
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
	at = at.In(cntime.Location())
	w := &thirdBatchMakeContent{
		BrandSalePrice: req.BrandSalePrice, ChannelTicketID: req.ChannelTicketID,
		CodeValidEnd: compactTime(req.ValidEnd), CodeValidStart: compactTime(req.ValidStart),
		FaceValue: req.FaceValue, MakeFundsChannel: req.Funds, OrderRemark: req.OrderRemark,
		SaleChannelID: req.SaleChannelID, SaleChannelOrderID: req.SaleChannelOrderID, SendChannelID: req.SendChannelID,
		ThirdUserID: req.ThirdUserID, TotalCount: strconv.Itoa(req.Count),
		TransDate: at.Format(dateLayout), TransTime: at.Format("150405"), TransferURL: req.TransferURL,
		UserMobile: req.UserMobile, WhaleTicketID: req.TicketID.String(),
	}
	if req.UseTimes > 0 {
		w.UseTimes = strconv.Itoa(req.UseTimes)
	}
	content, err := encode(w)
	if err != nil {
		return nil, err
	}
	var out wireMake
	meta, err := c.ep.Invoke(ctx, opThirdBatchMake, uuid, c.newRequest(opThirdBatchMake, "", uuid, content), func(b []byte) error {
		out = wireMake{} // an earlier attempt's answer counts for nothing
		if b == nil {
			return emptySuccess("content (returnCode, thirdCodeFamilySet)")
		}
		if err := json.Unmarshal(b, &out); err != nil {
			return err
		}
		if err := c.returnCodeError(out.ReturnCode, out.ReturnMsg); err != nil {
			return err
		}
		if len(out.ThirdCodeFamilySet) == 0 {
			return emptySuccess("a code in thirdCodeFamilySet")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ThirdBatchMakeResult{RequestID: out.RequestID, Codes: out.ThirdCodeFamilySet, Meta: meta}, nil
}
