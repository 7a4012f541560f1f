package ebuy

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// FuzzBatchContentMatchesEncodingJSON holds the hand codec of
// batchActivateCode's and batchUnActivateCode's content to the bytes
// transport.Send would write with encoding/json for the same wire params
// (jsonx.Marshal: compact, no HTML escaping), for any codes (escapes,
// invalid UTF-8, U+2028, '<', '&'), any optional field set or not, and
// times in or out of the years a CompactTime can write (both then fail).
func FuzzBatchContentMatchesEncodingJSON(f *testing.F) {
	f.Add("1031000000000000001\n1031000000000000002", "上海", "S001", 3, int64(1715911200), int64(1735660799), int64(500), "4339", true)
	f.Add("", "", "", 0, int64(0), int64(0), int64(0), "", false)
	f.Add("a\"b\\c\n<d>&e\u2028f\xff\x01", "o<&>", "\t", -2, int64(-62167248000), int64(253402300800), int64(-1), "0\x00", true)
	f.Fuzz(func(t *testing.T, codes, org, shop string, days int, start, end, amount int64, brand string, nilCodes bool) {
		var list []string
		if !nilCodes || codes != "" {
			list = strings.Split(codes, "\n")
		}
		p := &activateParams{CodeArray: list, CodeValidDays: days, MakeFundsChannel: &wireFunds{MerchantBenefit: wiretype.Fen(amount), UserRealAmount: wiretype.Fen(-amount)}}
		if org != "" || shop != "" {
			p.ActivateInfo = &wireActivateInfo{Org: org, ShopNo: shop}
		}
		if start != 0 {
			p.CodeValidStart = wiretype.CompactTime(time.Unix(start, 0))
		}
		if end != 0 {
			p.CodeValidEnd = wiretype.CompactTime(time.Unix(end, 0))
		}
		if amount == 0 {
			p.MakeFundsChannel = nil
		}
		want, wantErr := jsonx.Marshal(p)
		got, err := p.encoded()
		if wantErr != nil {
			require.Error(t, err, "encoding/json refused %+v", p)
		} else {
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
		}

		d := &deactivateParams{BrandID: brand, CodeArray: list}
		want, err = jsonx.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(d.encoded()))
	})
}

func TestBatchContentIsCanonical(t *testing.T) {
	t.Parallel()
	at := wiretype.CompactTime(time.Date(2024, 5, 17, 10, 0, 0, 0, time.UTC))
	p := &activateParams{&wireActivateInfo{"o", "s"}, []string{"b", "a"}, 3, at, at, (&Funds{1, 2, 3, 4, 5, 6, 7, 8, 9}).wire()}
	b, err := p.encoded()
	require.NoError(t, err)
	canon, err := jsonx.CanonicalBytes(b)
	require.NoError(t, err)
	assert.Equal(t, string(canon), string(b))
	d := (&deactivateParams{"4339", []string{"b", "a"}}).encoded()
	canon, err = jsonx.CanonicalBytes(d)
	require.NoError(t, err)
	assert.Equal(t, string(canon), string(d))
}

// BenchmarkActivateContent is the measurement behind the hand codec: one
// batchActivateCode call of n codes through transport.Send, its content
// written by encoding/json (the sdk side, as every other call's params)
// against the hand codec (the hand side), interleaved with benchkit.Paired,
// over an in-memory transport and loopback. A ratio above 1 is the time
// encoding/json costs the whole call:
//
//	go test ./ebuy -run '^$' -bench BenchmarkActivateContent -benchtime 3s
func BenchmarkActivateContent(b *testing.B) {
	const uuid = "20240517-0123456789abcdef0123456789abcdef"
	answer, err := wire.Signed([]wire.Field{wire.Str("action", apiActivate), wire.Raw("content", []byte(`{"codeNum":1,"createDate":1715911200000}`)),
		wire.Raw("success", []byte("true")), wire.Raw("timestamp", []byte("1715911200456")), wire.Str("uuid", uuid)}, "bench-secret")
	require.NoError(b, err)
	srv := httptest.NewServer(benchkit.Handler(answer, benchkit.Fixed))
	b.Cleanup(srv.Close)
	for _, net := range []string{"memory", "loopback"} {
		var opts []couponkit.Option
		gw := srv.URL
		if net == "memory" {
			gw = benchkit.MemoryURL
			opts = append(opts, couponkit.WithTransport(benchkit.NewRoundTripper(answer, benchkit.Fixed)))
		}
		c, err := NewClient(Config{Gateway: gw, AppID: "bench", AppSecret: "bench-secret"}, opts...)
		require.NoError(b, err)
		b.Cleanup(func() { _ = c.Close() })
		for _, n := range []int{20, 200, 10000} {
			codes := make([]string, n)
			for i := range codes {
				codes[i] = strconv.Itoa(1031000000000000000 + i)
			}
			req := &ActivateCodesRequest{Codes: codes}
			send := func(params any) error {
				var a codeBatchAnswer
				_, err := transport.Send(context.Background(), &c.typed, opActivate, uuid, params, &a)
				return err
			}
			viaJSON := func() error { return send(req.params(codes)) }
			viaHand := func() error {
				p, err := req.params(codes).encoded()
				if err != nil {
					return err
				}
				return send(p)
			}
			b.Run("net="+net+"/codes="+strconv.Itoa(n)+"/json-vs-hand", func(b *testing.B) { benchkit.Paired(b, viaJSON, viaHand) })
		}
	}
}
