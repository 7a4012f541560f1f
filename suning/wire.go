package suning

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
)

var errMissingResultCode = errors.New("createAppoint has no resultCode")

// wireAppoint is the createAppoint node as sent: every value a string, in the
// order of the vendor's field table.
type wireAppoint struct {
	EnrollInfoCode            string         `json:"enrollInfoCode"`
	VersionNumber             string         `json:"versionNumber"`
	ActionID                  string         `json:"actionId,omitempty"`
	ActionType                string         `json:"actionType"`
	ActionName                string         `json:"actionName"`
	OperateType               string         `json:"operateType"`
	AdapteTerminal            string         `json:"adapteTerminal"`
	ActionStartTime           string         `json:"actionStartTime"`
	ScheduleStartTime         string         `json:"scheduleStartTime"`
	ScheduleEndTime           string         `json:"scheduleEndTime"`
	SupervipPurchaseStartTime string         `json:"supervipPurchaseStartTime,omitempty"`
	PurchaseStartTime         string         `json:"purchaseStartTime"`
	TicketResaleStartTime     string         `json:"ticketResaleStartTime"`
	PurchaseEndTime           string         `json:"purchaseEndTime"`
	ActionEndTime             string         `json:"actionEndTime"`
	SendUserMsg               string         `json:"sendUserMsg"`
	SendScalperMsg            string         `json:"sendScalperMsg"`
	ExcludeCitys              string         `json:"excludeCitys"`
	VendorType                string         `json:"vendorType"`
	VendorCode                string         `json:"vendorCode"`
	VendorName                string         `json:"vendorName"`
	TransitFlag               string         `json:"transitFlag"`
	TransitDate               string         `json:"transitDate,omitempty"`
	NoticePhone               string         `json:"noticePhone"`
	OtherTerminalSale         string         `json:"otherTerminalSale"`
	PhoneShareImgURL          string         `json:"phoneShareImgUrl"`
	PhoneShareTitle           string         `json:"phoneShareTitle"`
	PhoneShareContent         string         `json:"phoneShareContent"`
	PhoneShareURL             string         `json:"phoneShareUrl"`
	ReceiveSys                string         `json:"receiveSys"`
	PartType                  string         `json:"partType"`
	OperateUser               string         `json:"operateUser"`
	GoodsList                 []wireGoods    `json:"goodsList,omitempty"`
	GoodsSubList              []wireSubGoods `json:"goodsSubList,omitempty"`
}

type wireGoods struct {
	TotalLimit        string `json:"totalLimit"`
	PersonBuyLimit    string `json:"personBuyLimit"`
	Partnumber        string `json:"partnumber"`
	PartName          string `json:"partName"`
	AppointPrice      string `json:"appointPrice"`
	PriceLabel        string `json:"priceLabel"`
	Price             string `json:"price"`
	Standard          string `json:"standard,omitempty"`
	Color             string `json:"color,omitempty"`
	DefaultGoodsFlags string `json:"defaultGoodsFlags"`
	MsgContent        string `json:"msgContent"`
	CatengrpCode      string `json:"catengrpCode"`
}

type wireSubGoods struct {
	SubPartName     string `json:"subPartName"`
	SubPartNumber   string `json:"subPartNumber"`
	Count           string `json:"count"`
	SubAppointPrice string `json:"subAppointPrice"`
	SubPrice        string `json:"subPrice"`
	SubTextPrice    string `json:"subTextPrice"`
}

// toWire converts a validated request.
func toWire(op OperateType, r *AppointRequest, key string) *wireAppoint {
	version := r.VersionNumber
	if version == "" {
		version = DefaultVersionNumber
	}
	w := &wireAppoint{
		EnrollInfoCode:            key,
		VersionNumber:             version,
		ActionID:                  r.ActionID,
		ActionType:                string(r.ActionType),
		ActionName:                r.ActionName,
		OperateType:               string(op),
		AdapteTerminal:            string(r.Terminal),
		ActionStartTime:           wireTime(r.ActionStart),
		ScheduleStartTime:         wireTime(r.ScheduleStart),
		ScheduleEndTime:           wireTime(r.ScheduleEnd),
		SupervipPurchaseStartTime: wireTime(r.SupervipPurchaseStart),
		PurchaseStartTime:         wireTime(r.PurchaseStart),
		TicketResaleStartTime:     wireTime(r.TicketResaleStart),
		PurchaseEndTime:           wireTime(r.PurchaseEnd),
		ActionEndTime:             wireTime(r.ActionEnd),
		SendUserMsg:               string(r.SendUserMsg),
		SendScalperMsg:            string(r.SendScalperMsg),
		ExcludeCitys:              strings.Join(r.ExcludeCities, ","),
		VendorType:                string(r.VendorType),
		VendorCode:                r.VendorCode,
		VendorName:                r.VendorName,
		TransitFlag:               string(r.Transit),
		TransitDate:               wireTime(r.TransitDate),
		NoticePhone:               r.NoticePhone,
		OtherTerminalSale:         string(r.OtherTerminalSale),
		PhoneShareImgURL:          r.ShareImageURL,
		PhoneShareTitle:           r.ShareTitle,
		PhoneShareContent:         r.ShareContent,
		PhoneShareURL:             r.ShareURL,
		ReceiveSys:                r.ReceiveSys,
		PartType:                  string(r.PartType),
		OperateUser:               r.OperateUser,
	}
	if len(r.Goods) > 0 {
		w.GoodsList = make([]wireGoods, len(r.Goods))
		for i, g := range r.Goods {
			w.GoodsList[i] = wireGoods{
				TotalLimit:        strconv.Itoa(g.TotalLimit),
				PersonBuyLimit:    strconv.Itoa(g.PersonBuyLimit),
				Partnumber:        g.PartNumber,
				PartName:          g.PartName,
				AppointPrice:      wirePrice(g.AppointPrice),
				PriceLabel:        g.PriceLabel,
				Price:             wirePrice(g.Price),
				Standard:          g.Standard,
				Color:             g.Color,
				DefaultGoodsFlags: string(g.DefaultFlag),
				MsgContent:        g.ReminderSMS,
				CatengrpCode:      g.GeneralCode,
			}
		}
	}
	if len(r.SubGoods) > 0 {
		w.GoodsSubList = make([]wireSubGoods, len(r.SubGoods))
		for i, s := range r.SubGoods {
			w.GoodsSubList[i] = wireSubGoods{
				SubPartName:     s.Name,
				SubPartNumber:   s.PartNumber,
				Count:           strconv.Itoa(s.Count),
				SubAppointPrice: wirePrice(s.AppointPrice),
				SubPrice:        wirePrice(s.Price),
				SubTextPrice:    s.PriceLabel,
			}
		}
	}
	return w
}

// wireTime formats t as Beijing "yyyy-MM-dd HH:mm:ss", or "" for the zero time.
func wireTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return cntime.Format(t)
}

// wirePrice formats a yuan amount as the vendor's sample does: whole yuan
// without decimals ("3999"), anything else with two ("3999.50"). [likely]
func wirePrice(y couponkit.Yuan) string {
	f := y.Fen()
	if f%100 == 0 {
		return strconv.FormatInt(int64(f/100), 10)
	}
	return f.Yuan()
}
