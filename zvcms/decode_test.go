package zvcms

import (
	"strings"
	"testing"
	"time"
)

// TestDecodeCouponSpellings reads one coupon in every spelling the decoder
// keeps lenient for: integers as the page's strings and as numbers, ids as
// numbers (the sibling platform), times padded, unpadded, date-only and as
// epoch milliseconds, escaped strings, extra as a string, null or JSON, and
// names in another case.
func TestDecodeCouponSpellings(t *testing.T) {
	t.Parallel()
	bj := time.FixedZone("UTC+8", 8*3600)
	for _, tc := range []struct {
		name, coupon string
		want         Coupon
	}{
		{"page strings", `{"cardId":"390913445498200065","couponType":"5","useStatus":"1","templateId":"951","beginAt":"2019-08-24 00:00:00","updatedAt":"2019-10-15 17:10:2","extra":""}`,
			Coupon{CardID: "390913445498200065", Type: CouponTypeGoods, UseStatus: UseStatusRedeemed, TemplateID: 951,
				BeginAt: time.Date(2019, 8, 24, 0, 0, 0, 0, bj), UpdatedAt: time.Date(2019, 10, 15, 17, 10, 2, 0, bj)}},
		{"numbers", `{"cardId":390913445498200065,"couponType":5,"useStatus":1,"templateId":951,"createdAt":1571130628000,"endAt":"2019-11-3","extra":null,"title":null}`,
			Coupon{CardID: "390913445498200065", Type: CouponTypeGoods, UseStatus: UseStatusRedeemed, TemplateID: 951,
				CreatedAt: time.Date(2019, 10, 15, 17, 10, 28, 0, bj), EndAt: time.Date(2019, 11, 3, 0, 0, 0, 0, bj)}},
		{"escapes and json extra", `{"title":"\u6ee150\"\u51cf\"10","channel":"nai\/xue","extra":{"k": [1, "a"]},"CARDID":"A"}`,
			Coupon{CardID: "A", Title: `满50"减"10`, Channel: "nai/xue", Extra: `{"k": [1, "a"]}`}},
		{"empty values", `{"cardId":"C","couponType":"","templateId":null,"beginAt":"","extra":7}`,
			Coupon{CardID: "C", Extra: "7"}},
		{"vendor family names", `{"cardId":"C","couponNo":"N-1","templateName":"满50减10","endTime":"2019-11-03 23:59:59","templateId":"895"}`,
			Coupon{CardID: "C", CouponNo: "N-1", Title: "满50减10", TemplateID: 895, EndAt: time.Date(2019, 11, 3, 23, 59, 59, 0, bj)}},
		{"page names win", `{"endTime":"2019-1-1","title":"T","templateName":"N","endAt":"2019-11-03 23:59:59","cardId":"C"}`,
			Coupon{CardID: "C", Title: "T", EndAt: time.Date(2019, 11, 3, 23, 59, 59, 0, bj)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"status":"true","code":"0","data":[` + tc.coupon + `]}`
			var got CustomerCoupons
			env, dataErr, err := parseEnvelope([]byte(body), &couponsAnswer{out: &got})
			if err != nil || dataErr != nil || env.Status != "true" {
				t.Fatalf("%v %v %q", err, dataErr, env.Status)
			}
			if len(got.Coupons) != 1 {
				t.Fatalf("%d coupons", len(got.Coupons))
			}
			g := got.Coupons[0]
			for _, p := range [][2]*time.Time{{&g.BeginAt, &tc.want.BeginAt}, {&g.EndAt, &tc.want.EndAt}, {&g.CreatedAt, &tc.want.CreatedAt}, {&g.UpdatedAt, &tc.want.UpdatedAt}} {
				if !p[0].Equal(*p[1]) || !beijing(*p[0]) {
					t.Errorf("time %v, want %v", *p[0], *p[1])
				}
				*p[0], *p[1] = time.Time{}, time.Time{}
			}
			if g != tc.want {
				t.Errorf("got %#v\nwant %#v", g, tc.want)
			}
		})
	}
}

// TestDecodeCouponRefusals: values that are not what the vendor sends are
// an error naming the coupon and the field; JSON that does not parse is an
// envelope error even after a bad field.
func TestDecodeCouponRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ coupon, data, env string }{
		{`{"cardId":"C","useStatus":"1.0"}`, `coupon 0: useStatus: not an integer: "1.0"`, ""},
		{`{"useStatus":"0"}`, `coupon 0: no cardId`, ""},
		{`{"cardId":"","title":"T"}`, `coupon 0: no cardId`, ""},
		{`{"cardId":null}`, `coupon 0: no cardId`, ""},
		{`null`, `coupon 0: want an object, got "null"`, ""},
		{`{"cardId":"C","templateId":"9223372036854775808"}`, `coupon 0: templateId: not an integer`, ""},
		{`{"cardId":"C","couponType":true}`, `coupon 0: couponType: not an integer: "true"`, ""},
		{`{"cardId":"C","beginAt":"2019-02-29 00:00:00"}`, `coupon 0: beginAt: bad time "2019-02-29 00:00:00"`, ""},
		{`{"cardId":"C","endAt":"2019-10-15 24:00:00"}`, `coupon 0: endAt: bad time`, ""},
		{`{"cardId":{"a":1}}`, `want a string, number, bool or null`, ""},
		{`{"useStatus":"x"} 1`, "", "invalid character '1' after array element"},
		{`{"useStatus":"x",}`, "", "looking for beginning of object key string"},
		{`1e5`, `coupon 0: want an object, got "1e5"`, ""},
	} {
		body := `{"status":"true","code":"0","data":[` + tc.coupon + `]}`
		var got CustomerCoupons
		_, dataErr, err := parseEnvelope([]byte(body), &couponsAnswer{out: &got})
		switch {
		case tc.env != "":
			if err == nil || !strings.Contains(err.Error(), tc.env) {
				t.Errorf("%s: envelope error %v, want %q", tc.coupon, err, tc.env)
			}
		case err != nil || dataErr == nil || !strings.Contains(dataErr.Error(), tc.data):
			t.Errorf("%s: error %v, data error %v, want %q", tc.coupon, err, dataErr, tc.data)
		}
	}
}
