package suning

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit"
)

// Methods and business nodes of the appointment API.
const (
	// MethodAppointCreate creates, modifies and stops activities (by operateType).
	MethodAppointCreate = "suning.custom.appoint.create"
	// NodeCreateAppoint is MethodAppointCreate's business node.
	NodeCreateAppoint = "createAppoint"
	// MethodAppointQuery reads an activity.
	MethodAppointQuery = "suning.custom.appoint.query"
	// NodeQueryAppoint is MethodAppointQuery's business node.
	NodeQueryAppoint = "queryAppoint"
)

// DefaultVersionNumber is the request's versionNumber when none is given, as
// in the vendor's sample. [likely]
const DefaultVersionNumber = "1"

// AppointRequest is an online appointment activity (线上预约活动) as sent to
// suning.custom.appoint.create by Create, Modify and Stop. Every field the
// vendor marks required must be set for all three operations, as the vendor's
// table says. Times are instants, sent as Beijing time "yyyy-MM-dd HH:mm:ss"
// whatever their location (sub-second parts are dropped). Prices are
// couponkit.Fen holding a whole number of yuan. Wire names are given in each field's comment.
type AppointRequest struct {
	// EnrollInfoCode (enrollInfoCode, 报文唯一标识) is the message's unique id and
	// the write's idempotency key: the vendor de-duplicates on it. Leave it
	// empty to have one generated per call (Config.NewKey); it is
	// kept across the call's retries. To settle a call whose outcome is
	// unknown, call again with this set to couponkit.IdempotencyKey(err).
	EnrollInfoCode string
	// VersionNumber (versionNumber, 版本号). Default DefaultVersionNumber ("1").
	VersionNumber string
	// ActionID (actionId, 活动ID) is the vendor's activity id: empty for Create
	// (the vendor assigns it), required for Modify and Stop.
	ActionID string
	// ActionType (actionType) is the kind of activity. Required.
	ActionType ActionType
	// ActionName (actionName, 活动名称). Required.
	ActionName string
	// Terminal (adapteTerminal, 活动适用终端). Required.
	Terminal Terminal
	// ActionStart (actionStartTime, 活动开始时间). Required.
	ActionStart time.Time
	// ScheduleStart (scheduleStartTime, 预约开始时间): appointments open. Required.
	ScheduleStart time.Time
	// ScheduleEnd (scheduleEndTime, 预约结束时间): appointments close. Required.
	ScheduleEnd time.Time
	// SupervipPurchaseStart (supervipPurchaseStartTime, 付费会员购买开始时间):
	// paying members may buy. Optional; zero is not sent.
	SupervipPurchaseStart time.Time
	// PurchaseStart (purchaseStartTime, 普通会员抢购开始时间): ordinary members may buy. Required.
	PurchaseStart time.Time
	// TicketResaleStart (ticketResaleStartTime, 黄牛购买开始时间): accounts
	// flagged as scalpers may buy. Required.
	TicketResaleStart time.Time
	// PurchaseEnd (purchaseEndTime, 活动抢购结束时间): buying ends. Required.
	PurchaseEnd time.Time
	// ActionEnd (actionEndTime, 活动结束时间). Required.
	ActionEnd time.Time
	// SendUserMsg (sendUserMsg): text members a purchase reminder. Required.
	SendUserMsg SendMsg
	// SendScalperMsg (sendScalperMsg): text scalper accounts a reminder. Required.
	SendScalperMsg SendMsg
	// ExcludeCities (excludeCitys, 活动排除城市) are Suning city codes
	// ("9017"), sent joined by commas. Required by the vendor's table.
	ExcludeCities []string
	// VendorType (vendorType, 商家类型). Required.
	VendorType VendorType
	// VendorCode (vendorCode, 商家编码). Required.
	VendorCode string
	// VendorName (vendorName, 商家名称). Required.
	VendorName string
	// Transit (transitFlag, 是否在途). Required.
	Transit TransitFlag
	// TransitDate (transitDate, 在途时间). Optional; zero is not sent.
	TransitDate time.Time
	// NoticePhone (noticePhone, 商家通知手机号): the merchant's mobile number,
	// 11 digits. Required.
	NoticePhone string
	// OtherTerminalSale (otherTerminalSale, 其他渠道是否可售). Required.
	OtherTerminalSale OtherTerminalSale
	// ShareImageURL (phoneShareImgUrl): the image of the mobile share card. Required.
	ShareImageURL string
	// ShareTitle (phoneShareTitle): the mobile share title. Required.
	ShareTitle string
	// ShareContent (phoneShareContent): the mobile share text. Required.
	ShareContent string
	// ShareURL (phoneShareUrl): the link the mobile share opens. Required.
	ShareURL string
	// ReceiveSys (receiveSys, 请求方系统): the calling system's code. Required.
	ReceiveSys string
	// PartType (partType, 商品类型). Required.
	PartType PartType
	// OperateUser (operateUser, 操作人): the operator's staff number. Required.
	OperateUser string
	// Goods (goodsList): at least one for Create, exactly one of them with
	// DefaultFlag DefaultGoodsYes. Modify and Stop may leave it empty, and it
	// is then not sent ([open]: the vendor does not say whether an omitted
	// list keeps or clears the goods; the fake keeps them).
	Goods []Goods
	// SubGoods (goodsSubList): the parts of a bundle (PartBundle). Optional.
	// It sits beside goodsList in the request, as in the vendor's sample and
	// SDKs.
	SubGoods []SubGoods
}

// Goods is one entry of goodsList.
type Goods struct {
	// PartNumber (partnumber, 商品编码): Suning's 18-digit goods code. Required.
	PartNumber string
	// PartName (partName, 商品名称). Required.
	PartName string
	// GeneralCode (catengrpCode, 通码商品编码): the general code shared by the
	// goods' variants. Required.
	GeneralCode string
	// TotalLimit (totalLimit): how many may be sold in the activity. Required, > 0.
	TotalLimit int
	// PersonBuyLimit (personBuyLimit): how many one member may buy. Required, > 0.
	PersonBuyLimit int
	// AppointPrice (appointPrice, 预约价). Required, > 0, a whole number of
	// yuan (sent in yuan without decimals, as in the vendor's sample).
	AppointPrice couponkit.Fen
	// PriceLabel (priceLabel, 预约文本价): the price as displayed, possibly
	// masked ("3??9"). Required.
	PriceLabel string
	// Price (price, 抢购价): the purchase price. Required, > 0, a whole
	// number of yuan.
	Price couponkit.Fen
	// Standard (standard, 商品规格) such as "42码". Optional.
	Standard string
	// Color (color, 商品颜色). Optional.
	Color string
	// DefaultFlag (defaultGoodsFlags): whether this goods is shown on the
	// channel page. Required; exactly one goods is DefaultGoodsYes.
	DefaultFlag DefaultGoodsFlag
	// ReminderSMS (msgContent, 提醒用户抢购短信): the purchase-reminder text. Required.
	ReminderSMS string
}

// SubGoods is one entry of goodsSubList, a part of a bundle.
type SubGoods struct {
	// Name (subPartName, 子商品名称). Required.
	Name string
	// PartNumber (subPartNumber, 子商品编码). Required.
	PartNumber string
	// Count (count): how many of this part the bundle holds. Required, > 0.
	Count int
	// AppointPrice (subAppointPrice, 子商品预约价). Required, > 0, a whole
	// number of yuan.
	AppointPrice couponkit.Fen
	// Price (subPrice, 子商品抢购价). Required, > 0, a whole number of yuan.
	Price couponkit.Fen
	// PriceLabel (subTextPrice, 子商品文本价): the price as displayed. Required.
	PriceLabel string
}

// AppointResult is the answer to Create, Modify or Stop. It is only returned
// when resultCode is "0"; any other result is an error. A create's "0"
// without an actionId, or a modify's or stop's naming another activity, is
// not a definite answer: the outcome is unknown, with the enrollInfoCode.
type AppointResult struct {
	// ResultCode (resultCode) is ResultSuccess ("0").
	ResultCode string
	// ResultMessage (resultMsg) is the vendor's message.
	ResultMessage string
	// EnrollInfoCode (enrollInfoCode, 报名信息编码) as the vendor returned it.
	EnrollInfoCode string
	// ActionID (actionId, 活动编码) is the activity's id: keep it to modify,
	// stop or query the activity. Always set after Create; after Modify and
	// Stop, as the vendor returned it (empty when it sent none).
	ActionID string
	// SentEnrollInfoCode is the enrollInfoCode the request was sent with (the
	// idempotency key), given or generated.
	SentEnrollInfoCode string
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// Create creates an activity (operateType 01). req.ActionID must be empty.
// The call is a keyed write: retries resend the same body with the same
// enrollInfoCode, signed again.
func (c *Client) Create(ctx context.Context, req *AppointRequest) (*AppointResult, error) {
	return c.appoint(ctx, OperateCreate, req)
}

// Modify modifies the activity req.ActionID (operateType 02), sending the
// whole activity again. It is a keyed write like Create.
func (c *Client) Modify(ctx context.Context, req *AppointRequest) (*AppointResult, error) {
	return c.appoint(ctx, OperateModify, req)
}

// Stop stops the activity req.ActionID (operateType 03). The vendor's table
// requires every required field here too, so send the activity as last
// created or modified. It is a keyed write like Create.
func (c *Client) Stop(ctx context.Context, req *AppointRequest) (*AppointResult, error) {
	return c.appoint(ctx, OperateStop, req)
}

func (c *Client) appoint(ctx context.Context, op OperateType, req *AppointRequest) (*AppointResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	key, err := c.ep.Key(c.opCreate, "EnrollInfoCode", req.EnrollInfoCode)
	if err != nil {
		return nil, err
	}
	if err := c.validateAppoint(op, req, key); err != nil {
		return nil, err
	}
	r := &request{method: MethodAppointCreate, node: NodeCreateAppoint, body: appointBody(op, req, key), typedCreate: true}
	res := &AppointResult{SentEnrollInfoCode: key}
	res.Meta, err = c.ep.Invoke(ctx, c.opCreate, key, r, func([]byte) error { return res.fill(r.created, op, req.ActionID) })
	if err != nil {
		return nil, err
	}
	return res, nil
}

// appointNode is the createAppoint node of a response.
type appointNode struct {
	ResultCode     flex `json:"resultCode"`
	ResultMessage  flex `json:"resultMsg"`
	EnrollInfoCode flex `json:"enrollInfoCode"`
	ActionID       flex `json:"actionId"`
}

var (
	errMissingResultCode = errors.New(NodeCreateAppoint + " has no resultCode")
	errMissingActionID   = errors.New(NodeCreateAppoint + " of a create has resultCode 0 but no actionId")
)

// fill fills res from a createAppoint node sent with operation op for the
// activity actionID (empty for a create), or returns the failure it reports:
// a resultCode other than "0" is the vendor's refusal; a node without
// resultCode, a create's success without the activity id it exists for, and
// a modify's or stop's success naming another activity are not definite
// answers.
func (res *AppointResult) fill(n *appointNode, op OperateType, actionID string) error {
	if n.ResultCode != ResultSuccess {
		if n.ResultCode == "" {
			return errMissingResultCode
		}
		return resultError(string(n.ResultCode), string(n.ResultMessage))
	}
	switch {
	case op == OperateCreate && n.ActionID == "":
		return errMissingActionID
	case op != OperateCreate && n.ActionID != "" && string(n.ActionID) != actionID:
		return fmt.Errorf("%s answers for activity %q, not %q", NodeCreateAppoint, string(n.ActionID), actionID)
	}
	res.ResultCode = string(n.ResultCode)
	res.ResultMessage = string(n.ResultMessage)
	res.EnrollInfoCode = string(n.EnrollInfoCode)
	res.ActionID = string(n.ActionID)
	return nil
}
