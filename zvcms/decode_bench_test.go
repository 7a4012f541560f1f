package zvcms

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/internal/benchkit"
)

// decodeBody is an answer with n coupons in the vendor page's spelling.
func decodeBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"status":"true","code":"0","message":"成功","data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"beginAt":"2019-08-24 00:00:00","cardId":"3909134454982` + strconv.Itoa(10000+i) + `","channel":"naixue",` +
			`"couponId":"3909134455191` + strconv.Itoa(70000+i) + `","couponType":"` + strconv.Itoa(i%8) + `","createdAt":"2019-10-15 17:10:28",` +
			`"customerId":"383933091455959041","title":"满50减10","updatedAt":"2019-10-15 17:10:28","useStatus":"0",` +
			`"templateId":"951","endAt":"2019-11-03 23:59:59","extra":""}`)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// plainCoupon is a coupon with every value a string, as encoding/json
// decodes it without any leniency.
type plainCoupon struct {
	BeginAt    string `json:"beginAt"`
	CardID     string `json:"cardId"`
	Channel    string `json:"channel"`
	CouponID   string `json:"couponId"`
	CouponType string `json:"couponType"`
	CreatedAt  string `json:"createdAt"`
	CustomerID string `json:"customerId"`
	Title      string `json:"title"`
	UpdatedAt  string `json:"updatedAt"`
	UseStatus  string `json:"useStatus"`
	TemplateID string `json:"templateId"`
	EndAt      string `json:"endAt"`
	Extra      string `json:"extra"`
}

var bjt = time.FixedZone("CST", 8*3600)

// BenchmarkDecodeCoupons pairs (benchkit.Paired) decoding an answer into
// []Coupon as a typed call does (the envelope found in place, then data
// decoded into the wire answer as transport.Send decodes it, and converted)
// with encoding/json into plain string structs then strconv and
// time.ParseInLocation, as a hand-written client does: the decoding share
// of BenchmarkCalls' ratio, without the network.
func BenchmarkDecodeCoupons(b *testing.B) {
	for _, n := range []int{1, 20, 200} {
		body := decodeBody(n)
		sdk := func() error {
			env, err := parseEnvelope(body)
			if err != nil {
				return err
			}
			var a couponsAnswer // as transport.Send decodes it: an Unmarshaler gets data as Open found it
			if err := a.UnmarshalJSON(env.Data); err != nil {
				return err
			}
			if err := a.Complete(); err != nil {
				return err
			}
			if out := coupons(a.list); len(out) != n {
				return fmt.Errorf("%d coupons", len(out))
			}
			return nil
		}
		hand := func() error {
			var env struct {
				Status, Code, Message string
				Data                  []plainCoupon
			}
			if err := json.Unmarshal(body, &env); err != nil {
				return err
			}
			out := make([]Coupon, len(env.Data))
			for i, w := range env.Data {
				c := &out[i]
				c.CardID, c.CouponID, c.CustomerID, c.Channel, c.Title, c.Extra = w.CardID, w.CouponID, w.CustomerID, w.Channel, w.Title, w.Extra
				t, err1 := strconv.Atoi(w.CouponType)
				u, err2 := strconv.Atoi(w.UseStatus)
				tm, err3 := strconv.ParseInt(w.TemplateID, 10, 64)
				if err := errors.Join(err1, err2, err3); err != nil {
					return err
				}
				c.Type, c.UseStatus, c.TemplateID = CouponType(t), UseStatus(u), tm
				for _, f := range [...]struct {
					in  string
					out *time.Time
				}{{w.BeginAt, &c.BeginAt}, {w.EndAt, &c.EndAt}, {w.CreatedAt, &c.CreatedAt}, {w.UpdatedAt, &c.UpdatedAt}} {
					var err error
					if *f.out, err = time.ParseInLocation(time.DateTime, f.in, bjt); err != nil {
						return err
					}
				}
			}
			return nil
		}
		b.Run("coupons="+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			benchkit.Paired(b, sdk, hand)
		})
	}
}
