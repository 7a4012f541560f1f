package taobaofilm

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

var fuzzSeeds = []string{
	`{"film_fcode_export_query_response":{"result":{"return_code":"0","return_message":"","return_value":{"basic":{"bind_begin_time":"2019-12-01 00:00:00","coupon_expire_time":"2019-12-02 23:59:59","denomination":400,"max_bind_count":4,"mix_id":"code_8ebc4e741689bbc1","name":"淘票票示例活动","total_count":100,"valid_days":1,"valid_duration_type":"DAY","description":"券码描述"},"coupon_list":{"f_code_info":[{"code":"2X2QFKTZD2K","code_status":2,"gmt_modified":"2019-12-02 23:59:59","bind_status":-1}]},"has_next":true,"last_sequence":1,"current_rows":100}},"request_id":"abc"}}`,
	`{"result":{"return_code":0,"return_value":{"coupon_list":[{"code":"A","code_status":"-2","gmt_modified":1575129600000,"bind_status":"0"},{"code":"B"}],"has_next":"false","last_sequence":"7"}},"request_id":"r"}`,
	`{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 1 more seconds","request_id":"x"}}`,
	`{"code":25,"msg":"Invalid signature"}`,
	`{"film_fcode_export_query_response":{"result":{"return_code":"E1","return_message":"失败"}}}`,
	`{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"coupon_list":{}}}}}`,
	`{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"coupon_list":{"f_code_info":[{"gmt_modified":"2019-02-30 00:00:00"}]}}}}}`,
	`[]`, `null`, `{}`, `<xml/>`, ``,
}

// exportPayloadSeeds are export payloads as open hands them to the codec:
// the pages above without their wrapper, and the shapes the codec leaves to
// encoding/json.
var exportPayloadSeeds = []string{
	`{"result":{"return_code":"0","return_message":"","return_value":{"basic":{"bind_begin_time":"2019-12-01 00:00:00","coupon_expire_time":"2019-12-02 23:59:59","denomination":400,"max_bind_count":4,"mix_id":"code_8ebc4e741689bbc1","name":"淘票票示例活动","total_count":100,"valid_days":1,"valid_duration_type":"DAY","description":"券码描述"},"coupon_list":{"f_code_info":[{"code":"2X2QFKTZD2K","code_status":2,"gmt_modified":"2019-12-02 23:59:59","bind_status":-1}]},"has_next":true,"last_sequence":1,"current_rows":100}},"request_id":"abc"}`,
	`{"result":{"return_code":0,"return_value":{"coupon_list":[{"code":"A","code_status":"-2","gmt_modified":1575129600000,"bind_status":"0"},{"code":"B"},null],"has_next":"false","last_sequence":"7"}},"request_id":"r"}`,
	`{"result":{"return_code":"0","return_value":{"coupon_list":{"f_code_info":[],"other":[{"code":"C"}],"nil":null},"last_sequence":null,"basic":null}}}`,
	`{"result":{"return_code":"0","return_value":{"coupon_list":[]}}}`,
	`{"result":{"return_code":"0","return_value":{"coupon_list":null,"basic":{"total_count":"","valid_duration_type":null}}}}`,
	`{"Result":{"return_code":"0"}}`,
	`{"result":{"return_code":"0"},"result":{"return_value":{"has_next":true}}}`,
	`{"result":{"return_code":"0","return_value":{"coupon_list":{"f_code_info":{"code":"A"}}}}}`,
	`{"result":{"return_code":"0","return_value":{"coupon_list":[1]}}}`,
	`{"result":{"return_code":"0","return_value":{"basic":{"valid_duration_type":5}}}}`,
	`{"result":{"return_code":"0","return_value":{"basic":{"bind_begin_time":"2019-02-30 00:00:00"}}}}`,
	`{"result":{"return_code":{},"return_value":[]}}`,
	`{"result":"x"}`, `[]`, `null`, `{}`, `"s"`,
}

// The export codec reads every payload as encoding/json reads
// exportAnswerJSON: the same success or failure, the same values; and into
// an answer Reset after an earlier page, the same again.
func FuzzExportCodec(f *testing.F) {
	for _, s := range exportPayloadSeeds {
		f.Add([]byte(s))
	}
	dirtyPage := []byte(exportPayloadSeeds[0])
	f.Fuzz(func(t *testing.T, b []byte) {
		if jsonx.Check(b) != nil {
			return // open hands the codec valid JSON only
		}
		var ref exportAnswerJSON
		refErr := json.Unmarshal(b, &ref)
		var got exportAnswer
		err := got.UnmarshalJSON(b)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("codec: %v; encoding/json: %v", err, refErr)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(got, exportAnswer(ref)) {
			t.Fatalf("codec read\n%+v\nencoding/json read\n%+v", got, exportAnswer(ref))
		}
		var dirty exportAnswer
		if dirty.UnmarshalJSON(dirtyPage) != nil {
			t.Fatal("the dirty page does not read")
		}
		dirty.Reset()
		if err := dirty.UnmarshalJSON(b); err != nil {
			t.Fatalf("after Reset: %v", err)
		}
		if len(dirty.Result.ReturnValue.CouponList) == 0 && len(got.Result.ReturnValue.CouponList) == 0 {
			dirty.Result.ReturnValue.CouponList = got.Result.ReturnValue.CouponList // nil and empty read alike
		}
		if !reflect.DeepEqual(dirty, got) {
			t.Fatalf("after Reset, the codec read\n%+v\nfresh, it read\n%+v", dirty, got)
		}
	})
}

// The codec reads the pages TOP and the fake send in its own pass, not
// through encoding/json.
func TestExportCodecReadsPagesItself(t *testing.T) {
	for i, s := range exportPayloadSeeds[:5] {
		var a exportAnswer
		if !a.read([]byte(s)) {
			t.Errorf("seed %d left to encoding/json", i)
		}
	}
	c := &Client{}
	for _, body := range [][]byte{benchPage(20), []byte(fuzzSeeds[0]), []byte(fuzzSeeds[1])} {
		data, err := c.open(opExport, "", &topRequest{key: ResponseKey(MethodExportQuery)}, &transport.Response{StatusCode: 200, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		var a exportAnswer
		if !a.read(data) {
			t.Errorf("%.60s… left to encoding/json", body)
		}
	}
}

// The codec reads each object under its struct's json tags, in field
// order: a renamed or added field that the codec does not know fails here.
func TestExportCodecNamesAreTheTags(t *testing.T) {
	tags := func(v any) []string {
		var names []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			names = append(names, name)
		}
		return names
	}
	var a exportAnswer
	for _, c := range []struct {
		names []string
		v     any
	}{
		{payloadNames, a}, {resultNames, a.Result}, {valueNames, a.Result.ReturnValue},
		{basicNames, a.Result.ReturnValue.Basic}, {codeNames, wireCode{}},
	} {
		if got := tags(c.v); !slices.Equal(c.names, got) {
			t.Errorf("%T: the codec reads %q, the tags are %q", c.v, c.names, got)
		}
	}
}

// The generic decoder never panics and fails only with a *couponkit.Error.
func FuzzDecodeCall(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"film_fcode_merchant_send_response":{"result":{"return_code":"0"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, simplify := range []bool{false, true} {
			c := &Client{simplify: simplify}
			r := &topRequest{key: ResponseKey(MethodExportQuery)}
			resp := &transport.Response{StatusCode: 200, Body: body}
			data, err := c.open(nil, "", r, resp)
			if err != nil {
				var e *couponkit.Error
				if !errors.As(err, &e) || e.Message == "" {
					t.Fatalf("odd error %#v", err)
				}
				continue
			}
			if !json.Valid(data) {
				t.Fatalf("success with a payload that is not JSON: %q", data)
			}
			var out map[string]any
			_ = decodeOut(MethodExportQuery, data, &out)
		}
	})
}

// formParams reads a JSON object's members as the decoding into a map of
// raw values that it replaces did: strings unquoted, objects and arrays
// compacted, null left out, the last of a name given twice.
func FuzzFormParams(f *testing.F) {
	for _, s := range []string{`{"s":"文本 +&","n":1.50,"b":false,"obj":{ "ext_order_id" : "K1", "each_num": [1, 2] },"nil":null}`,
		`{"a":1,"a":"2"}`, `{"\u0061":"x","e":"\ud800"}`, `{}`, `[]`, `{"o":{"k":"v\n"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if jsonx.Check(b) != nil {
			return
		}
		got, err := formParams(b)
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) != nil || m == nil {
			if err == nil {
				t.Fatalf("%s: read as params %v", b, got)
			}
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		var want []sign.Param
		for _, k := range slices.Sorted(maps.Keys(m)) {
			v := bytes.TrimSpace(m[k])
			switch {
			case string(v) == "null":
				continue
			case v[0] == '"':
				var s string
				_ = json.Unmarshal(v, &s)
				v = []byte(s)
			case v[0] == '{' || v[0] == '[':
				var buf bytes.Buffer
				_ = json.Compact(&buf, v)
				v = buf.Bytes()
			}
			want = append(want, sign.Param{Key: k, Value: string(v)})
		}
		slices.SortFunc(got, func(a, b sign.Param) int { return strings.Compare(a.Key, b.Key) })
		if !slices.Equal(got, want) {
			t.Fatalf("%s:\n got %q\nwant %q", b, got, want)
		}
	})
}

// appendQueryEscape writes what url.QueryEscape writes.
func FuzzAppendQueryEscape(f *testing.F) {
	for _, s := range []string{"", "2019-12-01 08:00:00", "订单 1+1&2=3", "a~b_c.d-e", "\x00\xff%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendQueryEscape([]byte("x="), s)), "x="+url.QueryEscape(s); got != want {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	})
}

func FuzzThrottleWindow(f *testing.F) {
	f.Add("This ban will last for 71 more seconds")
	f.Add("This ban will last for 1 more second")
	f.Add("will last for  more seconds")
	f.Add("will last for 99999999999999999999 more seconds")
	f.Fuzz(func(t *testing.T, s string) {
		d := throttleWindow(s)
		if d < 0 {
			t.Fatalf("%q: negative window", s)
		}
		if d > 0 && !strings.Contains(s, "will last for ") {
			t.Fatalf("%q: window from nothing", s)
		}
	})
}

func TestThrottleWindow(t *testing.T) {
	for s, want := range map[string]time.Duration{
		"This ban will last for 71 more seconds":          71 * time.Second,
		"This ban will last for 1 more second":            time.Second,
		"This ban will last for 31062 more seconds":       31062 * time.Second,
		"will last for x more seconds":                    0,
		"This ban will last for 5 seconds":                0,
		"":                                                0,
		"will last for 99999999999999999999 more seconds": 0,
	} {
		if got := throttleWindow(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}
