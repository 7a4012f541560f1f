package taobaofilm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// issueAt is the instant of the wire tests: 08:00 in Beijing.
var issueAt = time.Date(2019, 12, 1, 0, 0, 0, 0, time.UTC)

// The sendcode request on the wire: one parameter holding the request as
// JSON, members as the field table of apiId 37323 names them.
func TestSendCodesWireBody(t *testing.T) {
	t.Parallel()
	body := `{"film_lottery_sendcode_response":{"result":{"return_code":"0","return_message":"success","return_value":` +
		`{"f_code_merchant_info_list":{"f_code_merchant_vo":[{"code":"2X2QFKTZD2K","cost_price":400,"gen_task_id":9,"gmt_expire":"2019-12-02 23:59:59"},` +
		`{"code":"3Y3RGLU2E3L","cost_price":400,"gen_task_id":9,"gmt_expire":"2019-12-02 23:59:59"}]}}},"request_id":"r-1"}}`
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(issueAt), answer{200, body})
	res, err := c.SendCodes(context.Background(), &taobaofilm.SendCodesRequest{
		MixID: "code_8ebc4e741689bbc1", PartnerCode: "xuexiqiangguo", ExtOrderID: "ORDER-1", Number: 2, EachCount: 1,
		UserIDs: []string{"2200012345", "2200067890"}, UserIDType: taobaofilm.UserIDTaobao, OutUID: "u1", OutUserName: "张三",
		OrderTime: issueAt, Feature: "f",
	})
	require.NoError(t, err)
	p := rec.form(t, 0)
	assert.Equal(t, "taobao.film.lottery.sendcode", p.Get("method"))
	assert.Equal(t, `{"each_num":1,"ext_order_id":"ORDER-1","feature":"f","mix_id":"code_8ebc4e741689bbc1","number":2,`+
		`"order_time":"2019-12-01 08:00:00","out_uid":"u1","out_user_name":"张三","partner_code":"xuexiqiangguo",`+
		`"user_id_list":"2200012345|2200067890","user_id_type":"TAOBAO"}`, p.Get("param_f_code_merchant_send_code_request"))
	assert.Equal(t, "2019-12-01 08:00:00", p.Get("timestamp"))
	assert.Equal(t, independentSign(p, "s3cr3t+密钥&"), p.Get("sign"))
	assert.Equal(t, "ORDER-1", res.ExtOrderID)
	assert.Equal(t, "r-1", res.Meta.RequestID)
	require.Len(t, res.Codes, 2)
	assert.Equal(t, "2X2QFKTZD2K", res.Codes[0].Code)
	assert.Equal(t, "3Y3RGLU2E3L", res.Codes[1].Code)
	assert.Equal(t, couponkit.Fen(400), res.Codes[0].CostPrice)
	assert.Equal(t, int64(9), res.Codes[0].GenTaskID)
	assert.True(t, res.Codes[0].Expire.Equal(time.Date(2019, 12, 2, 15, 59, 59, 0, time.UTC)))
}

// merchant.send on the wire (apiId 24722: no user_id_type), and its flat
// answer, a plain list (simplify=true) of codes in the sendcode element shape
// included.
func TestMerchantSendCodesWireBody(t *testing.T) {
	t.Parallel()
	body := `{"return_code":"0","return_message":"success","return_value":{"f_code_merchant_info_list":` +
		`[{"code":"3Y3RGLU2E3L","cost_price":"250","gen_task_id":"10","gmt_expire":"2019-12-02 23:59:59"}]},"request_id":"r-2"}`
	c, rec := mockClient(t, taobaofilm.Config{Simplify: true}, testclock.New(issueAt), answer{200, body})
	res, err := c.MerchantSendCodes(context.Background(), &taobaofilm.MerchantSendRequest{
		ActivityID: 3001, ProductID: 42, ProductMixID: "mix-9", SinglePrice: 250, PartnerCode: "xuexiqiangguo",
		ExtOrderID: "M-1", Number: 1, UserIDs: []string{"3649052181"},
	})
	require.NoError(t, err)
	p := rec.form(t, 0)
	assert.Equal(t, "taobao.film.fcode.merchant.send", p.Get("method"))
	assert.Equal(t, `{"activity_id":3001,"ext_order_id":"M-1","number":1,"partner_code":"xuexiqiangguo","product_id":42,`+
		`"product_mix_id":"mix-9","single_price":250,"user_id_list":"3649052181"}`, p.Get("param_f_code_merchant_send_code_request"))
	require.Len(t, res.Codes, 1)
	assert.Equal(t, "3Y3RGLU2E3L", res.Codes[0].Code)
	assert.Equal(t, couponkit.Fen(250), res.Codes[0].CostPrice)
	assert.Equal(t, int64(10), res.Codes[0].GenTaskID)
}

// A return_code directly in merchant.send's answer, and one in sendcode's
// result, are business failures.
func TestIssueBusinessFailures(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, taobaofilm.Config{}, testclock.New(issueAt),
		answer{200, `{"film_fcode_merchant_send_response":{"return_code":"ERR_STOCK","return_message":"库存不足","request_id":"r-3"}}`},
		answer{200, `{"film_lottery_sendcode_response":{"result":{"return_code":"ERR_USER","return_message":"用户不存在"},"request_id":"r-4"}}`})
	_, err := c.MerchantSendCodes(context.Background(), &taobaofilm.MerchantSendRequest{ActivityID: 1, ProductID: 1, PartnerCode: "p", ExtOrderID: "M-2", Number: 1})
	require.ErrorIs(t, err, taobaofilm.ErrBusiness)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "ERR_STOCK", ce.Code)
	assert.Equal(t, "库存不足", ce.Message)
	assert.Equal(t, "r-3", ce.RequestID)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))

	_, err = c.SendCodes(context.Background(), &taobaofilm.SendCodesRequest{MixID: "m", PartnerCode: "p", ExtOrderID: "S-2", Number: 1})
	require.ErrorIs(t, err, taobaofilm.ErrBusiness)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "ERR_USER", ce.Code)
}

// An invalid request is a ValidationError naming the Go field, and nothing
// is sent.
func TestIssueValidationSendsNothing(t *testing.T) {
	t.Parallel()
	ok := func() taobaofilm.SendCodesRequest {
		return taobaofilm.SendCodesRequest{MixID: "m", PartnerCode: "p", Number: 2}
	}
	okM := func() taobaofilm.MerchantSendRequest {
		return taobaofilm.MerchantSendRequest{ActivityID: 1, ProductMixID: "m", PartnerCode: "p", Number: 2}
	}
	cases := []struct {
		field string
		send  func(c *taobaofilm.Client) error
	}{
		{"SendCodesRequest", func(c *taobaofilm.Client) error { _, err := c.SendCodes(context.Background(), nil); return err }},
		{"MixID", func(c *taobaofilm.Client) error {
			r := ok()
			r.MixID = ""
			_, err := c.SendCodes(context.Background(), &r)
			return err
		}},
		{"PartnerCode", func(c *taobaofilm.Client) error {
			r := ok()
			r.PartnerCode = ""
			_, err := c.SendCodes(context.Background(), &r)
			return err
		}},
		{"Number", func(c *taobaofilm.Client) error {
			r := ok()
			r.Number = 0
			_, err := c.SendCodes(context.Background(), &r)
			return err
		}},
		{"EachCount", func(c *taobaofilm.Client) error {
			r := ok()
			r.EachCount = 3
			_, err := c.SendCodes(context.Background(), &r)
			return err
		}},
		{"UserIDs", func(c *taobaofilm.Client) error {
			r := ok()
			r.UserIDs = []string{"a|b"}
			_, err := c.SendCodes(context.Background(), &r)
			return err
		}},
		{"UserIDType", func(c *taobaofilm.Client) error {
			r := ok()
			r.UserIDType = "QQ"
			_, err := c.SendCodes(context.Background(), &r)
			return err
		}},
		{"OrderTime", func(c *taobaofilm.Client) error {
			r := ok()
			r.OrderTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
			_, err := c.SendCodes(context.Background(), &r)
			return err
		}},
		{"MerchantSendRequest", func(c *taobaofilm.Client) error { _, err := c.MerchantSendCodes(context.Background(), nil); return err }},
		{"ActivityID", func(c *taobaofilm.Client) error {
			r := okM()
			r.ActivityID = 0
			_, err := c.MerchantSendCodes(context.Background(), &r)
			return err
		}},
		{"ProductMixID", func(c *taobaofilm.Client) error {
			r := okM()
			r.ProductMixID = ""
			_, err := c.MerchantSendCodes(context.Background(), &r)
			return err
		}},
		{"SinglePrice", func(c *taobaofilm.Client) error {
			r := okM()
			r.SinglePrice = -1
			_, err := c.MerchantSendCodes(context.Background(), &r)
			return err
		}},
		{"Number", func(c *taobaofilm.Client) error {
			r := okM()
			r.Number = -1
			_, err := c.MerchantSendCodes(context.Background(), &r)
			return err
		}},
	}
	for _, tc := range cases {
		srv := newFake(t, taobaofilmtest.Config{InMemory: true})
		c, _ := newClient(t, srv.ClientConfig(), srv.ClientOption())
		err := tc.send(c)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
		assert.Equal(t, 0, srv.RequestCount(), tc.field)
	}
}

// Codes SendCodes issues appear at the end of the same batch's export,
// bound and usable, and the batch's total grows by as many.
func TestSendCodesIssuedCodesAppearInExport(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{InMemory: true})
	c, _ := newClient(t, srv.ClientConfig(), srv.ClientOption())
	ctx := context.Background()
	res, err := c.SendCodes(ctx, &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "E-1", Number: 3})
	require.NoError(t, err)
	require.Len(t, res.Codes, 3)
	assert.Equal(t, int64(3), srv.Issued(taobaofilmtest.DefaultMixID))
	for _, sc := range res.Codes {
		assert.Equal(t, couponkit.Fen(400), sc.CostPrice) // the default batch's 4.00 yuan
	}

	var all []taobaofilm.Code
	for code, err := range c.Codes(ctx, defaultExport()) {
		require.NoError(t, err)
		all = append(all, code)
	}
	require.Len(t, all, 253) // the default batch's 250 and the 3 issued
	for i, sc := range res.Codes {
		got := all[250+i]
		assert.Equal(t, sc.Code, got.Code)
		assert.Equal(t, taobaofilm.StatusNormal, got.Status)
		assert.Equal(t, taobaofilm.BindBound, got.Bind)
	}
	page, err := c.ExportCodes(ctx, defaultExport())
	require.NoError(t, err)
	assert.Equal(t, int64(253), page.Basic.TotalCount)
}

// SendCodes is Keyed: a lost answer is retried with the same ext_order_id
// (made by Config.NewKey from the client's clock when none is given), and
// the fake de-duplicates it: the codes are issued once.
func TestSendCodesKeyOnRetry(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{InMemory: true})
	cfg := srv.ClientConfig()
	var seen []time.Time
	cfg.NewKey = func(now time.Time) string { seen = append(seen, now); return "K-generated" }
	c, clk := newClient(t, cfg, srv.ClientOption())
	srv.DropNextAfterWrite()
	res, err := c.SendCodes(context.Background(), &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, Number: 2})
	require.NoError(t, err)
	assert.Equal(t, "K-generated", res.ExtOrderID)
	assert.Equal(t, 2, res.Meta.Attempts)
	require.Len(t, seen, 1, "one key a call")
	assert.True(t, seen[0].Equal(clk.Now()) || seen[0].Before(clk.Now()))
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Contains(t, taobaofilmtest.Params(r).Get("param_f_code_merchant_send_code_request"), `"ext_order_id":"K-generated"`)
	}
	assert.Equal(t, int64(2), srv.Issued(taobaofilmtest.DefaultMixID), "issued once")
}

// Without Config.NewKey, the ext_order_id is the Beijing time and 16 hex digits.
func TestSendCodesDefaultKey(t *testing.T) {
	t.Parallel()
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(issueAt),
		answer{200, `{"film_lottery_sendcode_response":{"result":{"return_code":"0","return_value":{"f_code_merchant_info_list":` +
			`{"f_code_merchant_vo":[{"code":"2X2QFKTZD2K","cost_price":400,"gen_task_id":9,"gmt_expire":"2019-12-02 23:59:59"}]}}}}}`})
	res, err := c.SendCodes(context.Background(), &taobaofilm.SendCodesRequest{MixID: "m", PartnerCode: "p", Number: 1})
	require.NoError(t, err)
	assert.Regexp(t, `^20191201080000[0-9a-f]{16}$`, res.ExtOrderID)
	assert.Contains(t, rec.form(t, 0).Get("param_f_code_merchant_send_code_request"), `"ext_order_id":"`+res.ExtOrderID+`"`)
}

// MerchantSendCodes is Unsafe, and so is SendCodes with
// Config.SendCodesUnsafe: a lost answer is an unknown outcome at once,
// reporting the ext_order_id, after one request; the fake's merchant.send
// does not de-duplicate, which is why.
func TestUnsafeIssueLostAnswerIsUnknown(t *testing.T) {
	t.Parallel()
	calls := map[string]func(c *taobaofilm.Client) error{
		"MerchantSendCodes": func(c *taobaofilm.Client) error {
			_, err := c.MerchantSendCodes(context.Background(), &taobaofilm.MerchantSendRequest{ActivityID: 1, ProductMixID: taobaofilmtest.DefaultMixID,
				PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "U-7", Number: 1})
			return err
		},
		"SendCodes unsafe": func(c *taobaofilm.Client) error {
			_, err := c.SendCodes(context.Background(), &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID,
				PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "U-7", Number: 1})
			return err
		},
	}
	for name, call := range calls {
		srv := newFake(t, taobaofilmtest.Config{InMemory: true})
		cfg := srv.ClientConfig()
		cfg.SendCodesUnsafe = true
		c, _ := newClient(t, cfg, srv.ClientOption())
		srv.DropNextAfterWrite()
		err := call(c)
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, name)
		key, ok := couponkit.IdempotencyKey(err)
		require.True(t, ok, name)
		assert.Equal(t, "U-7", key, name)
		assert.Equal(t, 1, srv.RequestCount(), name)
		assert.Equal(t, int64(1), srv.Issued(taobaofilmtest.DefaultMixID), "%s: the lost send took effect", name)
	}
	// merchant.send again with the same order issues again: no de-duplication.
	srv := newFake(t, taobaofilmtest.Config{InMemory: true})
	c, _ := newClient(t, srv.ClientConfig(), srv.ClientOption())
	for range 2 {
		require.NoError(t, calls["MerchantSendCodes"](c))
	}
	assert.Equal(t, int64(2), srv.Issued(taobaofilmtest.DefaultMixID))
}
