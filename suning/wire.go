package suning

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
)

// appointBody returns the whole request body of a validated request:
// {"sn_request":{"sn_body":{"createAppoint":{…}}}}, every value a JSON
// string, fields in the order of the vendor's table, goodsSubList beside
// goodsList. Optional fields left unset are not sent, nor is actionId on
// Create. The JSON is written directly, as encoding/json would write it
// without HTML escaping.
func appointBody(op OperateType, r *AppointRequest, key string) []byte {
	n := 1024 + 512*len(r.Goods) + 256*len(r.SubGoods)
	o := object{b: make([]byte, 0, n)}
	o.b = append(o.b, `{"sn_request":{"sn_body":{"createAppoint":{`...)
	o.str("enrollInfoCode", key)
	version := r.VersionNumber
	if version == "" {
		version = DefaultVersionNumber
	}
	o.str("versionNumber", version)
	o.opt("actionId", r.ActionID)
	o.str("actionType", string(r.ActionType))
	o.str("actionName", r.ActionName)
	o.str("operateType", string(op))
	o.str("adapteTerminal", string(r.Terminal))
	o.time("actionStartTime", r.ActionStart)
	o.time("scheduleStartTime", r.ScheduleStart)
	o.time("scheduleEndTime", r.ScheduleEnd)
	o.time("supervipPurchaseStartTime", r.SupervipPurchaseStart)
	o.time("purchaseStartTime", r.PurchaseStart)
	o.time("ticketResaleStartTime", r.TicketResaleStart)
	o.time("purchaseEndTime", r.PurchaseEnd)
	o.time("actionEndTime", r.ActionEnd)
	o.str("sendUserMsg", string(r.SendUserMsg))
	o.str("sendScalperMsg", string(r.SendScalperMsg))
	o.key("excludeCitys")
	o.b = append(o.b, '"')
	for i, c := range r.ExcludeCities {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendStringBody(o.b, c)
	}
	o.b = append(o.b, '"')
	o.str("vendorType", string(r.VendorType))
	o.str("vendorCode", r.VendorCode)
	o.str("vendorName", r.VendorName)
	o.str("transitFlag", string(r.Transit))
	o.time("transitDate", r.TransitDate)
	o.str("noticePhone", r.NoticePhone)
	o.str("otherTerminalSale", string(r.OtherTerminalSale))
	o.str("phoneShareImgUrl", r.ShareImageURL)
	o.str("phoneShareTitle", r.ShareTitle)
	o.str("phoneShareContent", r.ShareContent)
	o.str("phoneShareUrl", r.ShareURL)
	o.str("receiveSys", r.ReceiveSys)
	o.str("partType", string(r.PartType))
	o.str("operateUser", r.OperateUser)
	if len(r.Goods) > 0 {
		o.key("goodsList")
		o.b = append(o.b, '[')
		for i := range r.Goods {
			g := &r.Goods[i]
			if i > 0 {
				o.b = append(o.b, ',')
			}
			e := object{b: append(o.b, '{')}
			e.int("totalLimit", g.TotalLimit)
			e.int("personBuyLimit", g.PersonBuyLimit)
			e.str("partnumber", g.PartNumber)
			e.str("partName", g.PartName)
			e.price("appointPrice", g.AppointPrice)
			e.str("priceLabel", g.PriceLabel)
			e.price("price", g.Price)
			e.opt("standard", g.Standard)
			e.opt("color", g.Color)
			e.str("defaultGoodsFlags", string(g.DefaultFlag))
			e.str("msgContent", g.ReminderSMS)
			e.str("catengrpCode", g.GeneralCode)
			o.b = append(e.b, '}')
		}
		o.b = append(o.b, ']')
	}
	if len(r.SubGoods) > 0 {
		o.key("goodsSubList")
		o.b = append(o.b, '[')
		for i := range r.SubGoods {
			s := &r.SubGoods[i]
			if i > 0 {
				o.b = append(o.b, ',')
			}
			e := object{b: append(o.b, '{')}
			e.str("subPartName", s.Name)
			e.str("subPartNumber", s.PartNumber)
			e.int("count", s.Count)
			e.price("subAppointPrice", s.AppointPrice)
			e.price("subPrice", s.Price)
			e.str("subTextPrice", s.PriceLabel)
			o.b = append(e.b, '}')
		}
		o.b = append(o.b, ']')
	}
	return append(o.b, `}}}}`...)
}

// object writes the members of a JSON object whose opening brace is already
// in b. Member names are plain ASCII identifiers.
type object struct {
	b []byte
	n int
}

func (o *object) key(name string) {
	if o.n > 0 {
		o.b = append(o.b, ',')
	}
	o.n++
	o.b = append(o.b, '"')
	o.b = append(o.b, name...)
	o.b = append(o.b, '"', ':')
}

func (o *object) str(name, v string) {
	o.key(name)
	o.b = appendString(o.b, v)
}

// opt writes v unless it is empty.
func (o *object) opt(name, v string) {
	if v != "" {
		o.str(name, v)
	}
}

// time writes t as a Beijing "yyyy-MM-dd HH:mm:ss" string, unless t is zero.
func (o *object) time(name string, t time.Time) {
	if t.IsZero() {
		return
	}
	o.key(name)
	o.b = append(o.b, '"')
	o.b = cntime.AppendFormat(o.b, t)
	o.b = append(o.b, '"')
}

func (o *object) int(name string, n int) {
	o.key(name)
	o.b = append(o.b, '"')
	o.b = strconv.AppendInt(o.b, int64(n), 10)
	o.b = append(o.b, '"')
}

// price writes a yuan amount as the vendor's sample does: whole yuan without
// decimals ("3999"), anything else with two ("3899.50"). [likely]
func (o *object) price(name string, y couponkit.Yuan) {
	o.key(name)
	o.b = append(o.b, '"')
	o.b = appendPrice(o.b, y)
	o.b = append(o.b, '"')
}

func appendPrice(b []byte, y couponkit.Yuan) []byte {
	f := y.Fen()
	if f%100 == 0 {
		return strconv.AppendInt(b, int64(f/100), 10)
	}
	return f.AppendYuan(b)
}

// appendString appends s as a JSON string, escaped exactly as encoding/json
// escapes it with HTML escaping off.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendStringBody(b, s)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// needsEscape reports whether valid UTF-8 s holds a byte or rune that JSON
// escapes: a control character, '"', '\\', U+2028 or U+2029.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c == '"', c == '\\':
			return true
		case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2]&^1 == 0xa8:
			return true
		}
	}
	return false
}

// appendStringBody appends the escaped contents of a JSON string, without
// the quotes: '"' and '\\' escaped, control characters as \b \f \n \r \t or
// \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 as \u2028 and \u2029.
func appendStringBody(b []byte, s string) []byte {
	if utf8.ValidString(s) && !needsEscape(s) {
		return append(b, s...)
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}
