package suning

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
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

// opAppointCreate is suning.custom.appoint.create: Create, Modify and Stop,
// one vendor method, a keyed write on enrollInfoCode.
var opAppointCreate = &transport.Op{Name: MethodAppointCreate, Class: transport.Keyed, KeyName: KeyName, NewKey: DefaultEnrollInfoCode}

// Create, Modify and Stop are one vendor method, each listed under its own
// command name, and its one business node.
var (
	_ = registry.Add(transport.Describe(Vendor, opAppointCreate, (*Client).Create, "creates an appointment activity (operateType 01); the vendor assigns its actionId"))
	_ = registry.Add(transport.Describe(Vendor, opAppointCreate, (*Client).Modify, "modifies an activity, sending it whole again (operateType 02)"))
	_ = registry.Add(transport.Describe(Vendor, opAppointCreate, (*Client).Stop, "stops an activity (operateType 03)"))
	_ = knownNodes.add(opAppointCreate, NodeCreateAppoint)
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

// appoint sends req with operateType op, keyed on its enrollInfoCode.
func (c *Client) appoint(ctx context.Context, op OperateType, req *AppointRequest) (*AppointResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("AppointRequest", "is nil")
	}
	key, err := c.ep.Key(c.opCreate, "EnrollInfoCode", req.EnrollInfoCode)
	if err != nil {
		return nil, err
	}
	if err := req.validate(op, key, c.limits); err != nil {
		return nil, err
	}
	a := appointAnswer{asked: req.ActionID}
	meta, err := transport.Send(ctx, &c.typed, c.opCreate, key, req.params(op, key), &a)
	if err != nil {
		return nil, err
	}
	return &AppointResult{ResultCode: string(a.ResultCode), ResultMessage: string(a.ResultMessage),
		EnrollInfoCode: string(a.EnrollInfoCode), ActionID: string(a.ActionID), SentEnrollInfoCode: key, Meta: meta}, nil
}

// appointParams is the createAppoint node: AppointRequest's fields with
// their wire names, in the order of the vendor's table, goodsSubList
// beside goodsList, every value a JSON string. Optional fields left unset
// are not sent, nor is actionId on Create.
type appointParams struct {
	EnrollInfoCode        string            `json:"enrollInfoCode"`
	VersionNumber         string            `json:"versionNumber"`
	ActionID              string            `json:"actionId,omitempty"`
	ActionType            ActionType        `json:"actionType"`
	ActionName            string            `json:"actionName"`
	OperateType           OperateType       `json:"operateType"`
	Terminal              Terminal          `json:"adapteTerminal"`
	ActionStart           wiretype.Time     `json:"actionStartTime"`
	ScheduleStart         wiretype.Time     `json:"scheduleStartTime"`
	ScheduleEnd           wiretype.Time     `json:"scheduleEndTime"`
	SupervipPurchaseStart wiretype.Time     `json:"supervipPurchaseStartTime,omitzero"`
	PurchaseStart         wiretype.Time     `json:"purchaseStartTime"`
	TicketResaleStart     wiretype.Time     `json:"ticketResaleStartTime"`
	PurchaseEnd           wiretype.Time     `json:"purchaseEndTime"`
	ActionEnd             wiretype.Time     `json:"actionEndTime"`
	SendUserMsg           SendMsg           `json:"sendUserMsg"`
	SendScalperMsg        SendMsg           `json:"sendScalperMsg"`
	ExcludeCities         string            `json:"excludeCitys"`
	VendorType            VendorType        `json:"vendorType"`
	VendorCode            string            `json:"vendorCode"`
	VendorName            string            `json:"vendorName"`
	Transit               TransitFlag       `json:"transitFlag"`
	TransitDate           wiretype.Time     `json:"transitDate,omitzero"`
	NoticePhone           string            `json:"noticePhone"`
	OtherTerminalSale     OtherTerminalSale `json:"otherTerminalSale"`
	ShareImageURL         string            `json:"phoneShareImgUrl"`
	ShareTitle            string            `json:"phoneShareTitle"`
	ShareContent          string            `json:"phoneShareContent"`
	ShareURL              string            `json:"phoneShareUrl"`
	ReceiveSys            string            `json:"receiveSys"`
	PartType              PartType          `json:"partType"`
	OperateUser           string            `json:"operateUser"`
	Goods                 []goodsParams     `json:"goodsList,omitempty"`
	SubGoods              []subGoodsParams  `json:"goodsSubList,omitempty"`
}

// goodsParams is one entry of goodsList.
type goodsParams struct {
	TotalLimit     int                `json:"totalLimit,string"`
	PersonBuyLimit int                `json:"personBuyLimit,string"`
	PartNumber     string             `json:"partnumber"`
	PartName       string             `json:"partName"`
	AppointPrice   wiretype.WholeYuan `json:"appointPrice"`
	PriceLabel     string             `json:"priceLabel"`
	Price          wiretype.WholeYuan `json:"price"`
	Standard       string             `json:"standard,omitempty"`
	Color          string             `json:"color,omitempty"`
	DefaultFlag    DefaultGoodsFlag   `json:"defaultGoodsFlags"`
	ReminderSMS    string             `json:"msgContent"`
	GeneralCode    string             `json:"catengrpCode"`
}

// subGoodsParams is one entry of goodsSubList.
type subGoodsParams struct {
	Name         string             `json:"subPartName"`
	PartNumber   string             `json:"subPartNumber"`
	Count        int                `json:"count,string"`
	AppointPrice wiretype.WholeYuan `json:"subAppointPrice"`
	Price        wiretype.WholeYuan `json:"subPrice"`
	PriceLabel   string             `json:"subTextPrice"`
}

// params returns the createAppoint node of a validated request sent with
// operateType op and enrollInfoCode key.
func (r *AppointRequest) params(op OperateType, key string) *appointParams {
	p := &appointParams{
		EnrollInfoCode: key, VersionNumber: cmp.Or(r.VersionNumber, DefaultVersionNumber), ActionID: r.ActionID,
		ActionType: r.ActionType, ActionName: r.ActionName, OperateType: op, Terminal: r.Terminal,
		ActionStart: wiretype.Time(r.ActionStart), ScheduleStart: wiretype.Time(r.ScheduleStart),
		ScheduleEnd: wiretype.Time(r.ScheduleEnd), SupervipPurchaseStart: wiretype.Time(r.SupervipPurchaseStart),
		PurchaseStart: wiretype.Time(r.PurchaseStart), TicketResaleStart: wiretype.Time(r.TicketResaleStart),
		PurchaseEnd: wiretype.Time(r.PurchaseEnd), ActionEnd: wiretype.Time(r.ActionEnd),
		SendUserMsg: r.SendUserMsg, SendScalperMsg: r.SendScalperMsg, ExcludeCities: strings.Join(r.ExcludeCities, ","),
		VendorType: r.VendorType, VendorCode: r.VendorCode, VendorName: r.VendorName,
		Transit: r.Transit, TransitDate: wiretype.Time(r.TransitDate), NoticePhone: r.NoticePhone,
		OtherTerminalSale: r.OtherTerminalSale, ShareImageURL: r.ShareImageURL, ShareTitle: r.ShareTitle,
		ShareContent: r.ShareContent, ShareURL: r.ShareURL, ReceiveSys: r.ReceiveSys, PartType: r.PartType,
		OperateUser: r.OperateUser,
	}
	if len(r.Goods) > 0 {
		p.Goods = make([]goodsParams, len(r.Goods))
		for i, g := range r.Goods {
			p.Goods[i] = goodsParams{TotalLimit: g.TotalLimit, PersonBuyLimit: g.PersonBuyLimit, PartNumber: g.PartNumber,
				PartName: g.PartName, AppointPrice: wiretype.WholeYuan(g.AppointPrice), PriceLabel: g.PriceLabel,
				Price: wiretype.WholeYuan(g.Price), Standard: g.Standard, Color: g.Color, DefaultFlag: g.DefaultFlag,
				ReminderSMS: g.ReminderSMS, GeneralCode: g.GeneralCode}
		}
	}
	if len(r.SubGoods) > 0 {
		p.SubGoods = make([]subGoodsParams, len(r.SubGoods))
		for i, s := range r.SubGoods {
			p.SubGoods[i] = subGoodsParams{Name: s.Name, PartNumber: s.PartNumber, Count: s.Count,
				AppointPrice: wiretype.WholeYuan(s.AppointPrice), Price: wiretype.WholeYuan(s.Price), PriceLabel: s.PriceLabel}
		}
	}
	return p
}

// appointAnswer is the createAppoint node of an answer, and the activity
// the call was for (asked: empty for a create, which the vendor assigns an
// id). It keeps asked across attempts (a transport.Resetter).
type appointAnswer struct {
	wireAppoint
	asked string
}

// wireAppoint is the createAppoint node's fields, as the vendor's page
// prints them.
type wireAppoint struct {
	ResultCode     wiretype.Text `json:"resultCode"`
	ResultMessage  wiretype.Text `json:"resultMsg"`
	EnrollInfoCode wiretype.Text `json:"enrollInfoCode"`
	ActionID       wiretype.Text `json:"actionId"`
}

// Reset clears what an attempt decoded and keeps the activity asked for.
func (a *appointAnswer) Reset() { a.wireAppoint = wireAppoint{} }

// Failure reports a resultCode other than "0": the vendor's refusal.
func (a *appointAnswer) Failure() (code, message string, failed bool) {
	return string(a.ResultCode), string(a.ResultMessage), a.ResultCode != "" && a.ResultCode != ResultSuccess
}

// Complete reports a success without what the call is for: a resultCode,
// and the activity's id after a create; after a modify or a stop, an
// actionId, when the answer has one, must be the request's (an answer about
// another activity is not this call's).
func (a *appointAnswer) Complete() error {
	switch {
	case a.ResultCode == "":
		return transport.Missing("resultCode")
	case a.asked == "" && a.ActionID == "":
		return transport.Missing("actionId")
	case a.asked != "" && a.ActionID != "" && string(a.ActionID) != a.asked:
		return fmt.Errorf("%s answers for activity %q, not %q", NodeCreateAppoint, string(a.ActionID), a.asked)
	}
	return nil
}
