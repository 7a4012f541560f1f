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
)

func errBody(inner string) string { return `{"error_response":` + inner + `}` }

func TestErrorShapes(t *testing.T) {
	cases := []struct {
		name       string
		cfg        taobaofilm.Config
		status     int
		body       string
		fault      couponkit.Fault
		code, sub  string
		msg        string
		requestID  string
		retryAfter time.Duration
		business   bool
		unreadable bool // not a definite answer: a read retries it
	}{
		{name: "throttle with window", body: errBody(`{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 3 more seconds","request_id":"r7"}`),
			fault: couponkit.FaultThrottle, code: "7", sub: "accesscontrol.limited-by-app-access-count", msg: "App Call Limited: This ban will last for 3 more seconds", requestID: "r7", retryAfter: 3 * time.Second},
		{name: "throttle without window", body: errBody(`{"code":7,"msg":"App Call Limited"}`), fault: couponkit.FaultThrottle, code: "7", msg: "App Call Limited"},
		{name: "throttle window in msg", body: errBody(`{"code":"7","msg":"This ban will last for 12 more seconds"}`), fault: couponkit.FaultThrottle, code: "7", msg: "This ban will last for 12 more seconds", retryAfter: 12 * time.Second},
		{name: "isp", body: errBody(`{"code":15,"msg":"Remote service error","sub_code":"isp.remote-service-timeout","sub_msg":"超时","request_id":"r15"}`),
			fault: couponkit.FaultServer, code: "15", sub: "isp.remote-service-timeout", msg: "Remote service error: 超时", requestID: "r15"},
		{name: "isv under 15", body: errBody(`{"code":15,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数"}`),
			fault: couponkit.FaultClient, code: "15", sub: "isv.invalid-parameter", msg: "Remote service error: 非法参数"},
		{name: "vendor page example 50 isv", body: errBody(`{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数"}`),
			fault: couponkit.FaultClient, code: "50", sub: "isv.invalid-parameter", msg: "Remote service error: 非法参数"},
		{name: "service unavailable", body: errBody(`{"code":10,"msg":"Service Currently Unavailable"}`), fault: couponkit.FaultServer, code: "10", msg: "Service Currently Unavailable"},
		{name: "isv permission", body: errBody(`{"code":11,"msg":"Insufficient isv permissions","sub_code":"isv.permission-api-package-not-allowed"}`),
			fault: couponkit.FaultAuth, code: "11", sub: "isv.permission-api-package-not-allowed", msg: "Insufficient isv permissions"},
		{name: "user permission", body: errBody(`{"code":12,"msg":"Insufficient user permissions"}`), fault: couponkit.FaultAuth, code: "12", msg: "Insufficient user permissions"},
		{name: "signature", body: errBody(`{"code":25,"msg":"Invalid signature"}`), fault: couponkit.FaultAuth, code: "25", msg: "Invalid signature"},
		{name: "missing session", body: errBody(`{"code":26,"msg":"Missing session"}`), fault: couponkit.FaultAuth, code: "26", msg: "Missing session"},
		{name: "invalid session", body: errBody(`{"code":27,"msg":"Invalid session","sub_code":"invalid-sessionkey"}`), fault: couponkit.FaultAuth, code: "27", sub: "invalid-sessionkey", msg: "Invalid session"},
		{name: "missing app key", body: errBody(`{"code":28,"msg":"Missing App Key"}`), fault: couponkit.FaultAuth, code: "28", msg: "Missing App Key"},
		{name: "invalid app key", body: errBody(`{"code":29,"msg":"Invalid app Key"}`), fault: couponkit.FaultAuth, code: "29", msg: "Invalid app Key"},
		{name: "timestamp", body: errBody(`{"code":31,"msg":"Invalid Timestamp"}`), fault: couponkit.FaultAuth, code: "31", msg: "Invalid Timestamp"},
		{name: "missing arguments", body: errBody(`{"code":40,"msg":"Missing required arguments:mix_id"}`), fault: couponkit.FaultClient, code: "40", msg: "Missing required arguments:mix_id"},
		{name: "invalid arguments", body: errBody(`{"code":41,"msg":"Invalid arguments:operate_type"}`), fault: couponkit.FaultClient, code: "41", msg: "Invalid arguments:operate_type"},
		{name: "undocumented", body: errBody(`{"code":99,"msg":"strange"}`), fault: couponkit.FaultUnknown, code: "99", msg: "strange"},
		{name: "no message", body: errBody(`{"code":99}`), fault: couponkit.FaultUnknown, code: "99", msg: "TOP error response"},
		{name: "bare error object", body: `{"code":25,"msg":"Invalid signature","request_id":"rb"}`, fault: couponkit.FaultAuth, code: "25", msg: "Invalid signature", requestID: "rb"},
		{name: "error on 429", status: 429, body: errBody(`{"code":7,"msg":"App Call Limited"}`), fault: couponkit.FaultThrottle, code: "7", msg: "App Call Limited"},
		{name: "business failure", body: `{"film_fcode_export_query_response":{"result":{"return_code":"E100","return_message":"码商品不存在"},"request_id":"rq"}}`,
			fault: couponkit.FaultClient, code: "E100", msg: "码商品不存在", requestID: "rq", business: true},
		{name: "business failure numeric simplify", cfg: taobaofilm.Config{Simplify: true}, body: `{"result":{"return_code":1,"return_message":"失败"},"request_id":"rs"}`,
			fault: couponkit.FaultClient, code: "1", msg: "失败", requestID: "rs", business: true},
		{name: "business failure classified", cfg: taobaofilm.Config{CodeFaults: map[string]couponkit.Fault{"SYSTEM_BUSY": couponkit.FaultServer}},
			body: `{"film_fcode_export_query_response":{"result":{"return_code":"SYSTEM_BUSY"}}}`, fault: couponkit.FaultServer, code: "SYSTEM_BUSY", msg: "business failure", business: true},
		{name: "http 502", status: 502, body: `<html>bad gateway</html>`, fault: couponkit.FaultServer, msg: "response does not decode: "},
		{name: "garbage", body: `<html>hello</html>`, fault: couponkit.FaultUnknown, msg: "response does not decode: ", unreadable: true},
		{name: "no result", body: `{"film_fcode_export_query_response":{}}`, fault: couponkit.FaultUnknown, msg: "its answer lacks what the call is for: no result.return_code in the answer", unreadable: true},
	}
	for _, tc := range cases {
		status := tc.status
		if status == 0 {
			status = 200
		}
		calls := map[string]func(*taobaofilm.Client) error{
			"ExportCodes": func(c *taobaofilm.Client) error {
				_, err := c.ExportCodes(context.Background(), &taobaofilm.ExportRequest{MixID: "m", PartnerCode: "p", OperateType: taobaofilm.OperateAll})
				return err
			},
			"Call": func(c *taobaofilm.Client) error {
				_, err := c.Call(context.Background(), taobaofilm.MethodExportQuery, map[string]string{"mix_id": "m"}, nil, couponkit.Read())
				return err
			},
		}
		for name, call := range calls {
			if name == "Call" && tc.name == "no result" {
				continue // a generic response needs no result
			}
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				clk := testclock.New(vectorTime)
				c, rec := mockClient(t, tc.cfg, clk, answer{status, tc.body})
				err := call(c)
				var e *couponkit.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, "taobaofilm", e.Vendor)
				assert.Equal(t, taobaofilm.MethodExportQuery, e.Operation)
				assert.Equal(t, tc.fault, e.Fault, e.Error())
				assert.Equal(t, tc.code, e.Code)
				assert.Equal(t, tc.sub, e.SubCode)
				assert.Contains(t, e.Message, tc.msg)
				if tc.code != "" {
					assert.Equal(t, tc.msg, e.Message)
				}
				assert.Equal(t, tc.requestID, e.RequestID)
				assert.Equal(t, tc.retryAfter, e.RetryAfter)
				assert.Equal(t, status, e.HTTPStatus)
				assert.Equal(t, tc.business, errors.Is(err, taobaofilm.ErrBusiness))
				if tc.fault.Retryable() || tc.unreadable {
					assert.Equal(t, 3, rec.count(), "retried to the policy's limit")
					for _, d := range clk.Sleeps() {
						assert.GreaterOrEqual(t, d, min(tc.retryAfter, couponkit.DefaultRetryPolicy.MaxDelay))
					}
				} else {
					assert.Equal(t, 1, rec.count(), "not retried")
				}
			})
		}
	}
}

func TestFaultFor(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]couponkit.Fault{
		"4": couponkit.FaultThrottle, "5": couponkit.FaultThrottle, "6": couponkit.FaultThrottle,
		"7": couponkit.FaultThrottle, "8": couponkit.FaultThrottle,
		"accesscontrol.limited-by-app-access-count":  couponkit.FaultThrottle,
		"accesscontrol.limited-by-api-access-count":  couponkit.FaultThrottle,
		"isv.access-limited-by-app-api-access-count": couponkit.FaultThrottle,
		"isv.access-limit":                           couponkit.FaultThrottle,
		"isp.call-limited":                           couponkit.FaultThrottle,
		"isp.remote-service-timeout":                 couponkit.FaultServer,
		"isp.top-remote-connection-timeout":          couponkit.FaultServer,
		"isv.invalid-parameter":                      couponkit.FaultClient,
		"isv.item-quantity-limit":                    couponkit.FaultClient,
		"10":                                         couponkit.FaultServer,
		"15":                                         couponkit.FaultServer,
		"11":                                         couponkit.FaultAuth,
		"24":                                         couponkit.FaultAuth,
		"30":                                         couponkit.FaultAuth,
		"22":                                         couponkit.FaultClient,
		"34":                                         couponkit.FaultClient,
		"47":                                         couponkit.FaultClient,
		"":                                           couponkit.FaultUnknown,
		"1000":                                       couponkit.FaultUnknown,
		"something":                                  couponkit.FaultUnknown,
	} {
		assert.Equal(t, want, taobaofilm.FaultFor(code), code)
	}
}

// An error_response is classified by its platform code first (but 10 and
// 15), then its sub_code, then its code; Config.CodeFaults overrides both.
func TestErrorResponseClassification(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		inner     string
		overrides map[string]couponkit.Fault
		want      couponkit.Fault
	}{
		{"7 with an isp sub_code", `{"code":7,"msg":"m","sub_code":"isp.call-limited"}`, nil, couponkit.FaultThrottle},
		{"11 with an isv sub_code", `{"code":11,"msg":"m","sub_code":"isv.permission"}`, nil, couponkit.FaultAuth},
		{"15 with isp", `{"code":15,"msg":"m","sub_code":"isp.x"}`, nil, couponkit.FaultServer},
		{"15 with isv", `{"code":15,"msg":"m","sub_code":"isv.x"}`, nil, couponkit.FaultClient},
		{"15 alone", `{"code":15,"msg":"m"}`, nil, couponkit.FaultServer},
		{"520 with isp", `{"code":520,"msg":"m","sub_code":"isp.top-remote-connection-timeout"}`, nil, couponkit.FaultServer},
		{"15 with an isv throttle", `{"code":15,"msg":"m","sub_code":"isv.access-limited-by-api-access-count"}`, nil, couponkit.FaultThrottle},
		{"sub_code override", `{"code":15,"msg":"m","sub_code":"isv.busy"}`, map[string]couponkit.Fault{"isv.busy": couponkit.FaultServer}, couponkit.FaultServer},
		{"code override", `{"code":99,"msg":"m"}`, map[string]couponkit.Fault{"99": couponkit.FaultAuth}, couponkit.FaultAuth},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := mockClient(t, taobaofilm.Config{CodeFaults: tc.overrides}, testclock.New(vectorTime), answer{200, errBody(tc.inner)})
			_, err := c.Call(context.Background(), "taobao.film.x", nil, nil, couponkit.Read(),
				couponkit.Read()) // the same option twice changes nothing
			assert.Equal(t, tc.want, couponkit.FaultOf(err), "%v", err)
		})
	}
}

// A throttle window longer than the policy allows is reported, not waited
// for past MaxDelay.
func TestThrottleWindowCappedByPolicy(t *testing.T) {
	clk := testclock.New(vectorTime)
	rec := newRecorder(answer{200, errBody(`{"code":7,"msg":"App Call Limited","sub_msg":"This ban will last for 31062 more seconds"}`)})
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: mockGateway, AppKey: "k", AppSecret: "s"},
		couponkit.WithTransport(rec), couponkit.WithClock(clk), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2, MaxDelay: 5 * time.Second}))
	require.NoError(t, err)
	_, err = c.ExportCodes(context.Background(), defaultExport())
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 31062*time.Second, e.RetryAfter)
	assert.Equal(t, []time.Duration{5 * time.Second}, clk.Sleeps())
	assert.Equal(t, 2, rec.count())
}

// Secrets never reach an error text, even when the vendor echoes them.
func TestErrorsRedactSecrets(t *testing.T) {
	cfg := taobaofilm.Config{AppSecret: "top-secret-value", Session: "session-key-value"}
	c, _ := mockClient(t, cfg, testclock.New(vectorTime),
		answer{200, errBody(`{"code":27,"msg":"Invalid session session-key-value","sub_msg":"secret top-secret-value"}`)})
	_, err := c.ExportCodes(context.Background(), defaultExport())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "top-secret-value")
	assert.NotContains(t, err.Error(), "session-key-value")
	assert.Contains(t, err.Error(), "[redacted]")

	c, _ = mockClient(t, cfg, testclock.New(vectorTime), answer{200, `not json session-key-value`})
	_, err = c.ExportCodes(context.Background(), defaultExport())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "session-key-value")
}
