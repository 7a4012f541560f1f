package taobaofilm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
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

// sendParam is param_f_code_merchant_send_code_request on the wire, its
// members in name order, empty ones left out.
type sendParam struct {
	ActivityID   int64  `json:"activity_id,omitempty"`
	EachCount    int64  `json:"each_num,omitempty"`
	ExtOrderID   string `json:"ext_order_id"`
	Feature      string `json:"feature,omitempty"`
	MixID        string `json:"mix_id,omitempty"`
	Number       int64  `json:"number"`
	OrderTime    string `json:"order_time,omitempty"`
	OutUID       string `json:"out_uid,omitempty"`
	OutUserName  string `json:"out_user_name,omitempty"`
	PartnerCode  string `json:"partner_code"`
	ProductID    int64  `json:"product_id,omitempty"`
	ProductMixID string `json:"product_mix_id,omitempty"`
	SinglePrice  int64  `json:"single_price,omitempty"`
	UserIDList   string `json:"user_id_list,omitempty"`
	UserIDType   string `json:"user_id_type,omitempty"`
}

// checkCommon validates the members both requests share.
func checkCommon(partner string, number, each int64, users []string, typ UserIDType, order time.Time) error {
	switch {
	case partner == "":
		return couponkit.Invalid("PartnerCode", "required")
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
	if !order.IsZero() {
		if y := order.In(cntime.Location()).Year(); y < 1 || y > 9999 {
			return couponkit.Invalid("OrderTime", "year %d does not fit yyyy-MM-dd HH:mm:ss", y)
		}
	}
	return nil
}

func orderTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return cntime.Format(t)
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
	if req == nil {
		return nil, couponkit.Invalid("SendCodesRequest", "nil")
	}
	if req.MixID == "" {
		return nil, couponkit.Invalid("MixID", "required")
	}
	if err := checkCommon(req.PartnerCode, req.Number, req.EachCount, req.UserIDs, req.UserIDType, req.OrderTime); err != nil {
		return nil, err
	}
	op := opSendCodes
	if c.sendUnsafe {
		op = opSendCodesUnsafe
	}
	key, err := c.ep.Key(op, "ExtOrderID", req.ExtOrderID)
	if err != nil {
		return nil, err
	}
	each := req.EachCount
	if each == 0 {
		each = 1 // each_num is required (apiId 37323)
	}
	return c.send(ctx, op, key, sendParam{
		MixID: req.MixID, PartnerCode: req.PartnerCode, ExtOrderID: key, Number: req.Number, EachCount: each,
		UserIDList: strings.Join(req.UserIDs, "|"), UserIDType: string(req.UserIDType), OutUID: req.OutUID,
		OutUserName: req.OutUserName, OrderTime: orderTime(req.OrderTime), Feature: req.Feature,
	})
}

// MerchantSendCodes issues codes through taobao.film.fcode.merchant.send
// (apiId 24722), whose answer carries return_code directly in the response
// object. It is Unsafe: TOP documents no de-duplication for it, so it is
// sent again only when the request provably never left or TOP throttled
// it, and an ambiguous answer is an error matching
// couponkit.ErrUnknownOutcome that reports the ext_order_id. Validation and
// business failures are as for [Client.SendCodes].
func (c *Client) MerchantSendCodes(ctx context.Context, req *MerchantSendRequest) (*SendResult, error) {
	switch {
	case req == nil:
		return nil, couponkit.Invalid("MerchantSendRequest", "nil")
	case req.ActivityID <= 0:
		return nil, couponkit.Invalid("ActivityID", "required")
	case req.ProductID < 0:
		return nil, couponkit.Invalid("ProductID", "negative")
	case req.ProductID == 0 && req.ProductMixID == "":
		return nil, couponkit.Invalid("ProductMixID", "ProductID or ProductMixID is required")
	case req.SinglePrice < 0:
		return nil, couponkit.Invalid("SinglePrice", "negative")
	}
	if err := checkCommon(req.PartnerCode, req.Number, req.EachCount, req.UserIDs, "", req.OrderTime); err != nil {
		return nil, err
	}
	key, err := c.ep.Key(opMerchantSend, "ExtOrderID", req.ExtOrderID)
	if err != nil {
		return nil, err
	}
	return c.send(ctx, opMerchantSend, key, sendParam{
		ActivityID: req.ActivityID, ProductID: req.ProductID, ProductMixID: req.ProductMixID, SinglePrice: int64(req.SinglePrice),
		PartnerCode: req.PartnerCode, ExtOrderID: key, Number: req.Number, EachCount: req.EachCount,
		UserIDList: strings.Join(req.UserIDs, "|"), OutUID: req.OutUID,
		OutUserName: req.OutUserName, OrderTime: orderTime(req.OrderTime), Feature: req.Feature,
	})
}

// send encodes p, runs op and decodes the issued codes: p.Number of them.
func (c *Client) send(ctx context.Context, op *transport.Op, key string, p sendParam) (*SendResult, error) {
	js, err := jsonx.Marshal(p)
	if err != nil {
		return nil, err
	}
	s := &sending{res: SendResult{ExtOrderID: key}, want: p.Number}
	s.res.Meta, err = c.ep.Invoke(ctx, op, key, c.newRequest(op.Name, []sign.Param{{Key: SendParam, Value: string(js)}}), s.decode)
	if err != nil {
		return nil, err
	}
	return &s.res, nil
}

// sending is one issue call's result and the number of codes it asked for.
type sending struct {
	res  SendResult
	want int64
}

// wireSent is an issue answer's payload: return_code and return_value at
// the top (merchant.send, apiId 24722) or inside result (sendcode, apiId
// 37323).
type wireSent struct {
	ReturnCode  jsonx.Flex     `json:"return_code"`
	ReturnValue *wireSentValue `json:"return_value"`
	Result      *struct {
		ReturnCode  jsonx.Flex     `json:"return_code"`
		ReturnValue *wireSentValue `json:"return_value"`
	} `json:"result"`
}

type wireSentValue struct {
	List sentList `json:"f_code_merchant_info_list"`
}

// wireSentCode is one issued code: FCodeMerchantVo (apiId 37323), or
// FCodeMerchantInfo (apiId 24722), whose members the stored copy of its page
// prints as far as gmt_expire and cost_price and which are read under
// FCodeMerchantVo's names [likely].
type wireSentCode struct {
	Code      string   `json:"code"`
	CostPrice wireInt  `json:"cost_price"`
	GenTaskID wireInt  `json:"gen_task_id"`
	GmtExpire wireTime `json:"gmt_expire"`
}

// wireSentItem is one element of f_code_merchant_info_list: the code itself
// (FCodeMerchantVo, apiId 37323), or an Fcodemerchantinfolist wrapping it in
// fcode_merchant_info (apiId 24722).
type wireSentItem struct {
	wireSentCode
	Info *wireSentCode `json:"fcode_merchant_info"`
}

func (it *wireSentItem) code() *wireSentCode {
	if it.Info != nil {
		return it.Info
	}
	return &it.wireSentCode
}

// sentList reads every shape of f_code_merchant_info_list: a plain array
// (simplify=true), or an object wrapping it under the element type's name,
// f_code_merchant_vo (apiId 37323) or fcodemerchantinfolist (apiId 24722).
type sentList []wireSentItem

func (l *sentList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var w struct {
			Vo   []wireSentItem `json:"f_code_merchant_vo"`
			Info []wireSentItem `json:"fcodemerchantinfolist"`
		}
		err := json.Unmarshal(b, &w)
		*l = append(w.Vo, w.Info...)
		return err
	}
	return json.Unmarshal(b, (*[]wireSentItem)(l))
}

// decode reads the issued codes of a success payload. A success that does
// not carry them is not a definite answer (the write's outcome is unknown):
// no return_code "0", no return_value, a code without its text, or another
// number of codes than the request's number.
func (s *sending) decode(data []byte) error {
	var w wireSent
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	code, v := w.ReturnCode, w.ReturnValue
	if w.Result != nil && (w.Result.ReturnCode != "" || w.Result.ReturnValue != nil) {
		code, v = w.Result.ReturnCode, w.Result.ReturnValue
	}
	switch {
	case code != ReturnCodeOK:
		return errors.New("a success without return_code " + ReturnCodeOK)
	case v == nil || len(v.List) == 0:
		return errors.New("a success without the codes issued (return_value.f_code_merchant_info_list)")
	case int64(len(v.List)) != s.want:
		return fmt.Errorf("a success with %d codes for number %d", len(v.List), s.want)
	}
	s.res.Codes = make([]SentCode, len(v.List))
	for i := range v.List {
		c := v.List[i].code()
		if c.Code == "" {
			return fmt.Errorf("issued code %d has no code", i)
		}
		s.res.Codes[i] = SentCode{Code: c.Code, CostPrice: couponkit.Fen(c.CostPrice), GenTaskID: int64(c.GenTaskID), Expire: c.GmtExpire.t}
	}
	return nil
}
