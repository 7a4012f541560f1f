package suning

import (
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// appointBody returns the whole request body of a validated request:
// {"sn_request":{"sn_body":{"createAppoint":{…}}}}, every value a JSON
// string, fields in the order of the vendor's table, goodsSubList beside
// goodsList. Optional fields left unset are not sent, nor is actionId on
// Create. The JSON is written directly, as encoding/json would write it
// without HTML escaping.
func appointBody(op OperateType, r *AppointRequest, key string) []byte {
	b := make([]byte, 0, 1024+512*len(r.Goods)+256*len(r.SubGoods))
	b = append(b, `{"sn_request":{"sn_body":{"createAppoint":{"enrollInfoCode":`...)
	b = jsonx.AppendString(b, key)
	version := r.VersionNumber
	if version == "" {
		version = DefaultVersionNumber
	}
	b = member(b, "versionNumber", version)
	b = optional(b, "actionId", r.ActionID)
	b = member(b, "actionType", string(r.ActionType))
	b = member(b, "actionName", r.ActionName)
	b = member(b, "operateType", string(op))
	b = member(b, "adapteTerminal", string(r.Terminal))
	b = timeMember(b, "actionStartTime", r.ActionStart)
	b = timeMember(b, "scheduleStartTime", r.ScheduleStart)
	b = timeMember(b, "scheduleEndTime", r.ScheduleEnd)
	b = timeMember(b, "supervipPurchaseStartTime", r.SupervipPurchaseStart)
	b = timeMember(b, "purchaseStartTime", r.PurchaseStart)
	b = timeMember(b, "ticketResaleStartTime", r.TicketResaleStart)
	b = timeMember(b, "purchaseEndTime", r.PurchaseEnd)
	b = timeMember(b, "actionEndTime", r.ActionEnd)
	b = member(b, "sendUserMsg", string(r.SendUserMsg))
	b = member(b, "sendScalperMsg", string(r.SendScalperMsg))
	b = append(b, `,"excludeCitys":"`...)
	for i, c := range r.ExcludeCities {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonx.AppendStringBody(b, c)
	}
	b = append(b, '"')
	b = member(b, "vendorType", string(r.VendorType))
	b = member(b, "vendorCode", r.VendorCode)
	b = member(b, "vendorName", r.VendorName)
	b = member(b, "transitFlag", string(r.Transit))
	b = timeMember(b, "transitDate", r.TransitDate)
	b = member(b, "noticePhone", r.NoticePhone)
	b = member(b, "otherTerminalSale", string(r.OtherTerminalSale))
	b = member(b, "phoneShareImgUrl", r.ShareImageURL)
	b = member(b, "phoneShareTitle", r.ShareTitle)
	b = member(b, "phoneShareContent", r.ShareContent)
	b = member(b, "phoneShareUrl", r.ShareURL)
	b = member(b, "receiveSys", r.ReceiveSys)
	b = member(b, "partType", string(r.PartType))
	b = member(b, "operateUser", r.OperateUser)
	for i := range r.Goods {
		g := &r.Goods[i]
		if i == 0 {
			b = append(b, `,"goodsList":[{"totalLimit":`...)
		} else {
			b = append(b, `},{"totalLimit":`...)
		}
		b = appendIntString(b, g.TotalLimit)
		b = intMember(b, "personBuyLimit", g.PersonBuyLimit)
		b = member(b, "partnumber", g.PartNumber)
		b = member(b, "partName", g.PartName)
		b = priceMember(b, "appointPrice", g.AppointPrice)
		b = member(b, "priceLabel", g.PriceLabel)
		b = priceMember(b, "price", g.Price)
		b = optional(b, "standard", g.Standard)
		b = optional(b, "color", g.Color)
		b = member(b, "defaultGoodsFlags", string(g.DefaultFlag))
		b = member(b, "msgContent", g.ReminderSMS)
		b = member(b, "catengrpCode", g.GeneralCode)
	}
	if len(r.Goods) > 0 {
		b = append(b, '}', ']')
	}
	for i := range r.SubGoods {
		s := &r.SubGoods[i]
		if i == 0 {
			b = append(b, `,"goodsSubList":[{"subPartName":`...)
		} else {
			b = append(b, `},{"subPartName":`...)
		}
		b = jsonx.AppendString(b, s.Name)
		b = member(b, "subPartNumber", s.PartNumber)
		b = intMember(b, "count", s.Count)
		b = priceMember(b, "subAppointPrice", s.AppointPrice)
		b = priceMember(b, "subPrice", s.Price)
		b = member(b, "subTextPrice", s.PriceLabel)
	}
	if len(r.SubGoods) > 0 {
		b = append(b, '}', ']')
	}
	return append(b, `}}}}`...)
}

// The member writers append `,"name":"value"` to an object that already has
// a member. Names are plain ASCII identifiers.

func key(b []byte, name string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

func member(b []byte, name, v string) []byte {
	return jsonx.AppendString(key(b, name), v)
}

// optional writes v unless it is empty.
func optional(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	return member(b, name, v)
}

// timeMember writes t as a Beijing "yyyy-MM-dd HH:mm:ss" string, unless t is
// zero.
func timeMember(b []byte, name string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = append(key(b, name), '"')
	b = appendDateTime(b, t)
	return append(b, '"')
}

func intMember(b []byte, name string, n int) []byte {
	return appendIntString(key(b, name), n)
}

func appendIntString(b []byte, n int) []byte {
	b = append(b, '"')
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, '"')
}

// priceMember writes an amount in yuan without decimals, as the vendor's
// sample does ("3999"). Validation has checked that it is a whole number
// of yuan.
func priceMember(b []byte, name string, y couponkit.Fen) []byte {
	b = append(key(b, name), '"')
	b = appendPrice(b, y)
	return append(b, '"')
}

// appendDateTime appends t as Beijing "yyyy-MM-dd HH:mm:ss", as
// cntime.AppendFormat does, without parsing a layout. The year must be
// within 1..9999 (validation sees to it).
func appendDateTime(b []byte, t time.Time) []byte {
	t = t.In(cntime.Location())
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+int(mo)/10), byte('0'+int(mo)%10), '-', byte('0'+d/10), byte('0'+d%10), ' ')
	return append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
}

// appendPrice appends f in yuan: whole yuan without decimals ("3999"),
// anything else with two ("3899.50"), which validation never lets through.
func appendPrice(b []byte, f couponkit.Fen) []byte {
	if f%100 == 0 {
		return strconv.AppendInt(b, int64(f/100), 10)
	}
	return f.AppendYuan(b)
}
