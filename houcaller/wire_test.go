package houcaller_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

const listAnswer = `{"msg":"操作成功","code":0,"data":{"list":[{"cpnCodes":["L6SA36A6V0009","L6SA36A740035","L6SA36A750068"],"cpnId":"L68F353AD0019"}]}}`

// TestSellCardWireMatchesOpenSSL compares the whole request body with
// ciphertexts computed by openssl (testdata/vectors.json).
func TestSellCardWireMatchesOpenSSL(t *testing.T) {
	t.Parallel()
	vs := loadVectors(t)
	second := &houcaller.SellCardRequest{
		CardInfoID: "L68F353AD0019",
		SaleTime:   time.Date(2024, 2, 29, 23, 59, 59, 0, time.FixedZone("Beijing", 8*3600)),
		PayAmount:  5,
		SaleNo:     `单号<&>"1`,
		MemberID:   "会员-42",
		Count:      1,
	}
	cases := []struct {
		vector string
		cfg    houcaller.Config
		req    *houcaller.SellCardRequest
	}{
		{"vendor example ecb", houcaller.Config{}, exampleSale()},
		{"vendor example cbc", houcaller.Config{CipherMode: houcaller.CBC, IV: testIV}, exampleSale()},
		{"non-ascii ecb", houcaller.Config{}, second},
		{"non-ascii cbc", houcaller.Config{CipherMode: houcaller.CBC, IV: testIV}, second},
		{"vendor example ecb zero padding", houcaller.Config{Padding: houcaller.ZeroPadding}, exampleSale()},
	}
	for _, tc := range cases {
		t.Run(tc.vector, func(t *testing.T) {
			t.Parallel()
			v, ok := vs[tc.vector]
			require.True(t, ok)
			require.Equal(t, testKey, v.Key)
			c, mt, _ := mockClient(t, tc.cfg)
			var rec recorder
			mt.RegisterResponder("POST", saleURL, rec.responder(200, listAnswer))
			_, err := c.SellCard(context.Background(), tc.req)
			require.NoError(t, err)
			require.Len(t, rec.bodies, 1)
			assert.Equal(t, `{"param":"`+v.CipherHex+`","channel":"hkl-test","timestamp":"1623893916291"}`, rec.bodies[0])
			assert.Equal(t, "application/json", rec.reqs[0].Header.Get("Content-Type"))
		})
	}
}

// TestCiphertextProperties checks what PROTOCOLS.md notes of the vendor's
// ciphertexts: lengths are the next multiple of 8 bytes, and (no random IV)
// equal plaintext prefixes give equal leading blocks.
func TestCiphertextProperties(t *testing.T) {
	t.Parallel()
	// The vendor's own request example.
	vendorParam := "781E7D56D95BBCC906124F9BAAD053064602F59B0C3110C8F935AB80DA86B45CFDB3C452B0499CD469C576DA877DFB8402193D65625AA65B3A3B06F319942F62CF76D1C7CFF8BAEF1234100A31369FF480D2D24C448409F4AC39D28CA92B083F5F072FC4313474C1AD8AB552D6DA75D16590D6C5746E3DCDB65D21F1E3BDF72459C4441766FAF20E998F68AB7F5BFDF98C7163BACEBDF82C3D0BC952116918A7"
	assert.Zero(t, len(vendorParam)%16, "whole 8-byte blocks")
	assert.Equal(t, strings.ToUpper(vendorParam), vendorParam)

	for _, mode := range []houcaller.Config{{}, {CipherMode: houcaller.CBC, IV: testIV}} {
		t.Run(mode.CipherMode.String(), func(t *testing.T) {
			t.Parallel()
			params := func(req *houcaller.SellCardRequest) string {
				c, mt, _ := mockClient(t, mode)
				var rec recorder
				mt.RegisterResponder("POST", saleURL, rec.responder(200, listAnswer))
				_, err := c.SellCard(context.Background(), req)
				require.NoError(t, err)
				return parseWire(t, []byte(rec.bodies[0])).Param
			}
			// Lengths: plaintext n bytes -> (n/8+1)*8 bytes with PKCS5.
			for _, user := range []string{"", "1", "12", "1234567", "12345678", "123456789"} {
				req := exampleSale()
				req.SaleUser = user
				n := len(`{"cardInfoId":"L68F353AD0019","saleTime":"2021-06-16 16:02:15","num":"3","saleOrgCode":"526","payAmt":"11.22","saleNo":"1234567892","memberId":"L38E1ASJP00Q4"}`)
				if user != "" {
					n += len(`"saleUser":"",`) + len(user)
				}
				p := params(req)
				assert.Equal(t, 2*(n/8+1)*8, len(p), "saleUser %q", user)
				assert.Regexp(t, `^[0-9A-F]+$`, p)
			}
			// Shared prefix: the two requests differ from saleNo on, which is
			// byte 130 of the plaintext, so the first 16 blocks are equal.
			a, b := exampleSale(), exampleSale()
			b.SaleNo = "9999999999"
			pa, pb := params(a), params(b)
			prefix := len(`{"cardInfoId":"L68F353AD0019","saleTime":"2021-06-16 16:02:15","saleUser":"1345","num":"3","saleOrgCode":"526","payAmt":"11.22","saleNo":"`)
			blocks := prefix / 8
			assert.Equal(t, pa[:blocks*16], pb[:blocks*16])
			assert.NotEqual(t, pa[blocks*16:], pb[blocks*16:])
		})
	}
}

// TestMoneyRoundTrip sends amounts through the fake and back: exact on the
// wire as a string with two decimals, exact in the member-card record.
func TestMoneyRoundTrip(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{Shape: houcallertest.DataBoth}, nil)
	for i, amount := range []string{"11.22", "0.05", "0.10", "100", "99999999.99", "0", "0.3"} {
		fen, err := couponkit.ParseYuan(amount)
		require.NoError(t, err)
		req := exampleSale()
		req.SaleNo = "M" + string(rune('0'+i))
		req.PayAmount = fen
		res, err := c.SellCard(context.Background(), req)
		require.NoError(t, err, amount)

		reqs := srv.Requests()
		plain, err := srv.Decrypt(parseWire(t, reqs[len(reqs)-1].Body).Param)
		require.NoError(t, err)
		var p map[string]any
		require.NoError(t, json.Unmarshal(plain, &p))
		assert.Equal(t, fen.Yuan(), p["payAmt"], "payAmt is a JSON string with two decimals")

		sale, ok := srv.Sale(req.SaleNo)
		require.True(t, ok)
		assert.Equal(t, fen, sale.PayAmount)
		require.NotNil(t, res.Card)
		assert.Equal(t, fen, res.Card.PayAmount, amount)
		assert.Contains(t, string(res.Meta.Raw), `"payAmt":`+fen.Yuan(), "the record sends a number")
	}
	assert.Contains(t, func() string {
		plain, _ := srv.Decrypt(parseWire(t, srv.Requests()[0].Body).Param)
		return string(plain)
	}(), `"payAmt":"11.22"`)
}

// TestThrottledSaleRetriedWithSameSaleNo: a 429 means the gateway refused
// before acting, so the sale is sent again with the same param (same saleNo)
// and a fresh timestamp.
func TestThrottledSaleRetriedWithSameSaleNo(t *testing.T) {
	t.Parallel()
	c, mt, clk := mockClient(t, houcaller.Config{})
	var rec recorder
	mt.RegisterResponder("POST", saleURL, rec.sequence(
		answer{429, `{"code":429,"msg":"too many requests"}`},
		answer{200, listAnswer}))
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	assert.Equal(t, 200, res.Meta.HTTPStatus)
	require.Len(t, rec.bodies, 2)
	first, second := parseWire(t, []byte(rec.bodies[0])), parseWire(t, []byte(rec.bodies[1]))
	assert.Equal(t, first.Param, second.Param, "same business JSON, same saleNo")
	assert.Equal(t, "1623893916291", first.Timestamp)
	assert.Regexp(t, `^\d{13}$`, second.Timestamp)
	assert.NotEqual(t, first.Timestamp, second.Timestamp, "fresh timestamp per attempt")
	var waited time.Duration
	for _, d := range clk.Sleeps() {
		waited += d
	}
	assert.GreaterOrEqual(t, waited, time.Second, "the throttle window is waited out")
}
