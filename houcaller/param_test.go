package houcaller

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/money"
)

// referenceParam is the business JSON as encoding/json writes it; appendParam
// must write the same bytes without reflection.
type referenceParam struct {
	CardInfoID  string     `json:"cardInfoId"`
	SaleTime    string     `json:"saleTime"`
	SaleUser    string     `json:"saleUser,omitempty"`
	Num         int        `json:"num,string"`
	SaleOrgCode string     `json:"saleOrgCode,omitempty"`
	PayAmt      money.Yuan `json:"payAmt"`
	SaleNo      string     `json:"saleNo"`
	MemberID    string     `json:"memberId"`
}

func FuzzAppendParamMatchesEncodingJSON(f *testing.F) {
	f.Add("L68F353AD0019", "1345", "526", "1234567892", "L38E1ASJP00Q4", int64(1122), 3, int64(1623830535))
	f.Add("卡<&>", "", "", "\"\\\b\f\n\r\t\x00\x1f\x7f", "\u2028\u2029\ufffd", int64(0), 1, int64(0))
	f.Add("\xff\xfe", "a\xc3", "\xe2\x80", "x", "y", int64(-5), 100, int64(-62135596800))
	f.Fuzz(func(t *testing.T, card, user, org, saleNo, member string, fen int64, count int, unix int64) {
		r := &SellCardRequest{CardInfoID: card, SaleTime: time.Unix(unix, 0), SaleUser: user, SaleOrgCode: org,
			PayAmount: couponkit.Fen(fen), SaleNo: saleNo, MemberID: member, Count: count}
		want, err := jsonx.Marshal(referenceParam{CardInfoID: card, SaleTime: cntime.Format(r.SaleTime), SaleUser: user,
			Num: count, SaleOrgCode: org, PayAmt: money.Yuan(r.PayAmount), SaleNo: saleNo, MemberID: member})
		require.NoError(t, err)
		assert.Equal(t, string(want), string(r.appendParam(nil, saleNo)))
	})
}

func TestHexLen(t *testing.T) {
	t.Parallel()
	for _, pad := range []Padding{PKCS5, ZeroPadding} {
		c, err := NewClient(Config{Gateway: TestGateway, Channel: "c", DESKey: "12345678", Padding: pad})
		require.NoError(t, err)
		for n := 0; n < 40; n++ {
			assert.Equal(t, len(c.cipher.EncryptHex(make([]byte, n))), c.hexLen(n), "padding %v, %d bytes", pad, n)
		}
	}
}

func TestParseStamp(t *testing.T) {
	t.Parallel()
	bj := cntime.Location()
	cases := map[string]time.Time{
		"":                    {},
		"0":                   {},
		"1623830535000":       time.Date(2021, 6, 16, 16, 2, 15, 0, bj),
		"1623830535":          time.Date(2021, 6, 16, 16, 2, 15, 0, bj),
		"1623830535000.0":     time.Date(2021, 6, 16, 16, 2, 15, 0, bj),
		"2021-06-16 16:02:15": time.Date(2021, 6, 16, 16, 2, 15, 0, bj),
	}
	for in, want := range cases {
		got, err := parseStamp(in)
		require.NoError(t, err, in)
		assert.True(t, want.Equal(got), "%q: %v", in, got)
	}
	for _, bad := range []string{"x", "2021-06-16", "1.5", "2021-13-16 16:02:15"} {
		_, err := parseStamp(bad)
		assert.Error(t, err, bad)
	}
}
