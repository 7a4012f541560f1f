package taobaofilm_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/token"
)

// TOP's published MD5 vector checks the test's own signer, which then checks
// every request the client sends in these tests.
func TestIndependentSignerPublishedVector(t *testing.T) {
	v := url.Values{}
	for k, s := range map[string]string{"method": "taobao.user.seller.get", "timestamp": "2013-05-06 13:52:03",
		"format": "xml", "app_key": "test", "v": "2.0", "fields": "nick", "sign_method": "md5", "session": "test"} {
		v.Set(k, s)
	}
	assert.Equal(t, "72CB4D809B375A54502C09360D879C64", independentSign(v, "test"))
}

type vector struct {
	Name   string            `json:"name"`
	Secret string            `json:"secret"`
	Params map[string]string `json:"params"`
	String string            `json:"string"`
	Sign   string            `json:"sign"`
	Body   string            `json:"body"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	require.NoError(t, err)
	var vs []vector
	require.NoError(t, json.Unmarshal(b, &vs))
	require.Len(t, vs, 5)
	return vs
}

// vectorTime is 2024-06-01 08:00:00 Beijing time, given in another zone so
// the client has to convert it.
var vectorTime = time.Date(2024, 5, 31, 20, 0, 0, 0, time.FixedZone("EDT", -4*3600))

// The whole request (every parameter, the signature and the exact body
// bytes) matches vectors computed with Python, for the three sign methods,
// with Chinese text, spaces, '+', '&' and empty values.
func TestRequestVectors(t *testing.T) {
	vs := loadVectors(t)
	ok := `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"basic":{"mix_id":"code_8ebc4e741689bbc1","total_count":0},"has_next":false}}}}`
	for _, v := range vs[:3] {
		t.Run(v.Name, func(t *testing.T) {
			p := v.Params
			c, rec := mockClient(t, taobaofilm.Config{
				AppKey: p["app_key"], AppSecret: v.Secret, Session: p["session"], PartnerID: p["partner_id"],
				SignMethod: taobaofilm.SignMethod(p["sign_method"]), Simplify: p["simplify"] == "true",
			}, testclock.New(vectorTime), answer{200, ok})
			seq := int64(100)
			_, err := c.ExportCodes(context.Background(), &taobaofilm.ExportRequest{
				MixID: p["mix_id"], PartnerCode: p["partner_code"], OperateType: taobaofilm.OperateAll,
				Params: map[string]any{"备注": "影院 A+B & C"}, LastSequence: &seq,
			})
			require.NoError(t, err)
			require.Equal(t, 1, rec.count())
			assert.Equal(t, v.Body, string(rec.body(0)))
			got := rec.form(t, 0)
			assert.Equal(t, v.Sign, got.Get("sign"))
			got.Del("sign")
			want := url.Values{}
			for k, s := range p {
				want.Set(k, s)
			}
			assert.Equal(t, want, got)
		})
	}
	for _, v := range vs[3:] {
		t.Run(v.Name, func(t *testing.T) {
			_, keep := v.Params["memo"]
			c, rec := mockClient(t, taobaofilm.Config{AppKey: v.Params["app_key"], AppSecret: v.Secret, KeepEmptyParams: keep},
				testclock.New(vectorTime), answer{200, `{"film_fcode_merchant_send_response":{"request_id":"r1"}}`})
			_, err := c.Call(context.Background(), "taobao.film.fcode.merchant.send",
				map[string]string{"order_no": "订单 1+1", "mobile": "138 0000 0000", "memo": ""}, nil)
			require.NoError(t, err)
			assert.Equal(t, v.Body, string(rec.body(0)))
			assert.Equal(t, v.Sign, rec.form(t, 0).Get("sign"))
		})
	}
}

// The session a TokenSource gives is signed where the vectors (computed
// with Python, the session among the sorted params) put it: the same
// signature and the same form pairs, byte for byte, as with Config.Session,
// the session's space, '+' and '&' escaped; a retry carries it again,
// signed with the retry's timestamp.
func TestRequestVectorsWithTokenSource(t *testing.T) {
	ok := `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"basic":{"mix_id":"code_8ebc4e741689bbc1","total_count":0},"has_next":false}}}}`
	for _, v := range loadVectors(t)[:3] {
		t.Run(v.Name, func(t *testing.T) {
			p := v.Params
			require.NotEmpty(t, p["session"])
			clk := testclock.New(vectorTime)
			c, rec := mockClient(t, taobaofilm.Config{
				AppKey: p["app_key"], AppSecret: v.Secret, TokenSource: token.Static(p["session"]), PartnerID: p["partner_id"],
				SignMethod: taobaofilm.SignMethod(p["sign_method"]), Simplify: p["simplify"] == "true",
			}, clk, answer{503, `busy`}, answer{200, ok})
			seq := int64(100)
			_, err := c.ExportCodes(context.Background(), &taobaofilm.ExportRequest{
				MixID: p["mix_id"], PartnerCode: p["partner_code"], OperateType: taobaofilm.OperateAll,
				Params: map[string]any{"备注": "影院 A+B & C"}, LastSequence: &seq,
			})
			require.NoError(t, err)
			require.Equal(t, 2, rec.count())
			pairs := func(body string) []string {
				out := strings.Split(body, "&")
				slices.Sort(out)
				return out
			}
			assert.Equal(t, pairs(v.Body), pairs(string(rec.body(0))))
			first := rec.form(t, 0)
			assert.Equal(t, v.Sign, first.Get("sign"))
			second := rec.form(t, 1)
			assert.Equal(t, p["session"], second.Get("session"))
			want := vectorTime.Add(clk.Sleeps()[0]).In(time.FixedZone("", 8*3600)).Format("2006-01-02 15:04:05")
			assert.Equal(t, want, second.Get("timestamp"))
			assert.Equal(t, independentSign(second, v.Secret), second.Get("sign"))
		})
	}
}

// The vectors' signatures are what the test's own signer computes, so the
// signer can be trusted on requests the vectors do not cover.
func TestVectorsAgreeWithIndependentSigner(t *testing.T) {
	for _, v := range loadVectors(t) {
		q, err := url.ParseQuery(v.Body)
		require.NoError(t, err)
		assert.Equal(t, v.Sign, independentSign(q, v.Secret), v.Name)
	}
}

// Every attempt carries a fresh timestamp in Beijing time and a signature over
// exactly the parameters sent, for each sign method.
func TestEveryAttemptSignedAfresh(t *testing.T) {
	for _, m := range []taobaofilm.SignMethod{taobaofilm.SignMD5, taobaofilm.SignHMAC, taobaofilm.SignHMACSHA256, ""} {
		t.Run(string(m), func(t *testing.T) {
			clk := testclock.New(vectorTime)
			c, rec := mockClient(t, taobaofilm.Config{SignMethod: m}, clk,
				answer{503, `busy`},
				answer{200, `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"basic":{"mix_id":"code_8ebc4e741689bbc1","total_count":0},"has_next":false}}}}`})
			_, err := c.ExportCodes(context.Background(), &taobaofilm.ExportRequest{MixID: "m", PartnerCode: "p", OperateType: taobaofilm.OperateConsume})
			require.NoError(t, err)
			require.Equal(t, 2, rec.count())
			first, second := rec.form(t, 0), rec.form(t, 1)
			assert.Equal(t, "2024-06-01 08:00:00", first.Get("timestamp"))
			want := vectorTime.Add(clk.Sleeps()[0]).In(time.FixedZone("", 8*3600)).Format("2006-01-02 15:04:05")
			assert.Equal(t, want, second.Get("timestamp"))
			for _, f := range []url.Values{first, second} {
				assert.Equal(t, independentSign(f, "s3cr3t+密钥&"), f.Get("sign"))
				wantMethod := string(m)
				if m == "" {
					wantMethod = "hmac-sha256"
				}
				assert.Equal(t, wantMethod, f.Get("sign_method"))
				assert.Equal(t, "2.0", f.Get("v"))
				assert.Equal(t, "json", f.Get("format"))
				assert.Equal(t, "12345678", f.Get("app_key"))
				assert.Equal(t, "CONSUME", f.Get("operate_type"))
				assert.NotContains(t, f, "params")
				assert.NotContains(t, f, "session")
				assert.NotContains(t, f, "simplify")
			}
			assert.Equal(t, "application/x-www-form-urlencoded;charset=utf-8", rec.headers[0].Get("Content-Type"))
		})
	}
}

// A timestamp TOP cannot carry (the clock outside years 0000-9999) is a
// ValidationError, and nothing is sent.
func TestTimestampOutOfRange(t *testing.T) {
	t.Parallel()
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)))
	_, err := c.Call(context.Background(), "taobao.film.x", nil, nil)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "timestamp", ve.Field)
	assert.Equal(t, 0, rec.count())
}
