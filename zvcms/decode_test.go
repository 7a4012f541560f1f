package zvcms

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// decodeCoupons decodes getCustomerCoupons' data as transport.Send does
// (encoding/json into the wire answer, then Complete) and converts it.
func decodeCoupons(data string) ([]Coupon, error) {
	var a couponsAnswer
	if err := json.Unmarshal([]byte(data), &a); err != nil {
		return nil, err
	}
	if err := a.Complete(); err != nil {
		return nil, err
	}
	return coupons(a.list), nil
}

// TestDecodeCouponSpellings reads one coupon in every spelling the wire
// types keep lenient for: integers as the page's strings and as numbers, ids as
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
			got, err := decodeCoupons(`[` + tc.coupon + `]`)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("%d coupons", len(got))
			}
			g := got[0]
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
// an error saying what is wrong (the unreadable answer's message quotes the
// data, so the field); a coupon without a cardId is no coupon.
func TestDecodeCouponRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ coupon, err string }{
		{`{"cardId":"C","useStatus":"1.0"}`, `not an integer of int: "1.0"`},
		{`{"useStatus":"0"}`, `coupon 0: no cardId in the answer`},
		{`{"cardId":"","title":"T"}`, `coupon 0: no cardId in the answer`},
		{`{"cardId":null}`, `coupon 0: no cardId in the answer`},
		{`null`, `coupon 0: no cardId in the answer`},
		{`{"cardId":"A"},{"title":"blank"}`, `coupon 1: no cardId in the answer`},
		{`{"cardId":"C","templateId":"9223372036854775808"}`, `not an integer of int`},
		{`{"cardId":"C","couponType":true}`, `not an integer of int: "true"`},
		{`{"cardId":"C","beginAt":"2019-02-29 00:00:00"}`, `not a time: "2019-02-29 00:00:00"`},
		{`{"cardId":"C","endAt":"2019-10-15 24:00:00"}`, `not a time`},
		{`{"cardId":{"a":1}}`, `want a string, number, bool or null`},
		{`1e5`, `of type zvcms.wireCoupon`}, // Go 1.27 names the element (".0") where Go 1.26 says "Go value"
	} {
		_, err := decodeCoupons(`[` + tc.coupon + `]`)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want %q", tc.coupon, err, tc.err)
		}
	}
}

// TestDecodeCouponListShapes reads getCustomerCoupons' data in each shape:
// an array, one coupon object (the vendor's page), the vendor family's
// {list, total}, where the last of a repeated member counts; and refuses
// what is no coupon list.
func TestDecodeCouponListShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		data  string
		cards []string
		err   string
	}{
		{`[]`, nil, ""},
		{`{"list":[],"total":0}`, nil, ""},
		{`{"cardId":"A","useStatus":"0"}`, []string{"A"}, ""},
		{`{"list":[{"cardId":"A"},{"cardId":"B"}],"total":"2"}`, []string{"A", "B"}, ""},
		{`{"list":null,"cardId":"A"}`, []string{"A"}, ""},
		{`{"list":[{"cardId":"A"}],"list":[{"cardId":"B"}]}`, []string{"B"}, ""},
		{`{"list":[{"cardId":"A"}],"list":null,"cardId":"C"}`, []string{"C"}, ""},
		{`[{"cardId":"A","cardId":"B"}]`, []string{"B"}, ""},
		{`{"list":[{"cardId":"A"}],"total":3}`, nil, "lists 1 of total 3 coupons"},
		{`{"list":[{"cardId":"A"}],"total":3,"total":""}`, []string{"A"}, ""},
		{`{"list":[],"total":"x"}`, nil, `not an integer of int: "x"`},
		{`{"list":{},"total":1}`, nil, "cannot unmarshal object"},
		{`{}`, nil, "coupon 0: no cardId"},
		{`"x"`, nil, "data is neither an object nor an array"},
		{`5`, nil, "data is neither an object nor an array"},
	} {
		got, err := decodeCoupons(tc.data)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want %q", tc.data, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.data, err)
		case tc.err == "":
			var cards []string
			for _, c := range got {
				cards = append(cards, c.CardID)
			}
			if strings.Join(cards, ",") != strings.Join(tc.cards, ",") {
				t.Errorf("%s: cards %q, want %q", tc.data, cards, tc.cards)
			}
		}
	}
	var none couponsAnswer // data absent, null or ""
	if err := none.Complete(); err == nil || err.Error() != "no coupon list in the answer" {
		t.Errorf("no data: %v", err)
	}
}

// beijing reports whether t is zero or has the UTC+8 offset.
func beijing(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	_, off := t.Zone()
	return off == 8*3600
}
