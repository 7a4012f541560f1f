package houcaller

import (
	"encoding/json"

	"github.com/couponkit/couponkit/internal/jsonx"
)

// The listing's codec. memberCouponsAnswer is declared for encoding/json,
// and encoding/json's reading of it is the reference: memberCouponsData
// reads the data the gateway sends in one pass of its own over the payload
// that open (or transport.Send's check) has already checked, without
// reflection, and leaves any other input to encoding/json, so that its
// result and its errors are encoding/json's (FuzzMemberCouponsCodec holds it
// to that). It exists because encoding/json checks the data once more
// before reading it, and reaches each of a coupon's nine wire-typed values
// through a reflective call: most of a listing's cost on the client. The
// names below are the struct tags, in field order
// (TestMemberCouponsCodecNamesAreTheTags).

// memberCouponsData is listCpnItemByMember's data as MemberCoupons reads
// it: memberCouponsAnswer, with its codec.
type memberCouponsData struct {
	memberCouponsAnswer
}

// UnmarshalJSON reads the data b into d, which must be zero (as
// transport.Send leaves an answer before decoding it); b must be valid JSON
// (encoding/json, and transport.Send, hand it only that). The result is
// encoding/json's reading of memberCouponsAnswer.
func (d *memberCouponsData) UnmarshalJSON(b []byte) error {
	if d.read(b) {
		return nil
	}
	d.memberCouponsAnswer = memberCouponsAnswer{}
	return json.Unmarshal(b, &d.memberCouponsAnswer)
}

// The member names each object is read under, in field order.
var (
	memberCouponsNames = []string{"list"}
	memberCouponNames  = []string{"id", "cpnid", "cpnId", "cpnCode", "cpnName", "cpnType", "status", "mmbid", "openid",
		"begDate", "endDate", "useTime", "sellScene", "picUrl", "content"}
)

// read reads b in one pass, and reports false on anything whose reading it
// leaves to encoding/json: a member named as a field only without regard to
// case, a field given twice, a value of another JSON type than its field
// reads without error, and a value its wire type refuses. d is then
// half-read.
func (d *memberCouponsData) read(b []byte) bool {
	return jsonx.FieldsAt(b, 0, memberCouponsNames, func(_ int, v int) int {
		return readCoupons(&d.List, b, v)
	}) >= 0
}

// readCoupons reads the list at b[at] as encoding/json reads a slice: null
// empties it, an array is read element by element ([] is an empty list, not
// nil). It returns the index after it, or -1.
func readCoupons(l *[]wireMemberCoupon, b []byte, at int) int {
	switch b[at] {
	case 'n':
		*l = nil
		return jsonx.SkipValue(b, at)
	case '[':
		if *l == nil {
			*l = []wireMemberCoupon{}
		}
		*l = (*l)[:0]
		return jsonx.ElementsAt(b, at, func(e int) int {
			*l = append(*l, wireMemberCoupon{})
			switch b[e] {
			case '{':
				return (*l)[len(*l)-1].read(b, e)
			case 'n':
				return jsonx.SkipValue(b, e)
			}
			return -1
		})
	}
	return -1
}

// read reads the coupon at b[at] and returns the index after it, or -1.
func (w *wireMemberCoupon) read(b []byte, at int) int {
	return jsonx.FieldsAt(b, at, memberCouponNames, func(i int, v int) int {
		switch i {
		case 0:
			return jsonx.ValueAt(b, v, w.ID.UnmarshalJSON)
		case 1:
			return jsonx.ValueAt(b, v, w.Cpnid.UnmarshalJSON)
		case 2:
			return jsonx.ValueAt(b, v, w.CpnID.UnmarshalJSON)
		case 3:
			return jsonx.ValueAt(b, v, w.CpnCode.UnmarshalJSON)
		case 4:
			return text(&w.CpnName, b, v)
		case 5:
			return jsonx.ValueAt(b, v, w.CpnType.UnmarshalJSON)
		case 6:
			return jsonx.ValueAt(b, v, w.Status.UnmarshalJSON)
		case 7:
			return jsonx.ValueAt(b, v, w.Mmbid.UnmarshalJSON)
		case 8:
			return text(&w.Openid, b, v)
		case 9:
			return jsonx.ValueAt(b, v, w.BegDate.UnmarshalJSON)
		case 10:
			return jsonx.ValueAt(b, v, w.EndDate.UnmarshalJSON)
		case 11:
			return jsonx.ValueAt(b, v, w.UseTime.UnmarshalJSON)
		case 12:
			return text(&w.SellScene, b, v)
		case 13:
			return text(&w.PicURL, b, v)
		default:
			return text(&w.Content, b, v)
		}
	})
}

// text reads the value at b[at] into a plain string field: a string, or
// null (leaving s as it is). Any other value is refused (-1).
func text(s *string, b []byte, at int) int {
	end := jsonx.SkipValue(b, at)
	switch b[at] {
	case '"':
		t, _ := jsonx.Scalar(b[at:end])
		*s = string(t)
	case 'n':
	default:
		return -1
	}
	return end
}
