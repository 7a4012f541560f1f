package zvcms

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// FuzzOpen feeds arbitrary bodies to the envelope reader (members found in
// place) and to the reference decoder (encoding/json, see
// reference_test.go): they never panic, agree on whether a body is a
// definite answer, on its status, code, message and data (none for absent,
// null and ""); a success is exactly status true with code 0, and anything
// else is a *couponkit.Error.
func FuzzOpen(f *testing.F) {
	for _, s := range []string{
		`{ "status": "true", "code": "0", "message": "说明", "data": { "beginAt": "2019-08-24 00:00:00", "cardId": "390913445498200065", "couponType": "0", "updatedAt": "2019-10-15 17:10:2", "useStatus": "0", "templateId": "951", "endAt": "2019-11-03 23:59:59", "extra": "" } }`,
		`{"status":true,"code":0,"data":[{"useStatus":1,"couponType":8,"templateId":895,"createdAt":1571130628000}]}`,
		`{ "status": true, "code": "异常编码", "message": "异常说明:查询的信息不存在" }`,
		`{ "status": false, "code": "系统错误编码", "message": "token错误" }`,
		`{"status":"true","code":"0","data":null}`,
		`{"status":"true","code":"0","data":""}`,
		`{"status":1,"code":"00","data":[]}`,
		`{"Status":"true","CODE":"0","data":[1],"data":"x"}`,
		"{\"status\":\"true\",\"code\":\"0\",\"message\":\"\xff\"}",
		`[]`, `null`, `{"status":{}}`, ``, `{"status":"true","code":"0"} x`, `{"status":"true","code":"0"}`,
		`{"status":"yes","code":"0"}`, `{"status":"true","message":"?"}`,
	} {
		f.Add([]byte(s))
	}
	c, err := NewClient(Config{Gateway: "https://zvcms.test", OpenID: "o", OpenKey: "k", GrantCode: "g"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		data, err := c.open(opQuery, "", nil, &transport.Response{StatusCode: 200, Body: body})
		if err != nil {
			if _, ok := err.(*couponkit.Error); !ok {
				t.Fatalf("error %T is not a *couponkit.Error", err)
			}
			if data != nil {
				t.Fatal("data with an error")
			}
		}
		ref, rerr := refParseEnvelope(body)
		env, perr := parseEnvelope(body)
		if (rerr == nil) != (perr == nil) {
			t.Fatalf("%q: reference error %v, reader error %v", body, rerr, perr)
		}
		if rerr != nil {
			return
		}
		if string(env.Status) != string(ref.Status) || string(env.Code) != string(ref.Code) || string(env.Message) != string(ref.Message) {
			t.Fatalf("%q: envelope %q %q %q, reference %q %q %q", body, env.Status, env.Code, env.Message, ref.Status, ref.Code, ref.Message)
		}
		rd := string(bytes.TrimSpace(ref.Data))
		if rd == "null" || rd == `""` {
			rd = ""
		}
		if rd != string(env.Data) {
			t.Fatalf("%q: data %q, reference %q", body, env.Data, rd)
		}
		if success := ref.ok() && isZero(string(ref.Code)); success != (err == nil) || success != (env.OK && isZero(env.Code)) {
			t.Fatalf("%q: success %v, error %v", body, success, err)
		}
	})
}

// FuzzCouponData feeds arbitrary data to the answers of getCustomerCoupons
// and getCustomerCouponList as transport.Send decodes them: they never
// panic; the shape is the one the data's first byte and a reference probe
// of its list member (encoding/json) say; a complete answer lists only
// coupons with a cardId and times in Beijing time, and a {list, total} of
// getCustomerCoupons at least its total.
func FuzzCouponData(f *testing.F) {
	for _, s := range []string{
		`{ "beginAt": "2019-08-24 00:00:00", "cardId": "390913445498200065", "couponType": "0", "updatedAt": "2019-10-15 17:10:2", "useStatus": "0", "templateId": "951", "endAt": "2019-11-03 23:59:59", "extra": "" }`,
		`[{"cardId":390913445498200065,"useStatus":1,"couponType":8,"templateId":895,"createdAt":1571130628000,"extra":{"a":[1]}}]`,
		`{"list":[{"cardId":"390913445498200065","couponNo":"N1","couponType":0,"endTime":"2019-11-03 23:59:59","templateId":"895","templateName":"满50减10","useStatus":0}],"total":1}`,
		`{"list":[{"cardId":"A"}],"total":"3"}`, `{"list":null,"cardId":"A"}`, `{"LIST":[],"total":null}`,
		`{"list":[{"cardId":"A","useStatus":"x","useStatus":1,"title":"","templateName":"T"}],"list":[{"cardId":"B"}]}`,
		`[{"cardId":""}]`, `{"title":"blank"}`, `[null]`, `"x"`, `[1e5]`, `{"list":{},"total":1}`,
		`[{"cardId":"C","beginAt":"2019-02-29 00:00:00"}]`, "[{\"cardId\":\"\xff\"}]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return // Open hands over only data of a body that is valid JSON
		}
		var q couponsAnswer
		var p pageAnswer
		qerr, perr := json.Unmarshal(data, &q), json.Unmarshal(data, &p)
		if (qerr == nil) != (perr == nil) {
			t.Fatalf("%q: the answers decode differently: %v, %v", data, qerr, perr)
		}
		if qerr != nil {
			return
		}
		want := shapeArray
		if v := bytes.TrimSpace(data); v[0] == '{' {
			var probe struct{ List json.RawMessage }
			if json.Unmarshal(v, &probe) != nil {
				t.Fatalf("%q: the reference probe does not decode", data)
			}
			want = shapeCoupon
			if l := string(bytes.TrimSpace(probe.List)); l != "" && l != "null" {
				want = shapeList
			}
		}
		if q.shape != want || p.shape != want {
			t.Fatalf("%q: shape %d (page %d), reference %d", data, q.shape, p.shape, want)
		}
		if q.Complete() == nil {
			list := coupons(q.list)
			if q.shape == shapeList && q.total.ok && int64(len(list)) < q.total.n {
				t.Fatalf("%q: %d coupons of total %d", data, len(list), q.total.n)
			}
			for _, cp := range list {
				if cp.CardID == "" {
					t.Fatalf("%q: a coupon without a cardId", data)
				}
				for _, tm := range [...]time.Time{cp.BeginAt, cp.EndAt, cp.CreatedAt, cp.UpdatedAt} {
					if _, off := tm.Zone(); !tm.IsZero() && off != 8*3600 {
						t.Fatalf("%q: time %v not in Beijing time", data, tm)
					}
				}
			}
		}
		if p.Complete() == nil && p.shape == shapeCoupon {
			t.Fatalf("%q: a page from one coupon object", data)
		}
	})
}

// FuzzWriteOffParams holds writeOffCoupon's params, the one place a wire
// struct writes JSON of its own (ext: the typed fields, then Extra's
// members in key order; customerId and channelType as numbers when
// decimal), to encoding/json: the params are valid JSON, decode back to the
// values given, and ext's members come in that order.
func FuzzWriteOffParams(f *testing.F) {
	f.Add("383933091455959041", "3", "订单\"1\"\\\n\u2028", "table", "7")
	f.Add("c1", "pos", "", "note", "")
	f.Add("0123", "-1", "<&>", "", "x")
	f.Add("9223372036854775808", "0", "\xff", "a", "\x00")
	f.Add("0", "0", "0", "\xff", "0")    // a key that is not UTF-8: written as U+FFFD
	f.Add("0", "0", "0", "\xc2", "\xb0") // key and value, not UTF-8 each, are "°" together
	f.Fuzz(func(t *testing.T, customer, channelType, orderNo, key, value string) {
		req := &WriteOffRequest{BizID: "B", Channel: "ch", CustomerID: customer, CardIDs: []string{"A"},
			Ext: WriteOffExt{ChannelType: channelType, OrderNo: orderNo, Extra: map[string]any{key: value, "zz": 1}}}
		if req.validate() != nil {
			return
		}
		var p writeOffParams
		req.params(&p, "B")
		b, err := jsonx.Marshal(&p)
		if err != nil || !json.Valid(b) {
			t.Fatalf("%q: %v", b, err)
		}
		var back struct {
			CustomerID json.RawMessage            `json:"customerId"`
			Ext        map[string]json.RawMessage `json:"ext"`
		}
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q: %v", b, err)
		}
		checkIntText(t, "customerId", back.CustomerID, customer)
		checkIntText(t, "channelType", back.Ext["channelType"], channelType)
		var gotOrder, gotValue string
		if orderNo != "" {
			_ = json.Unmarshal(back.Ext["orderNo"], &gotOrder)
		}
		_ = json.Unmarshal(back.Ext[key], &gotValue)
		if utf8.ValidString(orderNo) && gotOrder != orderNo || utf8.ValidString(key) && utf8.ValidString(value) && gotValue != value || string(back.Ext["zz"]) != "1" {
			t.Fatalf("%q: ext %q", b, back.Ext)
		}
		// The members' order: typed fields as sent, then Extra's sorted.
		var want []string
		for _, k := range extFields {
			if k == "channelType" && channelType != "" || k == "orderNo" && orderNo != "" {
				want = append(want, k)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(req.Ext.Extra)) {
			want = append(want, string([]rune(k))) // an invalid byte is U+FFFD, as encoding/json writes it
		}
		if got := memberNames(t, b, "ext"); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: ext members %q, want %q", b, got, want)
		}
	})
}

// checkIntText checks that raw is s as intText writes it: a JSON number
// when s is a decimal integer, a string holding s otherwise.
func checkIntText(t *testing.T, name string, raw json.RawMessage, s string) {
	t.Helper()
	if s == "" {
		if raw != nil {
			t.Fatalf("%s: %s for an empty value", name, raw)
		}
		return
	}
	n, err := strconv.ParseUint(s, 10, 63)
	if decimal := err == nil && strconv.FormatUint(n, 10) == s; decimal {
		if string(raw) != s {
			t.Fatalf("%s: %s, want the number %s", name, raw, s)
		}
		return
	}
	var got string
	if err := json.Unmarshal(raw, &got); err != nil || utf8.ValidString(s) && got != s {
		t.Fatalf("%s: %s, want the string %q (%v)", name, raw, s, err)
	}
}

// memberNames returns the names of the members of b's object member name,
// in order.
func memberNames(t *testing.T, b []byte, name string) []string {
	t.Helper()
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(b, &outer); err != nil {
		t.Fatal(err)
	}
	var names []string
	jsonx.EachMember(outer[name], func(n, _ []byte) bool {
		names = append(names, string(n))
		return true
	})
	return names
}
