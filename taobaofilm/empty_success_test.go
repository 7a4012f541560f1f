package taobaofilm_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// The answers below are built by hand from the field tables of the pages:
// taobao.film.lottery.sendcode (apiId 37323: result{return_code,
// return_value{f_code_merchant_info_list: FCodeMerchantVo[]{gmt_expire,
// gen_task_id, cost_price, code}}}), taobao.film.fcode.merchant.send (apiId
// 24722: return_code, return_message and return_value flat in the response
// object, f_code_merchant_info_list: Fcodemerchantinfolist[], each holding
// fcode_merchant_info: FCodeMerchantInfo{gmt_expire "2015-03-23 10:07:48",
// cost_price 12, …}) and taobao.film.fcode.export.query (apiId 47534).

// merchantWrapped is a 24722 success without simplify: the list wrapped in
// an object named after its element type, each element wrapping its code in
// fcode_merchant_info.
const merchantWrapped = `{"film_fcode_merchant_send_response":{"return_code":"0","return_message":"success",` +
	`"return_value":{"f_code_merchant_info_list":{"fcodemerchantinfolist":[` +
	`{"fcode_merchant_info":{"gmt_expire":"2015-03-23 10:07:48","cost_price":12,"code":"2X2QFKTZD2K","gen_task_id":123}},` +
	`{"fcode_merchant_info":{"gmt_expire":"2015-03-23 10:07:48","cost_price":12,"code":"3Y3RGLU2E3L","gen_task_id":123}}]}},` +
	`"request_id":"r-24722"}}`

// merchantSimplified is the same answer with simplify=true: no wrapper
// member and the list a plain array of {"fcode_merchant_info":{…}}.
const merchantSimplified = `{"return_code":"0","return_message":"success",` +
	`"return_value":{"f_code_merchant_info_list":[` +
	`{"fcode_merchant_info":{"gmt_expire":"2015-03-23 10:07:48","cost_price":12,"code":"2X2QFKTZD2K","gen_task_id":123}},` +
	`{"fcode_merchant_info":{"gmt_expire":"2015-03-23 10:07:48","cost_price":12,"code":"3Y3RGLU2E3L","gen_task_id":123}}]},` +
	`"request_id":"r-24722"}`

// Both forms of the 24722 answer decode into the codes they hold, with the
// fields of FCodeMerchantInfo; the request carries no user_id_type, which
// 24722 does not list.
func TestMerchantSendCodesReadsThe24722Shape(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		simplify bool
		body     string
	}{
		"wrapped":    {false, merchantWrapped},
		"simplified": {true, merchantSimplified},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, rec := mockClient(t, taobaofilm.Config{Simplify: tc.simplify}, testclock.New(issueAt), answer{200, tc.body})
			res, err := c.MerchantSendCodes(context.Background(), &taobaofilm.MerchantSendRequest{
				ActivityID: 11057, ProductMixID: "a12b345678def9", SinglePrice: 2500, PartnerCode: "tfxenia",
				ExtOrderID: "123456789042", Number: 2, EachCount: 1, UserIDs: []string{"3649052181"},
				OutUID: "uid-333", OutUserName: "usernamexxxxx", OrderTime: issueAt, Feature: "suesu",
			})
			require.NoError(t, err)
			assert.Equal(t, `{"activity_id":11057,"each_num":1,"ext_order_id":"123456789042","feature":"suesu","number":2,`+
				`"order_time":"2019-12-01 08:00:00","out_uid":"uid-333","out_user_name":"usernamexxxxx","partner_code":"tfxenia",`+
				`"product_mix_id":"a12b345678def9","single_price":2500,"user_id_list":"3649052181"}`,
				rec.form(t, 0).Get("param_f_code_merchant_send_code_request"))
			assert.Equal(t, "r-24722", res.Meta.RequestID)
			require.Len(t, res.Codes, 2)
			expire := time.Date(2015, 3, 23, 2, 7, 48, 0, time.UTC) // 10:07:48 in Beijing
			for i, code := range []string{"2X2QFKTZD2K", "3Y3RGLU2E3L"} {
				assert.Equal(t, code, res.Codes[i].Code)
				assert.Equal(t, couponkit.Fen(12), res.Codes[i].CostPrice)
				assert.Equal(t, int64(123), res.Codes[i].GenTaskID)
				assert.True(t, res.Codes[i].Expire.Equal(expire), "%v", res.Codes[i].Expire)
			}
		})
	}
}

// An issue answer decodes in either shape whatever Config.Simplify asked
// for: a gateway that answers the other shape is still read, the wrapped
// 24722 list by a simplify client and the plain one by a client without.
func TestMerchantSendCodesReadsEitherShape(t *testing.T) {
	t.Parallel()
	for _, simplify := range []bool{false, true} {
		for name, body := range map[string]string{"wrapped": merchantWrapped, "simplified": merchantSimplified} {
			c, _ := mockClient(t, taobaofilm.Config{Simplify: simplify}, testclock.New(issueAt), answer{200, body})
			res, err := c.MerchantSendCodes(context.Background(), &taobaofilm.MerchantSendRequest{
				ActivityID: 11057, ProductMixID: "a12b345678def9", PartnerCode: "tfxenia", ExtOrderID: "123456789042", Number: 2})
			require.NoError(t, err, "%s answer, simplify %v", name, simplify)
			require.Len(t, res.Codes, 2)
			assert.Equal(t, "3Y3RGLU2E3L", res.Codes[1].Code)
			assert.Equal(t, int64(123), res.Codes[1].GenTaskID)
		}
	}
}

// each_num is required by apiId 37323: a SendCodes request without an
// EachCount sends 1, the smallest count and the page's example.
func TestSendCodesSendsEachNumOneByDefault(t *testing.T) {
	t.Parallel()
	body := `{"film_lottery_sendcode_response":{"result":{"return_code":"0","return_value":{"f_code_merchant_info_list":` +
		`{"f_code_merchant_vo":[{"gmt_expire":"2018-06-09 08:07:48","gen_task_id":123,"cost_price":123,"code":"123"}]}}}}}`
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(issueAt), answer{200, body})
	_, err := c.SendCodes(context.Background(), &taobaofilm.SendCodesRequest{MixID: "a09da62085f10074", PartnerCode: "tfxenia", ExtOrderID: "123456789042", Number: 1})
	require.NoError(t, err)
	assert.Equal(t, `{"each_num":1,"ext_order_id":"123456789042","mix_id":"a09da62085f10074","number":1,"partner_code":"tfxenia"}`,
		rec.form(t, 0).Get("param_f_code_merchant_send_code_request"))
}

// The fake refuses a sendcode without each_num, as a field the page marks
// required, and answers merchant.send in the 24722 shape the client reads.
func TestFakeIssueShapes(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{InMemory: true})
	c, _ := newClient(t, srv.ClientConfig(), srv.ClientOption())
	_, err := c.Call(context.Background(), taobaofilm.MethodSendCodes, map[string]string{"param_f_code_merchant_send_code_request": `{"ext_order_id":"E-0","mix_id":"` +
		taobaofilmtest.DefaultMixID + `","number":1,"partner_code":"` + taobaofilmtest.DefaultPartnerCode + `"}`}, nil, couponkit.Read())
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "40", ce.Code)
	assert.Equal(t, "isv.missing-parameter", ce.SubCode)
	assert.Zero(t, srv.Issued(taobaofilmtest.DefaultMixID))

	for _, simplify := range []bool{false, true} {
		cfg := srv.ClientConfig()
		cfg.Simplify = simplify
		c, _ := newClient(t, cfg, srv.ClientOption())
		var raw json.RawMessage
		_, err := c.Call(context.Background(), taobaofilm.MethodMerchantSend, map[string]string{"param_f_code_merchant_send_code_request": `{"activity_id":1,"ext_order_id":"M-0","number":1,"partner_code":"` +
			taobaofilmtest.DefaultPartnerCode + `","product_mix_id":"` + taobaofilmtest.DefaultMixID + `"}`}, &raw, couponkit.Read())
		require.NoError(t, err)
		if simplify {
			assert.Regexp(t, `^\{"request_id":"[^"]+","return_code":"0","return_message":"success","return_value":\{"f_code_merchant_info_list":\[\{"fcode_merchant_info":\{"code":"[0-9A-Z]{11}","cost_price":400,"gen_task_id":\d+,"gmt_expire":"2019-12-02 23:59:59"\}\}\]\}\}$`, string(raw))
		} else {
			assert.Regexp(t, `^\{"request_id":"[^"]+","return_code":"0","return_message":"success","return_value":\{"f_code_merchant_info_list":\{"fcodemerchantinfolist":\[\{"fcode_merchant_info":\{"code":"[0-9A-Z]{11}","cost_price":400,"gen_task_id":\d+,"gmt_expire":"2019-12-02 23:59:59"\}\}\]\}\}\}$`, string(raw))
		}
	}
}

// emptyCase is one typed call and a success answer that lacks what the call
// exists for.
type emptyCase struct {
	name   string
	write  bool
	keyed  bool
	op     string
	key    string
	answer string
	call   func(ctx context.Context, c *taobaofilm.Client) error
}

func sendCodes(n int64) func(ctx context.Context, c *taobaofilm.Client) error {
	return func(ctx context.Context, c *taobaofilm.Client) error {
		_, err := c.SendCodes(ctx, &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "S-E", Number: n})
		return err
	}
}

func merchantSendCodes(ctx context.Context, c *taobaofilm.Client) error {
	_, err := c.MerchantSendCodes(ctx, &taobaofilm.MerchantSendRequest{ActivityID: 1, ProductMixID: taobaofilmtest.DefaultMixID,
		PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "M-E", Number: 1})
	return err
}

func exportCodes(ctx context.Context, c *taobaofilm.Client) error {
	_, err := c.ExportCodes(ctx, defaultExport())
	return err
}

func emptyCases() []emptyCase {
	const (
		sendOK     = `{"film_lottery_sendcode_response":{"result":{"return_code":"0","return_message":"success"`
		merchantOK = `{"film_fcode_merchant_send_response":{"return_code":"0","return_message":"success"`
	)
	return []emptyCase{
		{"SendCodes without return_value", true, true, taobaofilm.MethodSendCodes, "S-E", sendOK + `},"request_id":"r"}}`, sendCodes(1)},
		{"SendCodes with an empty list", true, true, taobaofilm.MethodSendCodes, "S-E",
			sendOK + `,"return_value":{"f_code_merchant_info_list":{"f_code_merchant_vo":[]}}},"request_id":"r"}}`, sendCodes(1)},
		{"SendCodes with a code without its code", true, true, taobaofilm.MethodSendCodes, "S-E",
			sendOK + `,"return_value":{"f_code_merchant_info_list":{"f_code_merchant_vo":[{"gmt_expire":"2018-06-09 08:07:48","gen_task_id":123,"cost_price":123}]}}},"request_id":"r"}}`, sendCodes(1)},
		{"SendCodes with fewer codes than number", true, true, taobaofilm.MethodSendCodes, "S-E",
			sendOK + `,"return_value":{"f_code_merchant_info_list":{"f_code_merchant_vo":[{"gmt_expire":"2018-06-09 08:07:48","gen_task_id":123,"cost_price":123,"code":"123"}]}}},"request_id":"r"}}`, sendCodes(2)},
		{"MerchantSendCodes without return_value", true, false, taobaofilm.MethodMerchantSend, "M-E", merchantOK + `,"request_id":"r"}}`, merchantSendCodes},
		{"MerchantSendCodes with an empty list", true, false, taobaofilm.MethodMerchantSend, "M-E",
			merchantOK + `,"return_value":{"f_code_merchant_info_list":{"fcodemerchantinfolist":[]}},"request_id":"r"}}`, merchantSendCodes},
		{"MerchantSendCodes with an empty fcode_merchant_info", true, false, taobaofilm.MethodMerchantSend, "M-E",
			merchantOK + `,"return_value":{"f_code_merchant_info_list":{"fcodemerchantinfolist":[{"fcode_merchant_info":{}}]}},"request_id":"r"}}`, merchantSendCodes},
		{"MerchantSendCodes in the sendcode result without its codes", true, false, taobaofilm.MethodMerchantSend, "M-E",
			`{"film_fcode_merchant_send_response":{"result":{"return_code":"0"},"request_id":"r"}}`, merchantSendCodes},
		{"ExportCodes without return_value", false, false, taobaofilm.MethodExportQuery, "",
			`{"film_fcode_export_query_response":{"result":{"return_code":"0","return_message":""},"request_id":"r"}}`, exportCodes},
		{"ExportCodes with an empty return_value", false, false, taobaofilm.MethodExportQuery, "",
			`{"film_fcode_export_query_response":{"result":{"return_code":"0","return_message":"","return_value":{}},"request_id":"r"}}`, exportCodes},
	}
}

const emptyAttempts = 3

// A success that lacks what the call exists for (the codes issued, the
// page asked for) is not a definite answer: a write whose answer it is has
// an unknown outcome reporting its ext_order_id (sent once when Unsafe,
// every attempt with the same key when Keyed, and applied once), and a read
// is retried, then fails with the unreadable answer, never a success.
func TestSuccessWithoutItsDataIsUnreadable(t *testing.T) {
	t.Parallel()
	for _, tc := range emptyCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, taobaofilmtest.Config{InMemory: true})
			c, _ := newClient(t, srv.ClientConfig(), srv.ClientOption(), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: emptyAttempts}))
			for range emptyAttempts {
				srv.Inject(couponkittest.Fault{Status: http.StatusOK, Body: []byte(tc.answer), AfterHandler: tc.write,
					Header: http.Header{"Content-Type": {"application/json;charset=UTF-8"}}})
			}
			err := tc.call(context.Background(), c)
			require.Error(t, err)
			if tc.write {
				faulttest.Unknown(t, err, taobaofilm.Vendor, tc.op, tc.key)
				assert.Equal(t, faulttest.Sends(tc.keyed, emptyAttempts), srv.RequestCount())
				assert.NotZero(t, srv.Issued(taobaofilmtest.DefaultMixID), "the write took effect")
				assert.LessOrEqual(t, srv.Issued(taobaofilmtest.DefaultMixID), int64(2), "once")
				return
			}
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
			assert.ErrorIs(t, err, transport.ErrUnreadable)
			assert.Equal(t, emptyAttempts, srv.RequestCount(), "a read is retried")
		})
	}
}

// A read whose first answer is an empty success is retried, and the second,
// whole answer is its result.
func TestExportRetriesASuccessWithoutItsPage(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{InMemory: true})
	c, _ := newClient(t, srv.ClientConfig(), srv.ClientOption())
	srv.Inject(couponkittest.Fault{Status: http.StatusOK, Body: []byte(`{"film_fcode_export_query_response":{"result":{"return_code":"0"}}}`)})
	page, err := c.ExportCodes(context.Background(), defaultExport())
	require.NoError(t, err)
	assert.Equal(t, 2, page.Meta.Attempts)
	assert.Len(t, page.Codes, taobaofilmtest.DefaultPageSize)
	assert.Equal(t, taobaofilmtest.DefaultMixID, page.Basic.MixID)
}

// The page's own example is a whole answer, though its current_rows (100)
// is not the number of codes it shows (1): current_rows is not checked.
func TestExportPageExampleIsWhole(t *testing.T) {
	t.Parallel()
	body := `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_message":"","return_value":{"basic":{` +
		`"bind_begin_time":"2019-12-01 00:00:00","coupon_expire_time":"2019-12-02 23:59:59","denomination":400,"max_bind_count":4,` +
		`"mix_id":"code_8ebc4e741689bbc1","name":"淘票票示例活动","total_count":100,"valid_days":1,"valid_duration_type":"DAY","description":"券码描述"},` +
		`"coupon_list":{"f_code_info":[{"code":"2X2QFKTZD2K","code_status":2,"gmt_modified":"2019-12-02 23:59:59","bind_status":-1}]},` +
		`"has_next":true,"last_sequence":1,"current_rows":100}}}}`
	c, _ := mockClient(t, taobaofilm.Config{}, testclock.New(issueAt), answer{200, body})
	page, err := c.ExportCodes(context.Background(), defaultExport())
	require.NoError(t, err)
	assert.Len(t, page.Codes, 1)
	assert.Equal(t, int64(100), page.Basic.TotalCount)
}
