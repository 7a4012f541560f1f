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
// its code list, which encoding/json reads slower than open has already
// walked it: BenchmarkDecodePage pairs it with plain encoding/json.

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
	return eachField(b, payloadNames, func(_ int, v []byte) bool {
		r := &a.Result
		return object(v, func(v []byte) bool {
			return eachField(v, resultNames, func(i int, v []byte) bool {
				if i == 0 {
					return r.ReturnCode.UnmarshalJSON(v) == nil
				}
				return object(v, func(v []byte) bool { return r.ReturnValue.read(v) })
			})
		})
	})
}

func (e *exportValue) read(b []byte) bool {
	return eachField(b, valueNames, func(i int, v []byte) bool {
		switch i {
		case 0:
			return object(v, func(v []byte) bool { return e.Basic.read(v) })
		case 1:
			return readCodes(&e.CouponList, v)
		case 2:
			return e.HasNext.UnmarshalJSON(v) == nil
		case 3:
			return readIntPtr(&e.LastSequence, v)
		default:
			return e.CurrentRows.UnmarshalJSON(v) == nil
		}
	})
}

func (w *wireBasic) read(b []byte) bool {
	return eachField(b, basicNames, func(i int, v []byte) bool {
		var err error
		switch i {
		case 0:
			err = w.BindBeginTime.UnmarshalJSON(v)
		case 1:
			err = w.CouponExpireTime.UnmarshalJSON(v)
		case 2:
			err = w.Denomination.UnmarshalJSON(v)
		case 3:
			err = w.MaxBindCount.UnmarshalJSON(v)
		case 4:
			err = w.MixID.UnmarshalJSON(v)
		case 5:
			err = w.Name.UnmarshalJSON(v)
		case 6:
			return readIntPtr(&w.TotalCount, v)
		case 7:
			err = w.ValidDays.UnmarshalJSON(v)
		case 8:
			// A string kind without a codec: a string, or null (left as is).
			switch v[0] {
			case '"':
				t, _ := jsonx.Scalar(v)
				w.ValidDurationType = ValidDurationType(t)
			case 'n':
			default:
				return false
			}
		default:
			err = w.Description.UnmarshalJSON(v)
		}
		return err == nil
	})
}

// readCodes reads coupon_list as topList's UnmarshalJSON does: a plain
// array (null empties the list, [] is an empty list), or an object whose
// array members are appended in order (null ones skipped).
func readCodes(l *topList[wireCode], v []byte) bool {
	switch v[0] {
	case 'n':
		*l = nil
		return true
	case '[':
		if *l == nil {
			*l = topList[wireCode]{}
		}
		*l = (*l)[:0]
		return readElements(l, v)
	case '{':
		ok := true
		jsonx.EachMember(v, func(_, m []byte) bool {
			switch m[0] {
			case 'n':
			case '[':
				ok = readElements(l, m)
			default:
				ok = false
			}
			return ok
		})
		return ok
	}
	return false
}

// readElements appends the codes of the array v to l.
func readElements(l *topList[wireCode], v []byte) bool {
	ok := true
	jsonx.EachElement(v, func(e []byte) bool {
		ok = readCode(l, e)
		return ok
	})
	return ok
}

// readCode appends the code e (an object, or null for a zero code) to l.
func readCode(l *topList[wireCode], e []byte) bool {
	*l = append(*l, wireCode{})
	switch e[0] {
	case '{':
		return (*l)[len(*l)-1].read(e)
	case 'n':
		return true
	}
	return false
}

func (w *wireCode) read(b []byte) bool {
	return eachField(b, codeNames, func(i int, v []byte) bool {
		var err error
		switch i {
		case 0:
			err = w.Code.UnmarshalJSON(v)
		case 1:
			err = w.CodeStatus.UnmarshalJSON(v)
		case 2:
			err = w.GmtModified.UnmarshalJSON(v)
		default:
			err = w.BindStatus.UnmarshalJSON(v)
		}
		return err == nil
	})
}

// readIntPtr reads an optional integer as encoding/json reads a pointer
// field: null clears it, anything else goes to a new value's UnmarshalJSON.
func readIntPtr[T any, P interface {
	*T
	UnmarshalJSON([]byte) error
}](p **T, v []byte) bool {
	if v[0] == 'n' {
		*p = nil
		return true
	}
	if *p == nil {
		*p = new(T)
	}
	return P(*p).UnmarshalJSON(v) == nil
}

// object reads v with read when it is an object; null leaves the field as
// it is, as encoding/json leaves a struct; any other value is refused.
func object(v []byte, read func(v []byte) bool) bool {
	switch v[0] {
	case '{':
		return read(v)
	case 'n':
		return true
	}
	return false
}

// eachField calls set with the index in names (at most 32) of each member
// of the object b named exactly as one of them, and skips the other
// members, as encoding/json does. It reports false when b is not an object,
// when set does, and on what encoding/json reads otherwise than exactly:
// a member that matches a name only without regard to case, or a name
// given twice.
func eachField(b []byte, names []string, set func(i int, v []byte) bool) bool {
	var seen uint32
	ok := true
	return jsonx.EachMember(b, func(k, v []byte) bool {
		i := jsonx.FieldIndex(k, names)
		switch {
		case i < 0:
			return true
		case names[i] != string(k) || seen&(1<<i) != 0:
			ok = false
		default:
			seen |= 1 << i
			ok = set(i, v)
		}
		return ok
	}) && ok
}
