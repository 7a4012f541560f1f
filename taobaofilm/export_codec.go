package taobaofilm

import (
	"encoding/json"

	"github.com/couponkit/couponkit/internal/jsonx"
)

// The export page's codec: the one hand decoder of the package (see the
// package doc, "Exports and paging"). exportAnswer is declared for
// encoding/json, and encoding/json's reading of it is the reference:
// exportAnswer.UnmarshalJSON reads the pages TOP sends in one pass of its
// own over the payload open has checked, without reflection, and leaves any
// other input to encoding/json, so that its result is encoding/json's
// (FuzzExportCodec holds it to that). It exists because a page is mostly
// its code list, which encoding/json reads through topList, an adapter
// that costs two more scans of the list, and through a reflective call a
// value: BenchmarkDecodePage pairs the codec with encoding/json reading the
// same declared answer (vs=declared) and with plain encoding/json (vs=
// encoding-json). The names below are the struct tags, in field order
// (TestExportCodecNamesAreTheTags).

// exportAnswerJSON is exportAnswer without its codec: encoding/json reads
// it by its tags.
type exportAnswerJSON exportAnswer

// Reset empties a for the next answer, keeping the array of its code list:
// an export reuses one answer from page to page (see Client.walk).
func (a *exportAnswer) Reset() {
	list := a.Result.ReturnValue.CouponList[:0]
	*a = exportAnswer{}
	a.Result.ReturnValue.CouponList = list
}

// UnmarshalJSON reads the export's payload b into a, as Reset leaves it;
// b must be valid JSON (encoding/json, and transport.Send after open, hand
// it only that). The result is encoding/json's reading of
// exportAnswerJSON.
func (a *exportAnswer) UnmarshalJSON(b []byte) error {
	if a.read(b) {
		return nil
	}
	*a = exportAnswer{}
	return json.Unmarshal(b, (*exportAnswerJSON)(a))
}

// The member names each object is read under, in field order.
var (
	payloadNames = []string{"result"}
	resultNames  = []string{"return_code", "return_value"}
	valueNames   = []string{"basic", "coupon_list", "has_next", "last_sequence", "current_rows"}
	basicNames   = []string{"bind_begin_time", "coupon_expire_time", "denomination", "max_bind_count", "mix_id", "name",
		"total_count", "valid_days", "valid_duration_type", "description"}
	codeNames = []string{"code", "code_status", "gmt_modified", "bind_status"}
)

// read reads b in one pass, and reports false on anything whose reading it
// leaves to encoding/json: a member named as a field only without regard to
// case, a field given twice, a value of another JSON type than its field
// reads without error (an object where a field is a struct, a string where
// it is ValidDurationType, an array of objects for a list), and a value its
// wire type refuses. a is then half-read.
func (a *exportAnswer) read(b []byte) bool {
	return jsonx.FieldsAt(b, 0, payloadNames, func(_ int, v int) int {
		r := &a.Result
		return object(b, v, func(v int) int {
			return jsonx.FieldsAt(b, v, resultNames, func(i int, v int) int {
				if i == 0 {
					return jsonx.ValueAt(b, v, r.ReturnCode.UnmarshalJSON)
				}
				return object(b, v, func(v int) int { return r.ReturnValue.read(b, v) })
			})
		})
	}) >= 0
}

// read reads the return_value at b[at] and returns the index after it, or
// -1 (see exportAnswer.read).
func (e *exportValue) read(b []byte, at int) int {
	return jsonx.FieldsAt(b, at, valueNames, func(i int, v int) int {
		switch i {
		case 0:
			return object(b, v, func(v int) int { return e.Basic.read(b, v) })
		case 1:
			return readCodes(&e.CouponList, b, v)
		case 2:
			return jsonx.ValueAt(b, v, e.HasNext.UnmarshalJSON)
		case 3:
			return readIntPtr(&e.LastSequence, b, v)
		default:
			return jsonx.ValueAt(b, v, e.CurrentRows.UnmarshalJSON)
		}
	})
}

// read reads the basic at b[at] and returns the index after it, or -1.
func (w *wireBasic) read(b []byte, at int) int {
	return jsonx.FieldsAt(b, at, basicNames, func(i int, v int) int {
		switch i {
		case 0:
			return jsonx.ValueAt(b, v, w.BindBeginTime.UnmarshalJSON)
		case 1:
			return jsonx.ValueAt(b, v, w.CouponExpireTime.UnmarshalJSON)
		case 2:
			return jsonx.ValueAt(b, v, w.Denomination.UnmarshalJSON)
		case 3:
			return jsonx.ValueAt(b, v, w.MaxBindCount.UnmarshalJSON)
		case 4:
			return jsonx.ValueAt(b, v, w.MixID.UnmarshalJSON)
		case 5:
			return jsonx.ValueAt(b, v, w.Name.UnmarshalJSON)
		case 6:
			return readIntPtr(&w.TotalCount, b, v)
		case 7:
			return jsonx.ValueAt(b, v, w.ValidDays.UnmarshalJSON)
		case 8:
			// A string kind without a codec: a string, or null (left as is).
			end := jsonx.SkipValue(b, v)
			switch b[v] {
			case '"':
				t, _ := jsonx.Scalar(b[v:end])
				w.ValidDurationType = ValidDurationType(t)
			case 'n':
			default:
				return -1
			}
			return end
		default:
			return jsonx.ValueAt(b, v, w.Description.UnmarshalJSON)
		}
	})
}

// readCodes reads the coupon_list at b[at] as topList's UnmarshalJSON does:
// a plain array (null empties the list, [] is an empty list), or an object
// whose array members are appended in order (null ones skipped). It
// returns the index after it, or -1.
func readCodes(l *topList[wireCode], b []byte, at int) int {
	switch b[at] {
	case 'n':
		*l = nil
		return jsonx.SkipValue(b, at)
	case '[':
		if *l == nil {
			*l = topList[wireCode]{}
		}
		*l = (*l)[:0]
		return jsonx.ElementsAt(b, at, func(e int) int { return readCode(l, b, e) })
	case '{':
		return jsonx.MembersAt(b, at, func(_ []byte, m int) int {
			switch b[m] {
			case 'n':
				return jsonx.SkipValue(b, m)
			case '[':
				return jsonx.ElementsAt(b, m, func(e int) int { return readCode(l, b, e) })
			}
			return -1
		})
	}
	return -1
}

// readCode appends the code at b[at] (an object, or null for a zero code)
// to l and returns the index after it, or -1.
func readCode(l *topList[wireCode], b []byte, at int) int {
	*l = append(*l, wireCode{})
	switch b[at] {
	case '{':
		return (*l)[len(*l)-1].read(b, at)
	case 'n':
		return jsonx.SkipValue(b, at)
	}
	return -1
}

// read reads the code at b[at] and returns the index after it, or -1.
func (w *wireCode) read(b []byte, at int) int {
	return jsonx.FieldsAt(b, at, codeNames, func(i int, v int) int {
		switch i {
		case 0:
			return jsonx.ValueAt(b, v, w.Code.UnmarshalJSON)
		case 1:
			return jsonx.ValueAt(b, v, w.CodeStatus.UnmarshalJSON)
		case 2:
			return jsonx.ValueAt(b, v, w.GmtModified.UnmarshalJSON)
		default:
			return jsonx.ValueAt(b, v, w.BindStatus.UnmarshalJSON)
		}
	})
}

// readIntPtr reads an optional integer as encoding/json reads a pointer
// field: null clears it, anything else goes to a new value's UnmarshalJSON.
func readIntPtr[T any, P interface {
	*T
	UnmarshalJSON([]byte) error
}](p **T, b []byte, at int) int {
	if b[at] == 'n' {
		*p = nil
		return jsonx.SkipValue(b, at)
	}
	if *p == nil {
		*p = new(T)
	}
	return jsonx.ValueAt(b, at, P(*p).UnmarshalJSON)
}

// object reads the value at b[at] with read when it is an object; null
// leaves the field as it is, as encoding/json leaves a struct; any other
// value is refused (-1).
func object(b []byte, at int, read func(at int) int) int {
	switch b[at] {
	case '{':
		return read(at)
	case 'n':
		return jsonx.SkipValue(b, at)
	}
	return -1
}
