package houcaller

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/internal/jsonx"
)

// memberCouponsSeeds are listings' data: the vendor's example, the fake's
// shapes, and what the codec leaves to encoding/json.
var memberCouponsSeeds = []string{
	`{"list":[{"begDate":"2020-01-17","cacStatus":0,"content":"","cpnCode":"7270000006699","cpnId":"","cpnName":"新会员20元全场券","cpnType":"0","cpnid":"H3UA24SI6830","cpnids":[],"endDate":"2020-04-15","id":"K1H93QDM600F0","mmbid":"K1H93QDKI00B7","openid":"oEv-It_aoh7mzEinzyPhnR0-uVc41","orgName":"","orgUse":0,"orgcode":"","picUrl":"/upload_img/20170718/170718_2021456830.jpg","sellScene":"reg","status":0,"timeLimit":"","useTime":"","weekLimit":""},{"cpnCode":"7270200006680","cpnid":"H3UA24SI6831","status":"2","useTime":"2020-03-01 12:00:00"}]}`,
	`{"list":[]}`,
	`{"list":null}`,
	`{}`,
	` { "list" : [ null , {"cpnCode":12345,"id":7,"status":null,"begDate":null} ] } `,
	`{"list":[{"cpnCode":"a\u0062\"c","cpnName":"\ud83d\ude00\u00e9","content":null,"openid":"x\\y"}]}`,
	`{"List":[{"cpnCode":"1"}]}`,
	`{"list":[{"CPNCODE":"1"}]}`,
	`{"list":[{"cpnCode":"1","cpnCode":"2"}]}`,
	`{"list":[{"cpnCode":"1"}],"list":[]}`,
	`{"list":[{"cpnName":5}]}`,
	`{"list":[{"status":"x"}]}`,
	`{"list":[{"begDate":"not a date"}]}`,
	`{"list":[{"cpnCode":{"a":1}}]}`,
	`{"list":[1]}`,
	`{"list":{"a":1}}`,
	`{"list":"x"}`,
	`[]`,
	`null`,
	`"x"`,
	`{"li\u0073t":[{"cpn\u0043ode":"1","cpnid":"a","cpnId":"b"}]}`,
}

// The codec reads every listing's data as encoding/json reads
// memberCouponsAnswer: the same success or failure (with the same message),
// the same values.
func FuzzMemberCouponsCodec(f *testing.F) {
	for _, s := range memberCouponsSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if jsonx.Check(b) != nil {
			return // transport.Send hands the codec valid JSON only
		}
		var ref memberCouponsAnswer
		refErr := json.Unmarshal(b, &ref)
		var got memberCouponsData
		err := got.UnmarshalJSON(b)
		if (err == nil) != (refErr == nil) || err != nil && err.Error() != refErr.Error() {
			t.Fatalf("codec: %v; encoding/json: %v", err, refErr)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(got.memberCouponsAnswer, ref) {
			t.Fatalf("codec read\n%+v\nencoding/json read\n%+v", got.memberCouponsAnswer, ref)
		}
	})
}

// The codec reads the vendor's example and the fake's listings in its own
// pass, not through encoding/json.
func TestMemberCouponsCodecReadsListingsItself(t *testing.T) {
	for i, s := range memberCouponsSeeds[:6] {
		var d memberCouponsData
		if !d.read([]byte(s)) {
			t.Errorf("seed %d left to encoding/json", i)
		}
	}
}

// The codec reads each object's members under the names of its fields'
// tags, in field order.
func TestMemberCouponsCodecNamesAreTheTags(t *testing.T) {
	tags := func(v any) []string {
		var names []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			names = append(names, name)
		}
		return names
	}
	for _, c := range []struct {
		names []string
		v     any
	}{
		{memberCouponsNames, memberCouponsAnswer{}}, {memberCouponNames, wireMemberCoupon{}},
	} {
		if got := tags(c.v); !slices.Equal(c.names, got) {
			t.Errorf("%T: the codec reads %q, the tags are %q", c.v, c.names, got)
		}
	}
}
