package suning_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
)

// TestFaultForCoversTheVendorTable classifies every code of the vendor's
// error tables.
func TestFaultForCoversTheVendorTable(t *testing.T) {
	t.Parallel()
	const (
		client   = couponkit.FaultClient
		auth     = couponkit.FaultAuth
		throttle = couponkit.FaultThrottle
		server   = couponkit.FaultServer
	)
	table := map[string]couponkit.Fault{
		"biz.custom.createappoint.missing-parameter:actionName":   client,
		"biz.custom.createappoint.length-overlong:partName":       client,
		"biz.custom.createappoint.enumeration-error:vendorType":   client,
		"biz.custom.createappoint.format-error:actionStartTime":   client,
		"isp.sys.service.unavailable.pss":                         server,
		"sys.check.user-permission:inexistence":                   auth,
		"sys.check.user-permission:overdue":                       auth,
		"sys.check.api-permission:inexistence":                    auth,
		"sys.check.api-permission:overdue":                        auth,
		"sys.check.method-permission:authority":                   auth,
		"sys.auth.vendor-request:errory":                          auth,
		"sys.controller.api-request:limit":                        throttle,
		"sys.check.app-time:error":                                auth,
		"sys.check.request-apprequesttime:error":                  auth,
		"sys.check.request-params:error":                          client,
		"sys.check.starttime-format:error":                        client,
		"biz.handler.data-get:success":                            client,
		"biz.handler.data-get:fail":                               client,
		"biz.handler.data-get:no-result":                          client,
		"sys.check.pageno-format:error":                           client,
		"sys.check.pagesize-format:error":                         client,
		"sys.check.page-param:error":                              client,
		"sys.check.miss-time:starttime":                           client,
		"sys.check.miss-time:endtime":                             client,
		"sys.check.starttime-value:null":                          client,
		"sys.check.endtime-value:null":                            client,
		"sys.check.endtime-format:error":                          client,
		"sys.check.query-time:error":                              client,
		"sys.check.query-time:outofrange":                         client,
		"sys.check.app-sign:null":                                 auth,
		"sys.check.app-sign:error":                                auth,
		"sys.check.missing-parameter:apiversion":                  client,
		"sys.check.missing-parameter:appRequestTime":              client,
		"sys.check.missing-nestElement:sn_body":                   client,
		"biz.handler.batch-handler:no-support":                    client,
		"biz.handler.request-message:error":                       client,
		"sys.check.header-param:null":                             client,
		"sys.controller.api-access:limit":                         throttle,
		"sys.controller.api-frequency:limit":                      throttle,
		"sys.error.network:failure":                               server,
		"sys.error.network-status:503":                            server,
		"sys.check.snunionid.length.is.not:48":                    client,
		"something.undocumented":                                  couponkit.FaultUnknown,
		"":                                                        couponkit.FaultUnknown,
		"biz.custom.queryappoint.missing-parameter:partNumber":    client,
		"sys.controller.api-request:something-other-than-a-limit": couponkit.FaultUnknown,
	}
	for code, want := range table {
		assert.Equal(t, want, suning.FaultFor(code), code)
	}
}

func snError(code, msg string) string {
	return `{"sn_responseContent":{"sn_error":{"error_code":"` + code + `","error_msg":"` + msg + `"}}}`
}

// TestErrorShapes sends one create and checks the error of each response shape.
func TestErrorShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		answer  string
		fault   couponkit.Fault
		code    string
		message string // substring
		unknown bool   // the keyed write's outcome is unknown: an sn_error of a server fault, or no definite answer
	}{
		{"sn_error with field suffix", snError("biz.custom.createappoint.missing-parameter:actionName", "参数必填"),
			couponkit.FaultClient, "biz.custom.createappoint.missing-parameter:actionName", "参数必填", false},
		{"sn_error signature", snError(suning.CodeSignError, "签名信息错误"), couponkit.FaultAuth, suning.CodeSignError, "签名信息错误", false},
		{"sn_error token", snError(suning.CodeUserOverdue, "访问令牌已过期"), couponkit.FaultAuth, suning.CodeUserOverdue, "访问令牌已过期", false},
		{"sn_error throttled", snError(suning.CodeAPIRequestLimit, "Api请求受控"), couponkit.FaultThrottle, suning.CodeAPIRequestLimit, "Api请求受控", false},
		{"sn_error vendor service down", snError(suning.CodeServiceUnavailable, "服务不可用"), couponkit.FaultServer, suning.CodeServiceUnavailable, "服务不可用", true},
		{"sn_error without a code", `{"sn_responseContent":{"sn_error":{"error_msg":"出错了"}}}`, couponkit.FaultUnknown, "", "出错了", false},
		{"sn_error with a numeric code", `{"sn_responseContent":{"sn_error":{"error_code":500,"error_msg":"x"}}}`, couponkit.FaultUnknown, "500", "x", false},
		{"the vendor's sample: resultCode 1", string(readTestdata(t, "vendor_sample_response.json")), couponkit.FaultClient, "1", "系统错误", false},
		{"resultCode 1 without a message", `{"sn_responseContent":{"sn_body":{"createAppoint":{"resultCode":"1"}}}}`, couponkit.FaultClient, "1", "the vendor reported failure 1", false},
		{"resultCode missing", `{"sn_responseContent":{"sn_body":{"createAppoint":{"resultMsg":"?"}}}}`, couponkit.FaultUnknown, "", "no resultCode", true},
		{"node missing", `{"sn_responseContent":{"sn_body":{"other":{}}}}`, couponkit.FaultUnknown, "", "no sn_body.createAppoint", true},
		{"node null", `{"sn_responseContent":{"sn_body":{"createAppoint":null}}}`, couponkit.FaultUnknown, "", "no sn_body.createAppoint", true},
		{"envelope missing", `{"result":"ok"}`, couponkit.FaultUnknown, "", "no sn_responseContent", true},
		{"not JSON", `<sn_responseContent/>`, couponkit.FaultUnknown, "", "does not decode", true},
		{"node not an object", `{"sn_responseContent":{"sn_body":{"createAppoint":"ok"}}}`, couponkit.FaultUnknown, "", "does not decode", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, seen, _ := mockClient(t, goldenConfig(t), tc.answer, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
			res, err := c.Modify(context.Background(), goldenRequest(t))
			require.Error(t, err)
			assert.Nil(t, res)
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "suning", e.Vendor)
			assert.Equal(t, "suning.custom.appoint.create", e.Operation)
			assert.Equal(t, tc.fault, e.Fault)
			assert.Equal(t, tc.code, e.Code)
			assert.Contains(t, e.Error(), tc.message)
			assert.Equal(t, 200, e.HTTPStatus)
			assert.Equal(t, tc.unknown, errors.Is(err, couponkit.ErrUnknownOutcome))
			if tc.unknown {
				key, ok := couponkit.IdempotencyKey(err)
				assert.True(t, ok)
				assert.Equal(t, "SU191028101810140135", key)
			}
			assert.Len(t, *seen, 1)
		})
	}
}

// A failure without a message reads the same from a typed call and from
// Call.
func TestFailureWithoutAMessage(t *testing.T) {
	t.Parallel()
	c, _, _ := mockClient(t, goldenConfig(t), `{"sn_responseContent":{"sn_body":{"queryAppoint":{"resultFlag":"false"}}}}`)
	_, typedErr := c.Query(context.Background(), &suning.QueryRequest{ActionID: "1", PartNumber: "2", VendorID: "3"})
	_, callErr := c.Call(context.Background(), suning.MethodAppointQuery, map[string]string{"actionId": "1"}, nil, couponkit.Read())
	for _, err := range []error{typedErr, callErr} {
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, suning.ResultFailure, e.Code)
		assert.Equal(t, "the vendor reported failure 1", e.Message)
		assert.Equal(t, couponkit.FaultClient, e.Fault)
	}
}

func TestSuccessWithNumericResultCode(t *testing.T) {
	t.Parallel()
	c, _, _ := mockClient(t, goldenConfig(t), `{"sn_responseContent":{"sn_head":{},"sn_body":{"createAppoint":{"resultCode":0,"actionId":2019102800001}}}}`)
	res, err := c.Modify(context.Background(), goldenRequest(t))
	require.NoError(t, err)
	assert.Equal(t, "0", res.ResultCode)
	assert.Equal(t, "2019102800001", res.ActionID)
}

func TestHTTPStatusErrors(t *testing.T) {
	t.Parallel()
	// A 429 is a throttle even with a body that does not decode; a 5xx is a
	// server fault, and for a keyed write the outcome is unknown.
	mt, seen := newStatusMock(t, 429, "slow down")
	c, err := suning.NewClient(goldenConfig(t), couponkit.WithTransport(mt), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = c.Modify(context.Background(), goldenRequest(t))
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultThrottle, e.Fault)
	assert.Equal(t, 429, e.HTTPStatus)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
	assert.Equal(t, 1, *seen)

	mt, seen = newStatusMock(t, 502, "<html>bad gateway</html>")
	defer func() { assert.Equal(t, 1, *seen, "no retry with MaxAttempts 1") }()
	c, err = suning.NewClient(goldenConfig(t), couponkit.WithTransport(mt), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = c.Modify(context.Background(), goldenRequest(t))
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultServer, e.Fault)
	assert.Equal(t, 502, e.HTTPStatus)
	assert.ErrorIs(t, err, couponkit.ErrUnknownOutcome)

	// The same failure on a read is a plain server error.
	mt, _ = newStatusMock(t, 503, "")
	c, err = suning.NewClient(goldenConfig(t), couponkit.WithTransport(mt), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = c.Query(context.Background(), &suning.QueryRequest{ActionID: "1", PartNumber: "2", VendorID: "3"})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultServer, e.Fault)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
}

func TestSecretsNeverInErrors(t *testing.T) {
	t.Parallel()
	cfg := goldenConfig(t)
	cfg.AccessToken = "token-0123456789"
	c, _, _ := mockClient(t, cfg, snError(suning.CodeSignError, "bad sign for "+cfg.AppSecret+" and "+cfg.AccessToken))
	_, err := c.Modify(context.Background(), goldenRequest(t))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), cfg.AppSecret)
	assert.NotContains(t, err.Error(), cfg.AccessToken)
	assert.Contains(t, err.Error(), "[redacted]")
}

func TestQueryFailureShapes(t *testing.T) {
	t.Parallel()
	q := &suning.QueryRequest{ActionID: "2019102800001", PartNumber: "000000000123456789", VendorID: "0010012345"}
	node := func(fields string) string {
		return `{"sn_responseContent":{"sn_body":{"queryAppoint":{` + fields + `}}}}`
	}
	cases := []struct {
		name   string
		answer string
		code   string
		msg    string
		fault  couponkit.Fault
		sent   int
	}{
		{"resultFlag false", node(`"resultFlag":"false","resultCode":"1","resultMsg":"系统错误"`), "1", "系统错误", couponkit.FaultClient, 1},
		{"resultFlag false without a code", node(`"resultFlag":false,"resultMsg":"失败"`), "1", "失败", couponkit.FaultClient, 1},
		{"resultCode 1 without a flag", node(`"resultCode":"1","resultMsg":"系统错误"`), "1", "系统错误", couponkit.FaultClient, 1},
		{"no result", snError(suning.CodeNoResult, "业务数据结果为空"), suning.CodeNoResult, "业务数据结果为空", couponkit.FaultClient, 1},
		{"bad time", node(`"resultFlag":"true","actionId":"2019102800001","actionStartTime":"2024/06/01"`), "", `not a time: "2024/06/01"`, couponkit.FaultUnknown, 3},
		{"neither flag nor code", node(`"actionId":"2019102800001"`), "", "neither resultFlag nor resultCode", couponkit.FaultUnknown, 3},
		{"another activity", node(`"resultFlag":"true","actionId":"A"`), "", `answers for activity "A", not "2019102800001"`, couponkit.FaultUnknown, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, seen, _ := mockClient(t, goldenConfig(t), tc.answer)
			res, err := c.Query(context.Background(), q)
			assert.Nil(t, res)
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.fault, e.Fault)
			assert.Contains(t, e.Error(), tc.msg)
			assert.Len(t, *seen, tc.sent, "client faults are not retried; a read of an unreadable answer is")
		})
	}
	// A flag of true wins over an odd resultCode.
	c, _, _ := mockClient(t, goldenConfig(t), node(`"resultFlag":"TRUE","resultCode":"1","actionId":"2019102800001"`))
	res, err := c.Query(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, "2019102800001", res.ActionID)
	assert.True(t, strings.HasPrefix(string(res.Node), "{"))
}

// newStatusMock answers every request with status and body, and counts them.
func newStatusMock(t *testing.T, status int, body string) (*httpmock.MockTransport, *int) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	n := new(int)
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		*n++
		return httpmock.NewStringResponse(status, body), nil
	})
	return mt, n
}
