package taobaofilm

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
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

// The decoder never panics, reads both shapes whatever it tries first, and
// gives the same result into a reused (dirty) buffer as into a fresh one.
func FuzzDecodeExport(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	dirtyBody := []byte(fuzzSeeds[0])
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, plain := range []bool{false, true} {
			fresh, err := decodeExport(body, plain, nil)
			_, err2 := decodeExport(body, !plain, nil)
			if (err == nil) != (err2 == nil) {
				t.Fatalf("shape order changes success: %v / %v", err, err2)
			}
			dirty, _ := decodeExport(dirtyBody, plain, nil)
			buf := make([]wireCode, 0, 4)
			if dirty != nil {
				buf = dirty.codes[:0]
			}
			reused, err3 := decodeExport(body, plain, buf)
			if (err == nil) != (err3 == nil) {
				t.Fatalf("buffer reuse changes success: %v / %v", err, err3)
			}
			if err != nil {
				continue
			}
			if fresh.topErr == nil && fresh.returnCode == "" {
				t.Fatal("success without a return code")
			}
			if len(fresh.codes) != len(reused.codes) {
				t.Fatalf("codes %d vs %d with a reused buffer", len(fresh.codes), len(reused.codes))
			}
			for i := range fresh.codes {
				if fresh.codes[i] != reused.codes[i] {
					t.Fatalf("code %d: %+v vs %+v with a reused buffer", i, fresh.codes[i], reused.codes[i])
				}
			}
			if fresh.topErr != nil {
				e := (&Client{}).apiError(fresh.topErr)
				if e.Message == "" || e.RetryAfter < 0 {
					t.Fatalf("bad error %+v", e)
				}
			}
		}
	})
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

// parseBeijing agrees with time.ParseInLocation on every exact input and
// accepts nothing time.ParseInLocation refuses.
func FuzzParseBeijing(f *testing.F) {
	for _, s := range []string{"2019-12-01 00:00:00", "2019-12-02 23:59:59", "2020-02-29 12:00:00", "2019-02-29 00:00:00",
		"2019-13-01 00:00:00", "2019-12-01 24:00:00", "2019-12-01", "2019-12-32", "0000-01-01 00:00:00", "2019-12-01T00:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) != len(cntime.Layout) && len(s) != len(cntime.DateLayout) {
			return
		}
		layout := cntime.Layout
		if len(s) == len(cntime.DateLayout) {
			layout = cntime.DateLayout
		}
		got, ok := parseBeijing([]byte(s))
		want, err := time.ParseInLocation(layout, s, cntime.Location())
		if ok && (err != nil || !got.Equal(want)) {
			t.Fatalf("%q: parseBeijing %v, time.Parse %v %v", s, got, want, err)
		}
		// time.Parse is laxer (runs of spaces, one-digit hours): every input
		// in the exact layout must parse.
		if !ok && err == nil && want.Format(layout) == s {
			t.Fatalf("%q: parseBeijing refused an exact time", s)
		}
	})
}

// flexInt agrees with strconv.ParseInt on plain and quoted integers.
func FuzzFlexInt(f *testing.F) {
	for _, s := range []string{"0", "-1", "2", `"400"`, `""`, "null", "1e3", "-", "123456789012345678", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := flexInt([]byte(s))
		var inner string
		if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
			inner = s[1 : len(s)-1]
			if inner == "" {
				if err != nil || got != 0 {
					t.Fatalf("%q: want 0", s)
				}
				return
			}
		} else {
			inner = s
		}
		if s == "null" {
			return
		}
		if err == nil {
			want, perr := strconv.ParseInt(inner, 10, 64)
			if perr != nil || want != got {
				t.Fatalf("%q: %d, strconv says %d %v", s, got, want, perr)
			}
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
