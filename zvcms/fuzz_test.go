package zvcms

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// FuzzDecodeResponse feeds arbitrary bodies to the envelope and coupon
// decoder and to the reference decoder (encoding/json, see
// reference_test.go): they never panic, agree on whether a body is a
// definite answer, on its status, code, message and data, and on the
// coupons decoded or that they do not decode; a success is exactly status
// true with code 0, and every decoded time is in Beijing time.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range []string{
		`{ "status": "true", "code": "0", "message": "说明", "data": { "beginAt": "2019-08-24 00:00:00", "cardId": "390913445498200065", "couponType": "0", "updatedAt": "2019-10-15 17:10:2", "useStatus": "0", "templateId": "951", "endAt": "2019-11-03 23:59:59", "extra": "" } }`,
		`{"status":true,"code":0,"data":[{"useStatus":1,"couponType":8,"templateId":895,"createdAt":1571130628000}]}`,
		`{ "status": true, "code": "异常编码", "message": "异常说明:查询的信息不存在" }`,
		`{ "status": false, "code": "系统错误编码", "message": "token错误" }`,
		`{"status":"true","code":"0","data":null}`,
		`{"status":"true","code":"0","data":""}`,
		`{"status":1,"code":"00","data":[]}`,
		`{"status":"true","code":"0","data":{"beginAt":"2019-8-4","extra":{"a":[1]}}}`,
		`{"status":"true","code":"0","data":[{"cardId":"A","customerId":"C","channel":"x"},{"cardId":"B","customerId":"C","channel":"x"},null]}`,
		`{"Status":"true","CODE":"0","data":[{"CardID":"A\u00e9\ud83d\ude00","title":"\"q\"","extra":[1,{"b":null}],"templateId":"-9223372036854775808"}]}`,
		`{"status":"true","code":"0","data":[{"beginAt":"2019-02-29 00:00:00","endAt":"2019-13-01 00:00:00"}]}`,
		`{"status":"true","code":"0","data":[{"useStatus":"1.5"}],"data":[{"useStatus":true}]}`,
		"{\"status\":\"true\",\"code\":\"0\",\"data\":[{\"title\":\"\xff\"}]}",
		`[]`, `null`, `{"status":{}}`, ``, `{"status":"true","code":"0"} x`, `{"status":"true","code":"0","data":[1e5]}`,
		`{"status":"true","code":"0"}`,
		`{"status":true,"code":0,"data":{"list":[{"cardId":"390913445498200065","couponNo":"N1","couponType":0,"endTime":"2019-11-03 23:59:59","templateId":"895","templateName":"满50减10","useStatus":0}],"total":1}}`,
		`{"status":true,"code":0,"data":{"list":[{"cardId":"A"}],"total":"3"}}`,
		`{"status":true,"code":0,"data":{"list":null,"cardId":"A"}}`,
		`{"status":true,"code":0,"data":{"LIST":[],"total":null}}`,
		`{"status":true,"code":0,"data":{"list":[{"cardId":"A","useStatus":"x","useStatus":1,"title":"","templateName":"T"}],"list":[{"cardId":"B"}]}}`,
		`{"status":"true","code":"0","data":[{"cardId":""}]}`,
		`{"status":"true","code":"0","data":{"title":"blank"}}`,
	} {
		f.Add([]byte(s))
	}
	c, err := NewClient(Config{Gateway: "https://zvcms.test", OpenID: "o", OpenKey: "k", GrantCode: "g"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got CustomerCoupons
		data, err := c.open(opQuery, "", &request{data: &couponsAnswer{out: &got}}, &transport.Response{StatusCode: 200, Body: body})
		if err != nil {
			if _, ok := err.(*couponkit.Error); !ok {
				t.Fatalf("error %T is not a *couponkit.Error", err)
			}
			if data != nil {
				t.Fatal("data with an error")
			}
		}

		// The reference: the envelope, then data again.
		ref, rerr := refParseEnvelope(body)
		env, _, perr := parseEnvelope(body, nil)
		if (rerr == nil) != (perr == nil) {
			t.Fatalf("%q: reference error %v, decoder error %v", body, rerr, perr)
		}
		if rerr != nil {
			return
		}
		if env.Status != ref.Status || env.Code != ref.Code || env.Message != ref.Message {
			t.Fatalf("%q: envelope %q %q %q, reference %q %q %q", body, env.Status, env.Code, env.Message, ref.Status, ref.Code, ref.Message)
		}
		if rd := string(bytes.TrimSpace(ref.Data)); rd != string(env.Data) && !(rd == "null" && env.Data == nil) {
			t.Fatalf("%q: data %q, reference %q", body, env.Data, rd)
		}
		success := ref.Status.Bool() && isZero(string(ref.Code))
		if !success {
			if err == nil {
				t.Fatalf("success without status true and code 0: %q", body)
			}
			return
		}
		list, lerr := refDecodeCoupons(ref.Data)
		if (lerr == nil) != (err == nil) {
			t.Fatalf("%q: reference coupons error %v, decoder error %v", body, lerr, err)
		}
		if lerr != nil {
			return
		}
		if !reflect.DeepEqual(list, got.Coupons) {
			t.Fatalf("%q: coupons\n%#v\nreference\n%#v", body, got.Coupons, list)
		}
		for _, cp := range got.Coupons {
			for _, tm := range [...]time.Time{cp.BeginAt, cp.EndAt, cp.CreatedAt, cp.UpdatedAt} {
				if !beijing(tm) {
					t.Fatalf("time %v not in Beijing time", tm)
				}
			}
		}
	})
}

// FuzzDecodePage feeds arbitrary bodies to the decoder of a coupon list
// page (getCustomerCouponList) and to the reference decoder: they agree on
// whether a success is readable, on its coupons and on its total, and a
// readable success always has a list whose coupons all have a cardId.
func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{
		`{"status":true,"code":0,"data":{"list":[{"cardId":"390913445498200065","couponNo":"N1","couponType":0,"endTime":"2019-11-03 23:59:59","templateId":"895","templateName":"满50减10","useStatus":0}],"total":95}}`,
		`{"status":"true","code":"0","data":{"list":[],"total":"0"}}`,
		`{"status":"true","code":"0","data":[{"cardId":"A"},{"cardId":"B","title":"t"}]}`,
		`{"status":"true","code":"0","data":{"total":3}}`,
		`{"status":"true","code":"0","data":{"list":null,"total":3}}`,
		`{"status":"true","code":"0","data":{"list":[null],"total":1}}`,
		`{"status":"true","code":"0","data":{"list":{"cardId":"A"}}}`,
		`{"status":"true","code":"0","data":{"list":[{"cardId":"A"}],"total":"x","total":2}}`,
		`{"status":"true","code":"0","data":{"list":[{"cardId":{}}],"list":[{"cardId":"B"}]}}`,
		`{"status":"true","code":"0","data":{"list":[],"total":{}}}`,
		`{"status":"true","code":"0","data":""}`,
		`{"status":"true","code":"0","data":null}`,
		`{"status":"true","code":"0"}`,
		`{"status":false,"code":500,"message":"系统繁忙"}`,
	} {
		f.Add([]byte(s))
	}
	c, err := NewClient(Config{Gateway: "https://zvcms.test", OpenID: "o", OpenKey: "k", GrantCode: "g"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var p couponPage
		_, err := c.open(c.opList, "", &request{data: &p}, &transport.Response{StatusCode: 200, Body: body})
		ref, rerr := refParseEnvelope(body)
		if rerr != nil || !(ref.Status.Bool() && isZero(string(ref.Code))) {
			if err == nil {
				t.Fatalf("%q: a success from a body the reference refuses (%v)", body, rerr)
			}
			return
		}
		list, total, lerr := refDecodePage(ref.Data)
		if (lerr == nil) != (err == nil) {
			t.Fatalf("%q: reference error %v, decoder error %v", body, lerr, err)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(list, p.coupons) || total != p.total {
			t.Fatalf("%q: coupons %#v total %d\nreference %#v total %d", body, p.coupons, p.total, list, total)
		}
		for _, cp := range p.coupons {
			if cp.CardID == "" {
				t.Fatalf("%q: a coupon without a cardId", body)
			}
		}
	})
}

// FuzzParams checks that the hand-written JSON of a query and a redemption
// is valid and decodes back to the strings given.
func FuzzParams(f *testing.F) {
	f.Add("383933091455959041", "390913445498200065", "naixue", "订单\"1\"\\\n\u2028")
	f.Add("", "", "", "")
	f.Add("\xff\xfe", "<&>", "\x00", "\t")
	f.Fuzz(func(t *testing.T, customer, card, channel, order string) {
		q := &CustomerCouponsRequest{CustomerID: customer, CardID: card, UseStatus: UseStatusFrozen.Ptr()}
		b, err := q.params()
		if err == nil {
			var back struct {
				CustomerID string `json:"customerId"`
				CardID     string `json:"cardId"`
				UseStatus  int    `json:"useStatus"`
			}
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("query params %q: %v", b, err)
			}
			if utf8.ValidString(customer) && back.CustomerID != customer || utf8.ValidString(card) && back.CardID != card || back.UseStatus != 2 {
				t.Fatalf("query params %q decode to %+v", b, back)
			}
		}
		w := &WriteOffRequest{BizID: "b", Channel: channel, CustomerID: customer, CardIDs: []string{card}, Ext: WriteOffExt{OrderNo: order}}
		b, err = w.params(w.BizID)
		if err != nil {
			return
		}
		var back struct {
			Channel string            `json:"channel"`
			Cards   []string          `json:"couponsCardList"`
			Ext     map[string]string `json:"ext"`
		}
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("write-off params %q: %v", b, err)
		}
		if utf8.ValidString(channel) && back.Channel != channel || utf8.ValidString(card) && back.Cards[0] != card ||
			utf8.ValidString(order) && back.Ext["orderNo"] != order {
			t.Fatalf("write-off params %q decode to %+v", b, back)
		}
	})
}

// FuzzParseTime: parseTime never panics and answers in Beijing time.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2019-10-15 17:10:2", "2019-08-24 00:00:00", "2019-8-4", "1571130628", "1571130628000", "", "2019-10-15 17:10:02.123", "24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := parseTime(s)
		if err != nil || tm.IsZero() {
			return
		}
		if !beijing(tm) {
			t.Fatalf("%q parsed as %v", s, tm)
		}
	})
}

// beijing reports whether t is zero or has the UTC+8 offset.
func beijing(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	_, off := t.Zone()
	return off == 8*3600
}
