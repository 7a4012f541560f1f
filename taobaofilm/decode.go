package taobaofilm

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// wireCode is one FCodeInfo as it arrives.
type wireCode struct {
	Code        string     `json:"code"`
	CodeStatus  CodeStatus `json:"code_status"`
	GmtModified wireTime   `json:"gmt_modified"`
	BindStatus  BindStatus `json:"bind_status"`
}

// wireBasic is FCodeExportBasic as it arrives.
type wireBasic struct {
	BindBeginTime     wireTime          `json:"bind_begin_time"`
	CouponExpireTime  wireTime          `json:"coupon_expire_time"`
	Denomination      wireInt           `json:"denomination"`
	MaxBindCount      wireInt           `json:"max_bind_count"`
	MixID             string            `json:"mix_id"`
	Name              string            `json:"name"`
	TotalCount        wireOpt           `json:"total_count"`
	ValidDays         wireInt           `json:"valid_days"`
	ValidDurationType ValidDurationType `json:"valid_duration_type"`
	Description       string            `json:"description"`
}

// wrappedCodes is coupon_list without simplify: {"f_code_info":[…]}.
type wrappedCodes struct {
	Items []wireCode `json:"f_code_info"`
}

// plainCodes is coupon_list with simplify=true: a plain array.
type plainCodes []wireCode

// codeList is either shape of coupon_list.
type codeList interface{ wrappedCodes | plainCodes }

// wireExport is FCodeExportResp (return_value) as it arrives.
type wireExport[L codeList] struct {
	Basic        wireBasic `json:"basic"`
	CouponList   L         `json:"coupon_list"`
	HasNext      wireBool  `json:"has_next"`
	LastSequence wireOpt   `json:"last_sequence"`
	CurrentRows  wireInt   `json:"current_rows"`
}

// exportResult is ResultGeneralModel (result) as it arrives. A result is
// present when its ReturnCode is not empty.
type exportResult[L codeList] struct {
	ReturnCode    jsonx.Flex    `json:"return_code"`
	ReturnMessage string        `json:"return_message"`
	ReturnValue   wireExport[L] `json:"return_value"`
}

// exportBody is what "film_fcode_export_query_response" holds, or the
// whole body with simplify=true.
type exportBody[L codeList] struct {
	Result    exportResult[L] `json:"result"`
	RequestID string          `json:"request_id"`
}

// exportEnvelope reads every shape in one pass: error_response, the wrapped
// body, the simplified body, and a bare {code,msg,…} error.
type exportEnvelope[L codeList] struct {
	Error   *head         `json:"error_response"`
	Wrapped exportBody[L] `json:"film_fcode_export_query_response"`
	exportBody[L]
	Code    jsonx.Flex `json:"code"`
	Msg     string     `json:"msg"`
	SubCode string     `json:"sub_code"`
	SubMsg  string     `json:"sub_msg"`
}

// decodedPage is one export response, shape-independent.
type decodedPage struct {
	requestID     string
	topErr        *head // error_response (or a bare error object), or nil
	returnCode    string
	returnMessage string
	basic         wireBasic
	codes         []wireCode
	hasNext       bool
	lastSequence  wireOpt
	currentRows   int64
}

// decodeExport reads an export response. plainFirst says which coupon_list
// shape to try first (the one asked for with simplify); on a type mismatch the
// other shape is tried. buf, when not nil, is reused for the code list.
func decodeExport(body []byte, plainFirst bool, buf []wireCode) (*decodedPage, error) {
	var d decodedPage
	var err error
	if plainFirst {
		err = decodeAs[plainCodes](body, buf, &d)
	} else {
		err = decodeAs[wrappedCodes](body, buf, &d)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		var second error
		if plainFirst {
			second = decodeAs[wrappedCodes](body, buf, &d)
		} else {
			second = decodeAs[plainCodes](body, buf, &d)
		}
		if second == nil {
			err = nil
		}
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func decodeAs[L codeList](body []byte, buf []wireCode, d *decodedPage) error {
	var env exportEnvelope[L]
	if buf != nil {
		clear(buf[:cap(buf)]) // encoding/json does not zero reused elements
		setItems(&env.Wrapped.Result.ReturnValue.CouponList, buf[:0])
		setItems(&env.Result.ReturnValue.CouponList, buf[:0])
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return err
	}
	*d = decodedPage{}
	switch {
	case env.Error != nil:
		if env.Error.Code == "" {
			return errors.New("error_response without a code")
		}
		d.topErr = env.Error
		return nil
	case env.Code != "" && env.Result.ReturnCode == "":
		d.topErr = &head{Code: loose(env.Code), Msg: loose(env.Msg), SubCode: loose(env.SubCode), SubMsg: loose(env.SubMsg), RequestID: loose(env.RequestID)}
		return nil
	}
	b := &env.Wrapped
	if b.Result.ReturnCode == "" {
		b = &env.exportBody
	}
	if b.Result.ReturnCode == "" {
		return errors.New("no error_response and no result.return_code")
	}
	v := &b.Result.ReturnValue
	*d = decodedPage{
		requestID:     b.RequestID,
		returnCode:    string(b.Result.ReturnCode),
		returnMessage: b.Result.ReturnMessage,
		basic:         v.Basic,
		codes:         items(&v.CouponList),
		hasNext:       bool(v.HasNext),
		lastSequence:  v.LastSequence,
		currentRows:   int64(v.CurrentRows),
	}
	if d.requestID == "" {
		d.requestID = env.RequestID
	}
	return nil
}

func setItems[L codeList](l *L, buf []wireCode) {
	switch p := any(l).(type) {
	case *wrappedCodes:
		p.Items = buf
	case *plainCodes:
		*p = buf
	}
}

func items[L codeList](l *L) []wireCode {
	switch p := any(l).(type) {
	case *wrappedCodes:
		return p.Items
	case *plainCodes:
		return *p
	}
	return nil
}

// wireInt is an integer sent as a JSON number or a string holding one.
type wireInt int64

// UnmarshalJSON reads a number, a numeric string, "" or null.
func (n *wireInt) UnmarshalJSON(b []byte) error {
	v, err := flexInt(b)
	*n = wireInt(v)
	return err
}

// wireOpt is an integer that may be absent.
type wireOpt struct {
	V   int64
	Set bool
}

// UnmarshalJSON reads a number or a numeric string; null and "" leave it unset.
func (o *wireOpt) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) || bytes.Equal(b, []byte(`""`)) {
		*o = wireOpt{}
		return nil
	}
	v, err := flexInt(b)
	*o = wireOpt{V: v, Set: err == nil}
	return err
}

// wireBool is a flag sent as a JSON bool, a string or a number.
type wireBool bool

// UnmarshalJSON reads true/false, "true"/"false", 1/0 and null (false).
func (f *wireBool) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", `"true"`, "1", `"1"`:
		*f = true
	case "false", `"false"`, "0", `"0"`, "null", `""`:
		*f = false
	default:
		return errors.New("taobaofilm: want a boolean")
	}
	return nil
}

// wireTime is a TOP date: "yyyy-MM-dd HH:mm:ss" (or "yyyy-MM-dd") in Beijing
// time, or epoch milliseconds as a number; "" and null are the zero time.
type wireTime struct{ t time.Time }

var errTime = errors.New("taobaofilm: want a \"yyyy-MM-dd HH:mm:ss\" time")

// UnmarshalJSON parses the time without allocating in the common case.
func (w *wireTime) UnmarshalJSON(b []byte) error {
	w.t = time.Time{}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) == 0 || b[0] != '"' {
		ms, err := flexInt(b)
		if err != nil {
			return errTime
		}
		w.t = cntime.FromMilli(ms)
		return nil
	}
	if len(b) < 2 || b[len(b)-1] != '"' {
		return errTime
	}
	s := b[1 : len(b)-1]
	switch len(s) {
	case 0:
		return nil
	case len(cntime.Layout), len(cntime.DateLayout):
		t, ok := parseBeijing(s)
		if !ok {
			return errTime
		}
		w.t = t
		return nil
	}
	return errTime
}

// parseBeijing reads "yyyy-MM-dd HH:mm:ss" or "yyyy-MM-dd" as Beijing time.
func parseBeijing(s []byte) (time.Time, bool) {
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range s[i : i+n] {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	if s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, mi, sec, ok4, ok5, ok6 := 0, 0, 0, true, true, true
	if len(s) > len(cntime.DateLayout) {
		if s[10] != ' ' || s[13] != ':' || s[16] != ':' {
			return time.Time{}, false
		}
		h, ok4 = num(11, 2)
		mi, ok5 = num(14, 2)
		sec, ok6 = num(17, 2)
	}
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, cntime.Location())
	if t.Day() != d {
		return time.Time{}, false // such as February 30
	}
	return t, true
}
