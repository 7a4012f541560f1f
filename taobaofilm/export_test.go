package taobaofilm_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/leakcheck"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

var beijing = time.FixedZone("CST", 8*3600)

// vendorSample is the vendor page's response example, in TOP's JSON shape.
const vendorSample = `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_message":"","return_value":{
 "basic":{"bind_begin_time":"2019-12-01 00:00:00","coupon_expire_time":"2019-12-02 23:59:59","denomination":400,"max_bind_count":4,
  "mix_id":"code_8ebc4e741689bbc1","name":"淘票票示例活动","total_count":100,"valid_days":1,"valid_duration_type":"DAY","description":"券码描述"},
 "coupon_list":{"f_code_info":[{"code":"2X2QFKTZD2K","code_status":2,"gmt_modified":"2019-12-02 23:59:59","bind_status":-1}]},
 "has_next":true,"last_sequence":1,"current_rows":100}},"request_id":"abc123"}}`

// The same page with simplify=true, numbers sent as strings.
const vendorSampleSimplified = `{"result":{"return_code":0,"return_value":{
 "basic":{"bind_begin_time":"2019-12-01 00:00:00","coupon_expire_time":"2019-12-02 23:59:59","denomination":"400","max_bind_count":"4",
  "mix_id":"code_8ebc4e741689bbc1","name":"淘票票示例活动","total_count":"100","valid_days":"1","valid_duration_type":"DAY","description":"券码描述"},
 "coupon_list":[{"code":"2X2QFKTZD2K","code_status":"2","gmt_modified":"2019-12-02 23:59:59","bind_status":"-1"}],
 "has_next":"true","last_sequence":"1","current_rows":"100"}},"request_id":"abc123"}`

func TestExportDecodesVendorSample(t *testing.T) {
	for _, tc := range []struct {
		name     string
		simplify bool
		body     string
	}{
		{"wrapped", false, vendorSample},
		{"simplified", true, vendorSampleSimplified},
		{"wrapped to a simplify client", true, vendorSample},
		{"simplified to a plain client", false, vendorSampleSimplified},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := mockClient(t, taobaofilm.Config{Simplify: tc.simplify}, testclock.New(vectorTime), answer{200, tc.body})
			p, err := c.ExportCodes(context.Background(), defaultExport())
			require.NoError(t, err)
			assert.Equal(t, taobaofilm.Basic{
				MixID: "code_8ebc4e741689bbc1", Name: "淘票票示例活动", Description: "券码描述",
				BindBeginTime:    time.Date(2019, 12, 1, 0, 0, 0, 0, beijing),
				CouponExpireTime: time.Date(2019, 12, 2, 23, 59, 59, 0, beijing),
				Denomination:     couponkit.Fen(400), MaxBindCount: 4, TotalCount: 100, ValidDays: 1,
				ValidDurationType: taobaofilm.DurationDay,
			}, normalize(p.Basic))
			require.Len(t, p.Codes, 1)
			code := p.Codes[0]
			assert.Equal(t, "2X2QFKTZD2K", code.Code)
			assert.Equal(t, taobaofilm.StatusRedeemed, code.Status)
			assert.Equal(t, taobaofilm.BindUnbound, code.Bind)
			assert.True(t, code.Modified.Equal(time.Date(2019, 12, 2, 15, 59, 59, 0, time.UTC)))
			_, off := code.Modified.Zone()
			assert.Equal(t, 8*3600, off)
			assert.Equal(t, "4.00", p.Basic.Denomination.Yuan())
			assert.True(t, p.HasNext)
			assert.Equal(t, int64(1), p.LastSequence)
			assert.Equal(t, int64(100), p.CurrentRows)
			assert.Equal(t, couponkit.Meta{RequestID: "abc123", HTTPStatus: 200, Attempts: 1, Raw: []byte(tc.body)}, p.Meta)
		})
	}
}

// normalize puts Basic's times in one zone value so assert.Equal compares instants.
func normalize(b taobaofilm.Basic) taobaofilm.Basic {
	b.BindBeginTime = b.BindBeginTime.In(beijing)
	b.CouponExpireTime = b.CouponExpireTime.In(beijing)
	return b
}

func TestExportAgainstFake(t *testing.T) {
	leakcheck.Check(t)
	for _, simplify := range []bool{false, true} {
		srv := newFake(t, taobaofilmtest.Config{})
		cfg := fakeConfig(srv)
		cfg.Simplify = simplify
		c, _ := newClient(t, cfg)
		p, err := c.ExportCodes(context.Background(), defaultExport())
		require.NoError(t, err)
		assert.Equal(t, int64(250), p.Basic.TotalCount)
		assert.Equal(t, couponkit.Fen(400), p.Basic.Denomination)
		require.Len(t, p.Codes, 100)
		for i, code := range p.Codes {
			want, ok := srv.CodeAt(taobaofilmtest.DefaultMixID, int64(i+1))
			require.True(t, ok)
			assert.Equal(t, want, code.Code)
			assert.Len(t, code.Code, 11)
			assert.False(t, code.Modified.Before(p.Basic.BindBeginTime))
			assert.False(t, code.Modified.After(p.Basic.CouponExpireTime))
		}
		assert.True(t, p.HasNext)
		assert.Equal(t, int64(100), p.LastSequence)
		assert.Equal(t, int64(100), p.CurrentRows)
		assert.NotEmpty(t, p.Meta.RequestID)
		got := taobaofilmtest.Params(srv.Requests()[0])
		assert.Equal(t, map[bool]string{true: "true", false: ""}[simplify], got.Get("simplify"))
	}
}

func TestExportValidation(t *testing.T) {
	seq := int64(5)
	for _, tc := range []struct {
		req   *taobaofilm.ExportRequest
		field string
	}{
		{nil, "ExportRequest"},
		{&taobaofilm.ExportRequest{PartnerCode: "p", OperateType: taobaofilm.OperateAll}, "MixID"},
		{&taobaofilm.ExportRequest{MixID: "m", OperateType: taobaofilm.OperateAll}, "PartnerCode"},
		{&taobaofilm.ExportRequest{MixID: "m", PartnerCode: "p"}, "OperateType"},
		{&taobaofilm.ExportRequest{MixID: "m", PartnerCode: "p", OperateType: "all"}, "OperateType"},
		{&taobaofilm.ExportRequest{MixID: "m", PartnerCode: "p", OperateType: taobaofilm.OperateAll,
			Params: map[string]any{"last_sequence": 3}, LastSequence: &seq}, "Params"},
		{&taobaofilm.ExportRequest{MixID: "m", PartnerCode: "p", OperateType: taobaofilm.OperateAll,
			Params: map[string]any{"bad": make(chan int)}}, "Params"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime))
			_, err := c.ExportCodes(context.Background(), tc.req)
			var ve *couponkit.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			n := 0
			for p, err := range c.Pages(context.Background(), tc.req) {
				assert.Nil(t, p)
				require.ErrorAs(t, err, &ve)
				n++
			}
			for _, err := range c.Codes(context.Background(), tc.req) {
				require.ErrorAs(t, err, &ve)
				n++
			}
			assert.Equal(t, 2, n, "the error is yielded once by each iterator")
			assert.Equal(t, 0, rec.count(), "nothing is sent")
		})
	}
}

func TestNewClientValidation(t *testing.T) {
	good := taobaofilm.Config{AppKey: "k", AppSecret: "s"}
	for _, tc := range []struct {
		field string
		edit  func(*taobaofilm.Config)
	}{
		{"AppKey", func(c *taobaofilm.Config) { c.AppKey = " " }},
		{"AppSecret", func(c *taobaofilm.Config) { c.AppSecret = "" }},
		{"Gateway", func(c *taobaofilm.Config) { c.Gateway = "eco.taobao.com/router/rest" }},
		{"Gateway", func(c *taobaofilm.Config) { c.Gateway = "ftp://x/router/rest" }},
		{"SignMethod", func(c *taobaofilm.Config) { c.SignMethod = "sha1" }},
		{"Cursor", func(c *taobaofilm.Config) { c.Cursor = 7 }},
		{"CursorName", func(c *taobaofilm.Config) { c.CursorName = `a"b` }},
		{"CursorName", func(c *taobaofilm.Config) { c.Cursor, c.CursorName = taobaofilm.CursorParameter, "sign" }},
		{"CursorName", func(c *taobaofilm.Config) { c.Cursor, c.CursorName = taobaofilm.CursorParameter, "mix_id" }},
	} {
		cfg := good
		tc.edit(&cfg)
		_, err := taobaofilm.NewClient(cfg)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
		assert.NotContains(t, err.Error(), "s3cr3t")
	}
	c, err := taobaofilm.NewClient(good)
	require.NoError(t, err)
	require.NoError(t, c.Close())
}

// Without Config.Gateway the client posts to the production HTTPS router.
func TestDefaultGateway(t *testing.T) {
	rec := newRecorder()
	rec.RegisterResponder("POST", taobaofilm.ProductionGateway, func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"basic":{"mix_id":"code_8ebc4e741689bbc1","total_count":0},"has_next":false}}}}`), nil
	})
	c, err := taobaofilm.NewClient(taobaofilm.Config{AppKey: "k", AppSecret: "s"}, couponkit.WithTransport(rec))
	require.NoError(t, err)
	p, err := c.ExportCodes(context.Background(), defaultExport())
	require.NoError(t, err)
	assert.Empty(t, p.Codes)
	assert.False(t, p.HasNext)
	assert.Equal(t, 1, rec.GetCallCountInfo()["POST "+taobaofilm.ProductionGateway])
}

// Where the cursor and the extension params go, for both placements.
func TestCursorPlacement(t *testing.T) {
	seq := int64(100)
	ok := answer{200, `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"basic":{"mix_id":"code_8ebc4e741689bbc1","total_count":0},"has_next":false}}}}`}
	for _, tc := range []struct {
		name   string
		cfg    taobaofilm.Config
		params map[string]any
		seq    *int64
		want   map[string]string // "" means absent
	}{
		{"first page", taobaofilm.Config{}, nil, nil, map[string]string{"params": "", "last_sequence": ""}},
		{"params", taobaofilm.Config{}, nil, &seq, map[string]string{"params": `{"last_sequence":100}`, "last_sequence": ""}},
		{"params merged", taobaofilm.Config{}, map[string]any{"zone": "上海 & <北京>", "n": 2}, &seq,
			map[string]string{"params": `{"last_sequence":100,"n":2,"zone":"上海 & <北京>"}`}},
		{"ext only", taobaofilm.Config{}, map[string]any{"n": 2}, nil, map[string]string{"params": `{"n":2}`}},
		{"renamed", taobaofilm.Config{CursorName: "cursor"}, nil, &seq, map[string]string{"params": `{"cursor":100}`}},
		{"parameter", taobaofilm.Config{Cursor: taobaofilm.CursorParameter}, nil, &seq,
			map[string]string{"params": "", "last_sequence": "100"}},
		{"parameter with ext", taobaofilm.Config{Cursor: taobaofilm.CursorParameter, CursorName: "seq"}, map[string]any{"n": 2}, &seq,
			map[string]string{"params": `{"n":2}`, "seq": "100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := mockClient(t, tc.cfg, testclock.New(vectorTime), ok)
			req := defaultExport()
			req.Params, req.LastSequence = tc.params, tc.seq
			_, err := c.ExportCodes(context.Background(), req)
			require.NoError(t, err)
			f := rec.form(t, 0)
			for k, v := range tc.want {
				if v == "" {
					assert.NotContains(t, f, k)
				} else {
					assert.Equal(t, v, f.Get(k), k)
				}
			}
			assert.Equal(t, independentSign(f, "s3cr3t+密钥&"), f.Get("sign"))
		})
	}
	assert.Equal(t, "parameter", taobaofilm.CursorParameter.String())
	assert.Equal(t, "params", taobaofilm.CursorInParams.String())
}

func TestEnumStrings(t *testing.T) {
	assert.Equal(t, "invalid", taobaofilm.StatusInvalid.String())
	assert.Equal(t, "expired", taobaofilm.StatusExpired.String())
	assert.Equal(t, "normal", taobaofilm.StatusNormal.String())
	assert.Equal(t, "redeemed", taobaofilm.StatusRedeemed.String())
	assert.Equal(t, "CodeStatus(1)", taobaofilm.CodeStatus(1).String())
	assert.Equal(t, "unbound", taobaofilm.BindUnbound.String())
	assert.Equal(t, "bound", taobaofilm.BindBound.String())
	assert.Equal(t, "BindStatus(3)", taobaofilm.BindStatus(3).String())
	assert.Equal(t, "CONSUME", taobaofilm.OperateConsume.String())
	assert.Equal(t, "GENERAL", taobaofilm.DurationGeneral.String())
	assert.Equal(t, "hmac", taobaofilm.SignHMAC.String())
	var s taobaofilm.CodeStatus
	require.NoError(t, json.Unmarshal([]byte(`"-2"`), &s))
	assert.Equal(t, taobaofilm.StatusInvalid, s)
	require.Error(t, json.Unmarshal([]byte(`2.5`), &s))
	var b taobaofilm.BindStatus
	require.NoError(t, json.Unmarshal([]byte(`-1`), &b))
	assert.Equal(t, taobaofilm.BindUnbound, b)
	require.Error(t, json.Unmarshal([]byte(`"x"`), &b))
}
