package suning

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/money"
)

// DefaultMaxLengths returns the maximum length, in characters, of each text
// field, keyed by the vendor's field name; a new map on every call.
//
// The vendor answers length-overlong for values too long but documents no
// lengths, so these are assumptions [open]: goods codes are Suning's 18-digit
// codes, the merchant's phone is an 11-digit mobile number, and other limits
// are generous caps meant to catch mistakes, not to mirror the vendor. Change
// them with Config.MaxLengths.
func DefaultMaxLengths() map[string]int {
	return map[string]int{
		"enrollInfoCode":    64,
		"versionNumber":     10,
		"actionId":          32,
		"actionName":        100,
		"excludeCitys":      4000,
		"vendorCode":        20,
		"vendorName":        100,
		"noticePhone":       11,
		"phoneShareImgUrl":  1024,
		"phoneShareTitle":   100,
		"phoneShareContent": 500,
		"phoneShareUrl":     1024,
		"receiveSys":        32,
		"operateUser":       32,
		"partnumber":        18,
		"partName":          200,
		"priceLabel":        20,
		"standard":          50,
		"color":             50,
		"msgContent":        500,
		"catengrpCode":      18,
		"subPartName":       200,
		"subPartNumber":     18,
		"subTextPrice":      20,
		"partNumber":        18,
		"vendorId":          20,
		"custNo":            32,
		"purchaseType":      10,
		"storeCode":         32,
		"telNo":             20,
		"terminalFlag":      10,
		"snUnionId":         64,
	}
}

// checker collects the first problem of a request. Field paths are built
// only when a problem is found.
type checker struct {
	limits map[string]int
	// family, when set, names the method family of the vendor codes quoted
	// in messages ("creategotoappoint" for
	// biz.custom.creategotoappoint.missing-parameter); empty quotes the
	// createappoint codes.
	family string
	list   string // "Goods" or "SubGoods" while checking a list entry
	index  int
	err    error
}

func (k *checker) at(list string, i int) { k.list, k.index = list, i }

func (k *checker) fail(field, format string, args ...any) {
	if k.err != nil {
		return
	}
	if k.list != "" {
		field = k.list + "[" + strconv.Itoa(k.index) + "]." + field
	}
	k.err = couponkit.Invalid(field, format, args...)
}

// text checks a text value: present when required, valid UTF-8, not longer
// than the field's limit.
func (k *checker) text(field, wire, v string, required bool) {
	if k.err != nil {
		return
	}
	if v == "" {
		if required {
			k.fail(field, "required (%s:%s)", k.code(CodeMissingParameter), wire)
		}
		return
	}
	if !utf8.ValidString(v) {
		k.fail(field, "not valid UTF-8 (%s:%s)", k.code(CodeFormatError), wire)
		return
	}
	// A string is never longer in characters than in bytes: count only
	// when the bytes exceed the limit.
	if max := k.limits[wire]; max > 0 && len(v) > max {
		if n := utf8.RuneCountInString(v); n > max {
			k.fail(field, "%d characters, at most %d allowed (%s:%s)", n, max, k.code(CodeLengthOverlong), wire)
		}
	}
}

// code returns a createappoint code of the checker's family.
func (k *checker) code(c string) string {
	if k.family == "" {
		return c
	}
	return strings.Replace(c, ".createappoint.", "."+k.family+".", 1)
}

// enum checks a required enumeration value.
func (k *checker) enum(field, wire, v string, allowed ...string) {
	if k.err != nil {
		return
	}
	if v == "" {
		k.fail(field, "required (%s:%s)", CodeMissingParameter, wire)
		return
	}
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	k.fail(field, "%q is not one of %s (%s:%s)", v, strings.Join(allowed, ", "), CodeEnumerationError, wire)
}

// The instants whose Beijing time has a four-digit year: from
// 0001-01-01 00:00:00 up to, not including, 10000-01-01 00:00:00 (UTC+8).
const (
	minWireUnix = -62135596800 - 8*3600
	maxWireUnix = 253402300800 - 8*3600
)

// when checks a time that is sent as Beijing "yyyy-MM-dd HH:mm:ss".
func (k *checker) when(field, wire string, t time.Time, required bool) {
	if k.err != nil {
		return
	}
	if t.IsZero() {
		if required {
			k.fail(field, "required (%s:%s)", CodeMissingParameter, wire)
		}
		return
	}
	if sec := t.Unix(); sec < minWireUnix || sec >= maxWireUnix {
		k.fail(field, "year %d cannot be written as yyyy-MM-dd HH:mm:ss (%s:%s)", t.In(cntime.Location()).Year(), CodeFormatError, wire)
	}
}

// count checks a required positive integer.
func (k *checker) count(field, wire string, n int) {
	switch {
	case k.err != nil:
	case n == 0:
		k.fail(field, "required (%s:%s)", CodeMissingParameter, wire)
	case n < 0:
		k.fail(field, "must be positive, got %d (%s:%s)", n, CodeFormatError, wire)
	}
}

// price checks a required positive amount that is a whole number of yuan
// and fits the wire (money.Check). [open]: the vendor's samples hold whole
// yuan only, and its table does not say whether decimals are read, so an
// amount with fen is refused rather than risk being read differently.
func (k *checker) price(field, wire string, f couponkit.Fen) {
	switch {
	case k.err != nil:
	case f == 0:
		k.fail(field, "required (%s:%s)", CodeMissingParameter, wire)
	case f < 0:
		k.fail(field, "must be positive, got %s yuan (%s:%s)", f.Yuan(), CodeFormatError, wire)
	case f%100 != 0:
		k.fail(field, "must be a whole number of yuan, got %s yuan (%s:%s)", f.Yuan(), CodeFormatError, wire)
	default:
		if err := money.Check(field, f, 0, false); err != nil {
			reason := err.Error()
			var ve *couponkit.ValidationError
			if errors.As(err, &ve) {
				reason = ve.Reason
			}
			k.fail(field, "%s (%s:%s)", reason, CodeFormatError, wire)
		}
	}
}

// link checks a required absolute http(s) URL.
func (k *checker) link(field, wire, v string) {
	k.text(field, wire, v, true)
	if k.err != nil {
		return
	}
	if !absoluteHTTPURL(v) {
		k.fail(field, "must be an absolute http or https URL (%s:%s)", CodeFormatError, wire)
	}
}

// absoluteHTTPURL reports whether v starts with http:// or https:// (any
// case) followed by a host, and holds no space or control character.
func absoluteHTTPURL(v string) bool {
	rest := ""
	switch {
	case len(v) > 7 && strings.EqualFold(v[:7], "http://"):
		rest = v[7:]
	case len(v) > 8 && strings.EqualFold(v[:8], "https://"):
		rest = v[8:]
	default:
		return false
	}
	if rest == "" || strings.IndexAny(rest[:1], "/?#") == 0 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' || v[i] == 0x7f {
			return false
		}
	}
	return true
}

// phone checks a required 11-digit mainland mobile number. [likely]
func (k *checker) phone(field, wire, v string) {
	k.text(field, wire, v, true)
	if k.err != nil {
		return
	}
	ok := len(v) == 11 && v[0] == '1'
	for i := 0; ok && i < len(v); i++ {
		ok = v[i] >= '0' && v[i] <= '9'
	}
	if !ok {
		k.fail(field, "must be an 11-digit mobile number starting with 1 (%s:%s)", CodeFormatError, wire)
	}
}

// order checks that a is before b (strictly, or not after b), at the
// one-second precision of the wire, and blames field. Unset times are skipped.
func (k *checker) order(field, aName string, a time.Time, bName string, b time.Time, strict bool) {
	if k.err != nil || a.IsZero() || b.IsZero() {
		return
	}
	a, b = a.Truncate(time.Second), b.Truncate(time.Second)
	switch {
	case strict && !a.Before(b):
		k.fail(field, "%s must be before %s", aName, bName)
	case !strict && a.After(b):
		k.fail(field, "%s must not be after %s", aName, bName)
	}
}

// validate checks r for op with the enrollInfoCode key and the lengths
// limits, in the order of the vendor's field table, then the cross-field
// rules.
func (r *AppointRequest) validate(op OperateType, key string, limits map[string]int) error {
	k := &checker{limits: limits}
	k.text("EnrollInfoCode", "enrollInfoCode", key, true)
	k.text("VersionNumber", "versionNumber", r.VersionNumber, false)
	if op == OperateCreate {
		if r.ActionID != "" {
			k.fail("ActionID", "must be empty for Create: the vendor assigns it")
		}
	} else {
		k.text("ActionID", "actionId", r.ActionID, true)
	}
	k.enum("ActionType", "actionType", string(r.ActionType), string(ActionTypeNormal))
	k.text("ActionName", "actionName", r.ActionName, true)
	k.enum("Terminal", "adapteTerminal", string(r.Terminal), string(TerminalPC), string(TerminalMobile), string(TerminalPCAndMobile))
	k.when("ActionStart", "actionStartTime", r.ActionStart, true)
	k.when("ScheduleStart", "scheduleStartTime", r.ScheduleStart, true)
	k.when("ScheduleEnd", "scheduleEndTime", r.ScheduleEnd, true)
	k.when("SupervipPurchaseStart", "supervipPurchaseStartTime", r.SupervipPurchaseStart, false)
	k.when("PurchaseStart", "purchaseStartTime", r.PurchaseStart, true)
	k.when("TicketResaleStart", "ticketResaleStartTime", r.TicketResaleStart, true)
	k.when("PurchaseEnd", "purchaseEndTime", r.PurchaseEnd, true)
	k.when("ActionEnd", "actionEndTime", r.ActionEnd, true)
	k.enum("SendUserMsg", "sendUserMsg", string(r.SendUserMsg), string(SendMsgNo), string(SendMsgYes))
	k.enum("SendScalperMsg", "sendScalperMsg", string(r.SendScalperMsg), string(SendMsgNo), string(SendMsgYes))
	k.cities(r.ExcludeCities)
	k.enum("VendorType", "vendorType", string(r.VendorType), string(VendorSelfOperated), string(VendorCMode), string(VendorSWL), string(VendorOverseas), string(VendorOnlineJoint))
	k.text("VendorCode", "vendorCode", r.VendorCode, true)
	k.text("VendorName", "vendorName", r.VendorName, true)
	k.enum("Transit", "transitFlag", string(r.Transit), string(TransitYes), string(TransitNo))
	k.when("TransitDate", "transitDate", r.TransitDate, false)
	k.phone("NoticePhone", "noticePhone", r.NoticePhone)
	k.enum("OtherTerminalSale", "otherTerminalSale", string(r.OtherTerminalSale), string(OtherTerminalSaleNo), string(OtherTerminalSaleYes))
	k.link("ShareImageURL", "phoneShareImgUrl", r.ShareImageURL)
	k.text("ShareTitle", "phoneShareTitle", r.ShareTitle, true)
	k.text("ShareContent", "phoneShareContent", r.ShareContent, true)
	k.link("ShareURL", "phoneShareUrl", r.ShareURL)
	k.text("ReceiveSys", "receiveSys", r.ReceiveSys, true)
	k.enum("PartType", "partType", string(r.PartType), string(PartSingle), string(PartSubCode), string(PartCluster), string(PartBundle))
	k.text("OperateUser", "operateUser", r.OperateUser, true)
	if op == OperateCreate && len(r.Goods) == 0 {
		k.fail("Goods", "at least one goods is required for Create (%s:goodsList)", CodeMissingParameter)
	}
	k.goods(r.Goods)
	k.subGoods(r.SubGoods)
	k.at("", 0)
	k.timeline(r)
	return k.err
}

// cities checks the excluded city codes: at least one, none empty, none
// holding the comma that joins them or white space.
func (k *checker) cities(cs []string) {
	if k.err != nil {
		return
	}
	if len(cs) == 0 {
		k.fail("ExcludeCities", "required (%s:excludeCitys)", CodeMissingParameter)
		return
	}
	n := len(cs) - 1
	for i, c := range cs {
		if c == "" || strings.ContainsAny(c, ", \t\r\n") {
			k.fail("ExcludeCities["+strconv.Itoa(i)+"]", "must be a city code without commas or spaces, got %q (%s:excludeCitys)", c, CodeFormatError)
			return
		}
		n += utf8.RuneCountInString(c)
	}
	if max := k.limits["excludeCitys"]; max > 0 && n > max {
		k.fail("ExcludeCities", "%d characters joined, at most %d allowed (%s:excludeCitys)", n, max, CodeLengthOverlong)
	}
}

// goods checks every goods entry and the default-goods rule.
func (k *checker) goods(gs []Goods) {
	defaults := -1
	for i := range gs {
		if k.err != nil {
			return
		}
		g := &gs[i]
		k.at("Goods", i)
		k.count("TotalLimit", "totalLimit", g.TotalLimit)
		k.count("PersonBuyLimit", "personBuyLimit", g.PersonBuyLimit)
		k.text("PartNumber", "partnumber", g.PartNumber, true)
		k.text("PartName", "partName", g.PartName, true)
		k.price("AppointPrice", "appointPrice", g.AppointPrice)
		k.text("PriceLabel", "priceLabel", g.PriceLabel, true)
		k.price("Price", "price", g.Price)
		k.text("Standard", "standard", g.Standard, false)
		k.text("Color", "color", g.Color, false)
		k.enum("DefaultFlag", "defaultGoodsFlags", string(g.DefaultFlag), string(DefaultGoodsNo), string(DefaultGoodsYes))
		k.text("ReminderSMS", "msgContent", g.ReminderSMS, true)
		k.text("GeneralCode", "catengrpCode", g.GeneralCode, true)
		if g.DefaultFlag == DefaultGoodsYes {
			if defaults >= 0 {
				k.fail("DefaultFlag", "only one goods may be the default, Goods[%d] already is", defaults)
			}
			defaults = i
		}
	}
	k.at("", 0)
	if len(gs) > 0 && defaults < 0 {
		k.fail("Goods", "exactly one goods must have DefaultFlag DefaultGoodsYes (%q), none has", DefaultGoodsYes)
	}
}

// subGoods checks every bundle part.
func (k *checker) subGoods(ss []SubGoods) {
	for i := range ss {
		if k.err != nil {
			return
		}
		s := &ss[i]
		k.at("SubGoods", i)
		k.text("Name", "subPartName", s.Name, true)
		k.text("PartNumber", "subPartNumber", s.PartNumber, true)
		k.count("Count", "count", s.Count)
		k.price("AppointPrice", "subAppointPrice", s.AppointPrice)
		k.price("Price", "subPrice", s.Price)
		k.text("PriceLabel", "subTextPrice", s.PriceLabel, true)
	}
}

// timeline checks the order of the activity's times: appointments open
// before they close and no earlier than the activity starts; buying starts no
// earlier than appointments open and ends after it starts; the paying-member
// and scalper starts fall within [ActionStart, PurchaseEnd); everything ends
// by ActionEnd, which is after ActionStart.
func (k *checker) timeline(r *AppointRequest) {
	const strict, loose = true, false
	k.order("ActionEnd", "ActionStart", r.ActionStart, "ActionEnd", r.ActionEnd, strict)
	k.order("ScheduleStart", "ActionStart", r.ActionStart, "ScheduleStart", r.ScheduleStart, loose)
	k.order("ScheduleEnd", "ScheduleStart", r.ScheduleStart, "ScheduleEnd", r.ScheduleEnd, strict)
	k.order("ScheduleEnd", "ScheduleEnd", r.ScheduleEnd, "ActionEnd", r.ActionEnd, loose)
	k.order("PurchaseStart", "ScheduleStart", r.ScheduleStart, "PurchaseStart", r.PurchaseStart, loose)
	k.order("PurchaseEnd", "PurchaseStart", r.PurchaseStart, "PurchaseEnd", r.PurchaseEnd, strict)
	k.order("PurchaseEnd", "PurchaseEnd", r.PurchaseEnd, "ActionEnd", r.ActionEnd, loose)
	k.order("SupervipPurchaseStart", "ActionStart", r.ActionStart, "SupervipPurchaseStart", r.SupervipPurchaseStart, loose)
	k.order("SupervipPurchaseStart", "SupervipPurchaseStart", r.SupervipPurchaseStart, "PurchaseEnd", r.PurchaseEnd, strict)
	k.order("TicketResaleStart", "ActionStart", r.ActionStart, "TicketResaleStart", r.TicketResaleStart, loose)
	k.order("TicketResaleStart", "TicketResaleStart", r.TicketResaleStart, "PurchaseEnd", r.PurchaseEnd, strict)
}
