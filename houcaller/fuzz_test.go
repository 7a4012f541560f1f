package houcaller_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

// FuzzSaleParamRoundTrip encrypts arbitrary sales and decrypts them as the
// gateway does: the business JSON comes back field for field.
func FuzzSaleParamRoundTrip(f *testing.F) {
	f.Add("1234567892", "L38E1ASJP00Q4", "1345", int64(1122), 3, false)
	f.Add(`单号<&>"1`, "会员\n-42", "", int64(5), 1, true)
	f.Add("12345678", "\x00\x7f\u2028", "\\", int64(0), 100, false)
	f.Add("\xc7", "\x80", "", int64(5), 1, false)
	srv := houcallertest.NewServer(houcallertest.Config{DESKey: testKey})
	defer srv.Close()
	cbc := houcallertest.NewServer(houcallertest.Config{DESKey: testKey, CipherMode: houcaller.CBC, IV: testIV})
	defer cbc.Close()
	f.Fuzz(func(t *testing.T, saleNo, memberID, user string, fen int64, count int, useCBC bool) {
		if strings.TrimSpace(saleNo) == "" || strings.TrimSpace(memberID) == "" || fen < 0 || count < 1 {
			return
		}
		cfg, dec := houcaller.Config{}, srv
		if useCBC {
			cfg, dec = houcaller.Config{CipherMode: houcaller.CBC, IV: testIV}, cbc
		}
		c, mt, _ := mockClient(t, cfg)
		var rec recorder
		mt.RegisterResponder("POST", saleURL, rec.responder(200, listAnswer))
		req := exampleSale()
		req.SaleNo, req.MemberID, req.SaleUser, req.PayAmount, req.Count = saleNo, memberID, user, couponkit.Fen(fen), count
		_, err := c.SellCard(context.Background(), req)
		if !utf8.ValidString(saleNo) || !utf8.ValidString(memberID) || !utf8.ValidString(user) {
			var ve *couponkit.ValidationError
			require.ErrorAs(t, err, &ve, "invalid UTF-8 would be altered on the wire")
			assert.Zero(t, mt.GetTotalCallCount())
			return
		}
		require.NoError(t, err)
		w := parseWire(t, []byte(rec.bodies[0]))
		plain, err := dec.Decrypt(w.Param)
		require.NoError(t, err)
		var got map[string]string
		require.NoError(t, json.Unmarshal(plain, &got))
		assert.Equal(t, saleNo, got["saleNo"])
		assert.Equal(t, memberID, got["memberId"])
		assert.Equal(t, user, got["saleUser"])
		assert.Equal(t, couponkit.Fen(fen).Yuan(), got["payAmt"])
		_, hasUser := got["saleUser"]
		assert.Equal(t, user != "", hasUser)
	})
}

// FuzzSellCardResponse feeds arbitrary bodies to the sale's decoder: it never
// panics, and success means code 0.
func FuzzSellCardResponse(f *testing.F) {
	f.Add(200, listAnswer)
	f.Add(200, `{"smg":"x","code":"12","data":[]}`)
	f.Add(200, `{"code":0,"data":{"id":1,"memberUsedList":[{"cycleDays":"3","endTime":"2022-06-16 16:02:15"}],"payAmt":"1.5"}}`)
	f.Add(200, `{"code":0,"data":{"list":null,"status":"x"}}`)
	f.Add(500, `{"code":0}`)
	f.Add(200, `{"code":0.0,"data":null}`)
	f.Add(200, `[]`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			return
		}
		c, mt, _ := mockClient(t, houcaller.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
		mt.RegisterResponder("POST", saleURL, httpmock.NewStringResponder(status, body))
		res, err := c.SellCard(context.Background(), exampleSale())
		if err != nil {
			assert.Nil(t, res)
			return
		}
		require.NotNil(t, res)
		var env struct {
			Code json.RawMessage `json:"code"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &env))
		// Zero as a number or a string holding an integer ("0", "+0", "-0", "00").
		assert.Regexp(t, `^("[+-]?0+"|-?0)$`, string(env.Code))
		assert.True(t, status < 300)
	})
}
