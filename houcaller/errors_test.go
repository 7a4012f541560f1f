package houcaller_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

func TestVendorErrorEnvelopes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body string
		code, msg  string
	}{
		{"msg and numeric code", `{"msg":"会员不存在","code":500,"data":null}`, "500", "会员不存在"},
		{"smg misspelling", `{"smg":"名牛卡已售罄","code":3001,"data":{}}`, "3001", "名牛卡已售罄"},
		{"string code", `{"msg":"参数错误","code":"-1"}`, "-1", "参数错误"},
		{"data of another shape", `{"msg":"失败","code":1,"data":"oops"}`, "1", "失败"},
		{"data list of another shape", `{"msg":"失败","code":1,"data":{"list":{"x":1}}}`, "1", "失败"},
		{"no message", `{"code":7}`, "7", "no message"},
		{"data with a bad time, code first", `{"code":2,"msg":"失败","data":{"id":"1","saleTime":"yesterday"}}`, "2", "失败"},
		{"data with a bad time, code last", `{"data":{"id":"1","saleTime":"yesterday"},"msg":"失败","code":2}`, "2", "失败"},
		{"escaped message", `{"msg":"\u4f1a\u5458\"x\"","code":9}`, "9", `会员"x"`},
		{"null message", `{"msg":null,"smg":"备用","code":9}`, "9", "备用"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := mockClient(t, houcaller.Config{})
			mt.RegisterResponder("POST", saleURL, httpmock.NewStringResponder(200, tc.body))
			res, err := c.SellCard(context.Background(), exampleSale())
			assert.Nil(t, res)
			var ce *couponkit.Error
			require.ErrorAs(t, err, &ce)
			assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "the vendor answered")
			assert.Equal(t, "houcaller", ce.Vendor)
			assert.Equal(t, "sendMncardForSale", ce.Operation)
			assert.Equal(t, tc.code, ce.Code)
			assert.Equal(t, tc.msg, ce.Message)
			assert.Equal(t, couponkit.FaultUnknown, ce.Fault, "undocumented codes are Unknown")
			assert.Equal(t, 200, ce.HTTPStatus)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "an Unknown fault is not retried")
		})
	}
}

func TestCodeFaultsClassifies(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{CodeFaults: map[string]couponkit.Fault{"4001": couponkit.FaultClient, "429": couponkit.FaultThrottle}})
	var rec recorder
	mt.RegisterResponder("POST", saleURL, rec.sequence(
		answer{200, `{"msg":"请求过于频繁","code":429}`},
		answer{200, `{"msg":"会员已冻结","code":4001}`}))
	_, err := c.SellCard(context.Background(), exampleSale())
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "4001", ce.Code)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.Len(t, rec.bodies, 2, "a throttle code is retried, even for a sale")
}

// An answer that is not a definite vendor answer leaves a sale's outcome
// unknown (with its saleNo, one request); a vendor envelope on a 4xx and an
// HTML page on a 4xx are definite refusals.
func TestUndecodableAndIncompleteResponses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body string
		status     int
		unknown    bool
		fault      couponkit.Fault
		contains   string
	}{
		{"html 502", "<html>bad gateway</html>", 502, true, couponkit.FaultServer, "does not decode"},
		{"not json", "ok", 200, true, couponkit.FaultUnknown, "does not decode"},
		{"no code", `{"msg":"操作成功","data":{"list":[]}}`, 200, true, couponkit.FaultUnknown, "no code"},
		{"code not an integer", `{"msg":"操作成功","code":"ok"}`, 200, true, couponkit.FaultUnknown, "not an integer"},
		{"success but bad data", `{"msg":"操作成功","code":0,"data":{"list":[{"cpnId":"X","cpnCodes":"notalist"}]}}`, 200, true, couponkit.FaultUnknown, "does not decode"},
		{"success but bad time", `{"msg":"操作成功","code":0,"data":{"id":"1","saleTime":"yesterday"}}`, 200, true, couponkit.FaultUnknown, "does not decode"},
		{"success but bad money", `{"msg":"操作成功","code":0,"data":{"id":"1","payAmt":11.225}}`, 200, true, couponkit.FaultUnknown, "does not decode"},
		{"success but empty money", `{"msg":"操作成功","code":0,"data":{"id":"1","payAmt":""}}`, 200, true, couponkit.FaultUnknown, "does not decode"},
		{"code an object", `{"msg":"操作成功","code":{"v":0},"data":{"list":[]}}`, 200, true, couponkit.FaultUnknown, "not an integer"},
		{"not an object", `[{"code":0}]`, 200, true, couponkit.FaultUnknown, "does not decode"},
		{"404 envelope", `{"code":404,"msg":"Not Found"}`, 404, false, couponkit.FaultClient, "Not Found"},
		{"404 html", `<html><body>404 Not Found</body></html>`, 404, false, couponkit.FaultClient, "does not decode"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := mockClient(t, houcaller.Config{})
			mt.RegisterResponder("POST", saleURL, httpmock.NewStringResponder(tc.status, tc.body))
			_, err := c.SellCard(context.Background(), exampleSale())
			var ce *couponkit.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.fault, ce.Fault)
			assert.Equal(t, tc.unknown, errors.Is(err, couponkit.ErrUnknownOutcome))
			if tc.unknown {
				key, _ := couponkit.IdempotencyKey(err)
				assert.Equal(t, "1234567892", key)
			}
			assert.Contains(t, err.Error(), tc.contains)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

func TestFakeAnswersAsTheVendorWould(t *testing.T) {
	t.Parallel()
	t.Run("wrong key", func(t *testing.T) {
		t.Parallel()
		c, srv, _ := fakeClient(t, houcallertest.Config{}, func(cfg *houcaller.Config) { cfg.DESKey = "wrongKey" })
		_, err := c.SellCard(context.Background(), exampleSale())
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "1003", ce.Code)
		assert.Equal(t, "参数解密失败", ce.Message)
		assert.NotContains(t, err.Error(), "wrongKey")
		assert.Empty(t, srv.Sales())
	})
	t.Run("wrong mode", func(t *testing.T) {
		t.Parallel()
		c, _, _ := fakeClient(t, houcallertest.Config{}, func(cfg *houcaller.Config) { cfg.CipherMode, cfg.IV = houcaller.CBC, testIV })
		_, err := c.SellCard(context.Background(), exampleSale())
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "1003", ce.Code)
	})
	t.Run("unknown channel", func(t *testing.T) {
		t.Parallel()
		c, _, _ := fakeClient(t, houcallertest.Config{}, func(cfg *houcaller.Config) { cfg.Channel = "other" })
		_, err := c.SellCard(context.Background(), exampleSale())
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "1002", ce.Code)
	})
	t.Run("unknown card", func(t *testing.T) {
		t.Parallel()
		c, srv, _ := fakeClient(t, houcallertest.Config{MisspellMsg: true, CodeAsString: true}, nil)
		req := exampleSale()
		req.CardInfoID = "NOPE"
		_, err := c.SellCard(context.Background(), req)
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "2001", ce.Code)
		assert.Equal(t, "名牛卡不存在: NOPE", ce.Message, "read from smg")
		assert.Contains(t, string(srv.Requests()[0].Body), `"channel":"hkl-test"`)
	})
	t.Run("injected vendor error", func(t *testing.T) {
		t.Parallel()
		c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
		srv.FailNext("500", "系统繁忙")
		_, err := c.SellCard(context.Background(), exampleSale())
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "500", ce.Code)
		assert.Equal(t, "系统繁忙", ce.Message)
		assert.Empty(t, srv.Sales(), "an injected failure does not act")
		_, err = c.SellCard(context.Background(), exampleSale())
		require.NoError(t, err, "the same saleNo may be sold after a refusal")
	})
	for name, body := range map[string]string{
		"garbage hex":   `{"channel":"hkl-test","timestamp":"1623893916291","param":"ZZ12"}`,
		"odd hex":       `{"channel":"hkl-test","timestamp":"1623893916291","param":"ABC"}`,
		"not blocks":    `{"channel":"hkl-test","timestamp":"1623893916291","param":"ABCD"}`,
		"bad timestamp": `{"channel":"hkl-test","timestamp":"1623893916","param":"ABCD"}`,
		"missing param": `{"channel":"hkl-test","timestamp":"1623893916291"}`,
		"not json":      `channel=hkl-test`,
		"unknown chan":  `{"channel":"x","timestamp":"1623893916291","param":"00"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := houcallertest.NewServer(houcallertest.Config{})
			defer srv.Close()
			resp, err := srv.Client().Post(srv.Gateway()+"/sendMncardForSale", "application/json", strings.NewReader(body))
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(resp.Body)
			assert.Regexp(t, `"code":(1001|1002|1003)`, buf.String())
			assert.Contains(t, buf.String(), `"msg":`)
		})
	}
}

func TestUnknownEndpointOnFake(t *testing.T) {
	t.Parallel()
	c, _, _ := fakeClient(t, houcallertest.Config{}, nil)
	_, err := c.Call(context.Background(), "noSuchThing", map[string]string{"a": "b"}, nil)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "404", ce.Code)
	assert.Equal(t, http.StatusNotFound, ce.HTTPStatus)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.Equal(t, "noSuchThing", ce.Operation)
}

// The DES key never appears in an error, even when the gateway echoes it.
func TestKeyRedactedFromErrors(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	mt.RegisterResponder("POST", saleURL, httpmock.NewStringResponder(200, `{"code":1,"msg":"key `+testKey+` rejected"}`))
	_, err := c.SellCard(context.Background(), exampleSale())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testKey)
	assert.Contains(t, err.Error(), "[redacted]")
}

func TestNewClientValidatesConfig(t *testing.T) {
	t.Parallel()
	good := houcaller.Config{Gateway: houcaller.TestGateway, Channel: "hkl-test", DESKey: testKey}
	cases := []struct {
		field string
		mod   func(*houcaller.Config)
	}{
		{"Gateway", func(c *houcaller.Config) { c.Gateway = "" }},
		{"Gateway", func(c *houcaller.Config) { c.Gateway = "crm.houcaller.com/openapi/v1" }},
		{"Gateway", func(c *houcaller.Config) { c.Gateway = "ftp://crm.houcaller.com/openapi/v1" }},
		{"Channel", func(c *houcaller.Config) { c.Channel = " " }},
		{"DESKey", func(c *houcaller.Config) { c.DESKey = "" }},
		{"DESKey", func(c *houcaller.Config) { c.DESKey = "sevenK!" }},
		{"DESKey", func(c *houcaller.Config) { c.DESKey = "secret-nine" }},
		{"IV", func(c *houcaller.Config) { c.IV = testIV }},
		{"IV", func(c *houcaller.Config) { c.CipherMode = houcaller.CBC }},
		{"IV", func(c *houcaller.Config) { c.CipherMode, c.IV = houcaller.CBC, "short" }},
		{"CipherMode", func(c *houcaller.Config) { c.CipherMode = 9 }},
		{"Padding", func(c *houcaller.Config) { c.Padding = 9 }},
	}
	for _, tc := range cases {
		cfg := good
		tc.mod(&cfg)
		c, err := houcaller.NewClient(cfg)
		assert.Nil(t, c)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
		assert.NotContains(t, err.Error(), "secret-nine")
		assert.NotContains(t, err.Error(), "sevenK!")
	}
	c, err := houcaller.NewClient(houcaller.Config{Gateway: houcaller.TestGateway + "/", Channel: "hkl-test", DESKey: testKey, CipherMode: houcaller.CBC, IV: testIV, Padding: houcaller.ZeroPadding})
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "Close may be called more than once")
}

// NewClient reports every invalid field at once, in a fixed order.
func TestNewClientReportsEveryField(t *testing.T) {
	t.Parallel()
	fields := func(err error) []string {
		var out []string
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var ve *couponkit.ValidationError
			require.ErrorAs(t, e, &ve)
			out = append(out, ve.Field)
		}
		return out
	}
	c, err := houcaller.NewClient(houcaller.Config{})
	assert.Nil(t, c)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Gateway", ve.Field)
	assert.Equal(t, []string{"Gateway", "Channel", "DESKey"}, fields(err))

	_, err = houcaller.NewClient(houcaller.Config{Gateway: "ftp://x", Channel: " ", DESKey: "secret-nine", IV: "x", Padding: 7})
	assert.Equal(t, []string{"Gateway", "Channel", "DESKey", "IV", "Padding"}, fields(err))
	assert.NotContains(t, err.Error(), "secret-nine")
	_, err = houcaller.NewClient(houcaller.Config{Gateway: houcaller.TestGateway, Channel: "c\xff", DESKey: testKey, CipherMode: 5})
	assert.Equal(t, []string{"Channel", "CipherMode"}, fields(err))
}

func TestEnumStrings(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "unused", houcaller.CouponUnused.String())
	assert.Equal(t, "redeemed", houcaller.CouponRedeemed.String())
	assert.Equal(t, "expired", houcaller.CouponExpired.String())
	assert.Equal(t, "refunded", houcaller.CouponRefunded.String())
	assert.Equal(t, "gifting", houcaller.CouponGifting.String())
	assert.Equal(t, "CouponStatus(5)", houcaller.CouponStatus(5).String())
	assert.Equal(t, "inactive", houcaller.CardInactive.String())
	assert.Equal(t, "CardStatus(0)", houcaller.CardStatus(0).String())
	assert.Equal(t, "ECB", houcaller.ECB.String())
	assert.Equal(t, "CBC", houcaller.CBC.String())
	assert.Equal(t, "PKCS5", houcaller.PKCS5.String())
	assert.Equal(t, "ZeroPadding", houcaller.ZeroPadding.String())
	assert.Equal(t, "Padding(4)", houcaller.Padding(4).String())
}
