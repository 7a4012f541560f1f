package taobaofilm

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// The issue side of a batch: taobao.film.lottery.sendcode (淘票票外部直发券,
// apiId 37323) and taobao.film.fcode.merchant.send (外部商家发码, apiId 24722).
// Both take one struct parameter, param_f_code_merchant_send_code_request,
// sent as JSON text, and identify the caller's order by its ext_order_id
// (外部商户发码的外部业务号).
const (
	// MethodSendCodes is the TOP method of [Client.SendCodes].
	MethodSendCodes = "taobao.film.lottery.sendcode"
	// MethodMerchantSend is the TOP method of [Client.MerchantSendCodes].
	MethodMerchantSend = "taobao.film.fcode.merchant.send"
	// SendParam is the one business parameter of both issue methods.
	SendParam = "param_f_code_merchant_send_code_request"
	// KeyName is the idempotency key of both issue methods, as TOP names it.
	KeyName = "ext_order_id"
)

// UserIDType says what SendCodesRequest.UserIDs hold (user_id_type).
type UserIDType string

const (
	// UserIDTaobao is a Taobao numeric user id.
	UserIDTaobao UserIDType = "TAOBAO"
	// UserIDTaobaoName is a Taobao user name (nick).
	UserIDTaobaoName UserIDType = "TAOBAO_NAME"
)

// Issue operations. sendcode is Keyed on ext_order_id, as the issue table of
// this package's design assigns it [likely]: the page makes ext_order_id
// required and names it the caller's order number, but states no
// de-duplication in words; Config.SendCodesUnsafe sends it as an Unsafe
// write instead. merchant.send is Unsafe: its page (apiId 24722) documents
// no de-duplication on any field, so it is sent once and an ambiguous answer
// is an unknown outcome reporting its ext_order_id, to look up before
// sending again.
var (
	opSendCodes       = &transport.Op{Name: MethodSendCodes, Class: transport.Keyed, KeyName: KeyName, NewKey: defaultOrderID}
	opSendCodesUnsafe = &transport.Op{Name: MethodSendCodes, Class: transport.Unsafe, KeyName: KeyName, NewKey: defaultOrderID}
	opMerchantSend    = &transport.Op{Name: MethodMerchantSend, Class: transport.Unsafe, KeyName: KeyName, NewKey: defaultOrderID}
)

var (
	_ = registry.Add(transport.Describe(Vendor, opSendCodes, (*Client).SendCodes, "issues codes of a batch for an order of the caller's (Unsafe with Config.SendCodesUnsafe)"))
	_ = registry.Add(transport.Describe(Vendor, opMerchantSend, (*Client).MerchantSendCodes, "issues codes of an activity's product for an order of the caller's (the older merchant call)"))
)

// defaultOrderID is the default Config.NewKey: the Beijing time of now as
// yyyyMMddHHmmss followed by 16 random hex digits (30 characters). TOP
// publishes no format or length for ext_order_id [open].
func defaultOrderID(now time.Time) string {
	return now.In(cntime.Location()).Format("20060102150405") + ids.Hex(8)
}

// SendCodesRequest issues codes of one batch (taobao.film.lottery.sendcode,
// FCodeMerchantSendCodeRq).
type SendCodesRequest struct {
	// MixID is the batch's obfuscated goods id (mix_id), the one its export
	// names. Required.
	MixID string
	// PartnerCode is the channel code (partner_code). Required.
	PartnerCode string
	// ExtOrderID is the caller's order number (ext_order_id), the call's
	// idempotency key. Empty: Config.NewKey makes one, returned in the
	// result; send the same one again to retry a call whose outcome is
	// unknown.
	ExtOrderID string
	// Number is the number of codes issued in all (number). Required, > 0.
	Number int64
	// EachCount is the number of codes each user gets (each_num), which
	// apiId 37323 marks required: 0 sends 1, the smallest count and the
	// page's example. It may not exceed Number.
	EachCount int64
	// UserIDs are the users the codes go to (user_id_list, joined by '|');
	// none leaves it out.
	UserIDs []string
	// UserIDType says what UserIDs hold (user_id_type); empty leaves it out.
	UserIDType UserIDType
	// OutUID and OutUserName are the caller's own user id and name (out_uid,
	// out_user_name); empty leaves them out.
	OutUID, OutUserName string
	// OrderTime is when the caller's order was placed (order_time), sent as
	// "yyyy-MM-dd HH:mm:ss" ([known]: the layout of the examples of apiId
	// 37323 and 24722) in Beijing time ([likely]: TOP's zone, as for the
	// timestamp); zero leaves it out.
	OrderTime time.Time
	// Feature is the request's attribute text (feature); empty leaves it out.
	Feature string
}

// MerchantSendRequest issues codes through the older merchant call
// (taobao.film.fcode.merchant.send, apiId 24722), by activity and product.
type MerchantSendRequest struct {
	// ActivityID is the activity the codes belong to (activity_id). Required.
	ActivityID int64
	// ProductID and ProductMixID name the product (product_id,
	// product_mix_id): at least one is required.
	ProductID    int64
	ProductMixID string
	// SinglePrice is a code's price (single_price), sent in fen [open]; 0
	// leaves it out.
	SinglePrice couponkit.Fen
	// PartnerCode is the channel code (partner_code). Required.
	PartnerCode string
	// ExtOrderID is the caller's order number (ext_order_id). It is
	// reported with an unknown outcome, but TOP does not de-duplicate this
	// method on it, so the call is Unsafe: look the order up before sending
	// it again. Empty: Config.NewKey makes one, returned in the result.
	ExtOrderID string
	// Number is the number of codes issued in all (number). Required, > 0.
	Number int64
	// EachCount is the number of codes each user gets (each_num, optional
	// on apiId 24722); 0 leaves it out. It may not exceed Number.
	EachCount int64
	// UserIDs are the Taobao user ids the codes go to (user_id_list, joined
	// by '|'); none leaves it out. apiId 24722 has no user_id_type: the
	// list holds numeric user ids.
	UserIDs []string
	// OutUID and OutUserName are the caller's own user id and name (out_uid,
	// out_user_name); empty leaves them out.
	OutUID, OutUserName string
	// OrderTime is when the caller's order was placed (order_time), sent as
	// "yyyy-MM-dd HH:mm:ss" ([known]: the layout of the page's example) in
	// Beijing time (UTC+8) ([likely]: TOP's zone); zero leaves it out.
	OrderTime time.Time
	// Feature is the request's attribute text (feature); empty leaves it out.
	Feature string
}

// SentCode is one issued code (FCodeMerchantVo, apiId 37323;
// FCodeMerchantInfo, apiId 24722).
type SentCode struct {
	// Code is the code in clear.
	Code string
	// CostPrice is what the code is worth (cost_price), in fen.
	CostPrice couponkit.Fen
	// GenTaskID is the id of the task that made the code (gen_task_id).
	GenTaskID int64
	// Expire is when the code expires (gmt_expire, Beijing time).
	Expire time.Time
}

// SendResult is the answer of an issue call.
type SendResult struct {
	// ExtOrderID is the call's ext_order_id: given, or made by Config.NewKey.
	ExtOrderID string
	// Codes are the codes issued.
	Codes []SentCode
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// SendCodes issues req.Number codes of the batch req.MixID
// (taobao.film.lottery.sendcode); the codes issued then appear in the
// batch's export. It is Keyed on ext_order_id (see Config.SendCodesUnsafe):
// retried with the same ext_order_id, re-signed, and an ambiguous last
// attempt is an error matching couponkit.ErrUnknownOutcome that reports it
// (couponkit.IdempotencyKey). So is a retry TOP refuses after an attempt
// that may have been applied (such as an isv.* sub-code refusing the
// repeated ext_order_id): the refusal is reachable with errors.As, but the
// codes may have been issued. An invalid request is a
// *couponkit.ValidationError naming the field, and nothing is sent. A
// result.return_code other than "0" is an error matching [ErrBusiness].
func (c *Client) SendCodes(ctx context.Context, req *SendCodesRequest) (*SendResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	key, err := c.ep.Key(c.opSend, "ExtOrderID", req.ExtOrderID)
	if err != nil {
		return nil, err
	}
	return c.send(ctx, c.opSend, req.params(key))
}

// MerchantSendCodes issues codes through taobao.film.fcode.merchant.send
// (apiId 24722), whose answer carries return_code directly in the response
// object. It is Unsafe: TOP documents no de-duplication for it, so it is
// sent again only when the request provably never left or TOP throttled
// it, and an ambiguous answer is an error matching
// couponkit.ErrUnknownOutcome that reports the ext_order_id. Validation and
// business failures are as for [Client.SendCodes].
func (c *Client) MerchantSendCodes(ctx context.Context, req *MerchantSendRequest) (*SendResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	key, err := c.ep.Key(opMerchantSend, "ExtOrderID", req.ExtOrderID)
	if err != nil {
		return nil, err
	}
	return c.send(ctx, opMerchantSend, req.params(key))
}

// send runs an issue call of op with p and returns its codes: p's number
// of them (see sendAnswer.Complete).
func (c *Client) send(ctx context.Context, op *transport.Op, p *sendParams) (*SendResult, error) {
	a := sendAnswer{want: p.Request.Number, plain: c.simplify}
	meta, err := transport.Send(ctx, &c.typed, op, p.Request.ExtOrderID, p, &a)
	if err != nil {
		return nil, err
	}
	return &SendResult{ExtOrderID: p.Request.ExtOrderID, Codes: a.codes(), Meta: meta}, nil
}

func (r *SendCodesRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("SendCodesRequest", "is nil")
	case r.MixID == "":
		return couponkit.Invalid("MixID", "is required")
	}
	return checkIssue(r.PartnerCode, r.Number, r.EachCount, r.UserIDs, r.UserIDType, r.OrderTime)
}

func (r *MerchantSendRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("MerchantSendRequest", "is nil")
	case r.ActivityID <= 0:
		return couponkit.Invalid("ActivityID", "is required")
	case r.ProductID < 0:
		return couponkit.Invalid("ProductID", "is negative")
	case r.ProductID == 0 && r.ProductMixID == "":
		return couponkit.Invalid("ProductMixID", "ProductID or ProductMixID is required")
	case r.SinglePrice < 0:
		return couponkit.Invalid("SinglePrice", "is negative")
	}
	return checkIssue(r.PartnerCode, r.Number, r.EachCount, r.UserIDs, "", r.OrderTime)
}

// checkIssue validates the members both issue requests share.
func checkIssue(partner string, number, each int64, users []string, typ UserIDType, order time.Time) error {
	switch {
	case partner == "":
		return couponkit.Invalid("PartnerCode", "is required")
	case number <= 0:
		return couponkit.Invalid("Number", "want more than 0, got %d", number)
	case each < 0:
		return couponkit.Invalid("EachCount", "want 0 (the default) or more, got %d", each)
	case each > number:
		return couponkit.Invalid("EachCount", "%d is more than Number (%d)", each, number)
	case typ != "" && typ != UserIDTaobao && typ != UserIDTaobaoName:
		return couponkit.Invalid("UserIDType", "want TAOBAO or TAOBAO_NAME, got %q", string(typ))
	}
	for i, u := range users {
		if u == "" || strings.Contains(u, "|") {
			return couponkit.Invalid("UserIDs", "user %d is empty or holds '|', the list separator", i)
		}
	}
	return wiretype.CheckYear("OrderTime", order)
}

// params returns sendcode's params with the ext_order_id key. each_num,
// which apiId 37323 marks required, is 1 unless EachCount says otherwise.
func (r *SendCodesRequest) params(key string) *sendParams {
	return &sendParams{Request: sendRequest{
		EachCount: cmp.Or(r.EachCount, 1), ExtOrderID: key, Feature: r.Feature, MixID: r.MixID, Number: r.Number,
		OrderTime: wiretype.Time(r.OrderTime), OutUID: r.OutUID, OutUserName: r.OutUserName, PartnerCode: r.PartnerCode,
		UserIDList: strings.Join(r.UserIDs, "|"), UserIDType: r.UserIDType,
	}}
}

// params returns merchant.send's params with the ext_order_id key; apiId
// 24722 has no user_id_type.
func (r *MerchantSendRequest) params(key string) *sendParams {
	return &sendParams{Request: sendRequest{
		ActivityID: r.ActivityID, EachCount: r.EachCount, ExtOrderID: key, Feature: r.Feature, Number: r.Number,
		OrderTime: wiretype.Time(r.OrderTime), OutUID: r.OutUID, OutUserName: r.OutUserName, PartnerCode: r.PartnerCode,
		ProductID: r.ProductID, ProductMixID: r.ProductMixID, SinglePrice: wiretype.Fen(r.SinglePrice),
		UserIDList: strings.Join(r.UserIDs, "|"),
	}}
}

// sendParams are the issue methods' params: one struct parameter,
// param_f_code_merchant_send_code_request, sent as JSON text.
type sendParams struct {
	Request sendRequest `json:"param_f_code_merchant_send_code_request"`
}

// sendRequest is FCodeMerchantSendCodeRq, its members in name order, empty
// ones left out.
type sendRequest struct {
	ActivityID   int64         `json:"activity_id,omitempty"`
	EachCount    int64         `json:"each_num,omitempty"`
	ExtOrderID   string        `json:"ext_order_id"`
	Feature      string        `json:"feature,omitempty"`
	MixID        string        `json:"mix_id,omitempty"`
	Number       int64         `json:"number"`
	OrderTime    wiretype.Time `json:"order_time,omitzero"`
	OutUID       string        `json:"out_uid,omitempty"`
	OutUserName  string        `json:"out_user_name,omitempty"`
	PartnerCode  string        `json:"partner_code"`
	ProductID    int64         `json:"product_id,omitempty"`
	ProductMixID string        `json:"product_mix_id,omitempty"`
	SinglePrice  wiretype.Fen  `json:"single_price,omitempty"`
	UserIDList   string        `json:"user_id_list,omitempty"`
	UserIDType   UserIDType    `json:"user_id_type,omitempty"`
}

// sendAnswer is an issue answer, read from its payload (sendPayload) in the
// list shape the client asked for, or else in the other: TOP answers
// simplify=true with plain lists, and wraps them otherwise. want is the
// request's number of codes and plain the client's Config.Simplify: Reset
// keeps both from attempt to attempt, for UnmarshalJSON and Complete.
type sendAnswer struct {
	want  int64
	plain bool
	// code, value and list are the return code, whether return_value was
	// there, and its codes.
	code  wiretype.Text
	value bool
	list  []sentItem
}

// sendPayload is an issue answer's payload with its list in shape L:
// return_code and return_value directly in it (merchant.send, apiId
// 24722), or in result (sendcode, apiId 37323).
type sendPayload[L sentShape] struct {
	sendResult[L]
	Result *sendResult[L] `json:"result"`
}

// sendResult is return_code and return_value, wherever they stand.
type sendResult[L sentShape] struct {
	ReturnCode  wiretype.Text `json:"return_code"`
	ReturnValue *struct {
		List L `json:"f_code_merchant_info_list"`
	} `json:"return_value"`
}

// sentShape is either shape of f_code_merchant_info_list.
type sentShape interface {
	wrappedSent | plainSent
	items() []sentItem
}

// wrappedSent is f_code_merchant_info_list without simplify: the array in
// a member named after its element type, FCodeMerchantVo (apiId 37323) or
// Fcodemerchantinfolist (apiId 24722).
type wrappedSent struct {
	Vo   []sentItem `json:"f_code_merchant_vo"`
	Info []sentItem `json:"fcodemerchantinfolist"`
}

func (w wrappedSent) items() []sentItem { return append(w.Vo, w.Info...) }

// plainSent is f_code_merchant_info_list with simplify=true: a plain array.
type plainSent []sentItem

func (p plainSent) items() []sentItem { return p }

// sentItem is one element of f_code_merchant_info_list: the code itself
// (FCodeMerchantVo, apiId 37323), or an Fcodemerchantinfolist wrapping it
// in fcode_merchant_info (apiId 24722).
type sentItem struct {
	sentCode
	Info *sentCode `json:"fcode_merchant_info"`
}

// sentCode is one issued code: FCodeMerchantVo (apiId 37323), or
// FCodeMerchantInfo (apiId 24722), whose members the stored copy of its
// page prints as far as gmt_expire and cost_price and which are read under
// FCodeMerchantVo's names [likely].
type sentCode struct {
	Code      string        `json:"code"`
	CostPrice wiretype.Fen  `json:"cost_price"`
	GenTaskID wiretype.Int  `json:"gen_task_id"`
	GmtExpire wiretype.Time `json:"gmt_expire"`
}

func (it *sentItem) code() *sentCode {
	if it.Info != nil {
		return it.Info
	}
	return &it.sentCode
}

// UnmarshalJSON reads the payload b with encoding/json, its list in the
// shape the client asked for, or, when that shape does not fit, in the
// other. transport.Send hands it the payload open checked.
func (a *sendAnswer) UnmarshalJSON(b []byte) error {
	read, other := readSent[wrappedSent], readSent[plainSent]
	if a.plain {
		read, other = other, read
	}
	err := read(a, b)
	var mismatch *json.UnmarshalTypeError
	if errors.As(err, &mismatch) && other(a, b) == nil {
		return nil
	}
	return err
}

// readSent reads the payload b into a with its list in shape L.
func readSent[L sentShape](a *sendAnswer, b []byte) error {
	var p sendPayload[L]
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	r := &p.sendResult
	if p.Result != nil && (p.Result.ReturnCode != "" || p.Result.ReturnValue != nil) {
		r = p.Result
	}
	a.code, a.value, a.list = r.ReturnCode, r.ReturnValue != nil, nil
	if r.ReturnValue != nil {
		a.list = r.ReturnValue.List.items()
	}
	return nil
}

// Reset empties a for the next attempt's answer, keeping want and plain.
func (a *sendAnswer) Reset() { *a = sendAnswer{want: a.want, plain: a.plain} }

// Complete reports a success that lacks what an issue call exists for:
// return_code "0" (another code is a business failure open reports), the
// codes issued, each with its text, as many as the request's number.
func (a *sendAnswer) Complete() error {
	switch {
	case a.code != ReturnCodeOK:
		return transport.Missing("return_code " + ReturnCodeOK)
	case !a.value || len(a.list) == 0:
		return transport.Missing("return_value.f_code_merchant_info_list")
	case int64(len(a.list)) != a.want:
		return fmt.Errorf("%d codes for number %d in the answer", len(a.list), a.want)
	}
	for i := range a.list {
		if a.list[i].code().Code == "" {
			return transport.Missing("code of issued code " + strconv.Itoa(i))
		}
	}
	return nil
}

// codes returns the issued codes of a complete answer.
func (a *sendAnswer) codes() []SentCode {
	out := make([]SentCode, len(a.list))
	for i := range a.list {
		w := a.list[i].code()
		out[i] = SentCode{Code: w.Code, CostPrice: couponkit.Fen(w.CostPrice), GenTaskID: int64(w.GenTaskID), Expire: time.Time(w.GmtExpire)}
	}
	return out
}
