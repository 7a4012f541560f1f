package suningtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

type vector struct {
	AppSecret      string `json:"appSecret"`
	AppMethod      string `json:"appMethod"`
	AppRequestTime string `json:"appRequestTime"`
	AppKey         string `json:"appKey"`
	VersionNo      string `json:"versionNo"`
	BodyFile       string `json:"bodyFile"`
	Body           string `json:"body"`
	SignInfo       string `json:"signInfo"`
}

// vectors reads the independently computed signInfo vectors of package suning.
func vectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("../testdata/signinfo.json")
	require.NoError(t, err)
	var vs []vector
	require.NoError(t, json.Unmarshal(b, &vs))
	for i, v := range vs {
		if v.BodyFile != "" {
			raw, err := os.ReadFile("../testdata/" + v.BodyFile)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, json.Compact(&buf, raw))
			vs[i].Body = buf.String()
		}
	}
	return vs
}

// post sends a raw request and returns the decoded answer.
func post(t *testing.T, srv *suningtest.Server, url string, h http.Header, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	if resp.StatusCode == http.StatusOK {
		require.NoError(t, json.Unmarshal(b, &out), string(b))
	}
	return resp.StatusCode, out
}

// errorCode returns the sn_error code of an answer, or "".
func errorCode(ans map[string]any) string {
	c, _ := ans["sn_responseContent"].(map[string]any)
	e, _ := c["sn_error"].(map[string]any)
	code, _ := e["error_code"].(string)
	return code
}

// node returns the sn_body node of an answer.
func node(ans map[string]any, name string) map[string]any {
	c, _ := ans["sn_responseContent"].(map[string]any)
	b, _ := c["sn_body"].(map[string]any)
	n, _ := b[name].(map[string]any)
	return n
}

func vectorHeader(v vector) http.Header {
	return http.Header{
		"AppMethod":      {v.AppMethod},
		"AppRequestTime": {v.AppRequestTime},
		"Format":         {"json"},
		"AppKey":         {v.AppKey},
		"VersionNo":      {v.VersionNo},
		"signInfo":       {v.SignInfo},
	}
}

func vectorServer(t *testing.T, v vector) *suningtest.Server {
	t.Helper()
	at, err := cntime.Parse(v.AppRequestTime)
	require.NoError(t, err)
	srv := suningtest.NewServer(suningtest.Config{AppKey: v.AppKey, AppSecret: v.AppSecret, Clock: couponkittest.NewClock(at)})
	t.Cleanup(srv.Close)
	return srv
}

func TestFakeVerifiesIndependentSignatures(t *testing.T) {
	t.Parallel()
	for _, v := range vectors(t) {
		srv := vectorServer(t, v)
		// Both vectors name an activity the fake does not have: the answer
		// is the business "no result", so the signature was accepted.
		_, ans := post(t, srv, srv.Gateway(), vectorHeader(v), v.Body)
		assert.Equal(t, suning.CodeNoResult, errorCode(ans), v.AppMethod)

		h := vectorHeader(v)
		h["signInfo"] = []string{strings.ToUpper(v.SignInfo)}
		_, ans = post(t, srv, srv.Gateway(), h, v.Body)
		assert.Equal(t, suning.CodeNoResult, errorCode(ans), "signatures compare case-insensitively")

		flipped := []byte(v.SignInfo)
		flipped[0] ^= 1
		h["signInfo"] = []string{string(flipped)}
		_, ans = post(t, srv, srv.Gateway(), h, v.Body)
		assert.Equal(t, suning.CodeSignError, errorCode(ans))

		_, ans = post(t, srv, srv.Gateway(), vectorHeader(v), v.Body+" ")
		assert.Equal(t, suning.CodeSignError, errorCode(ans), "the exact body bytes are signed")
	}
}

func TestFakeHeaderChecks(t *testing.T) {
	t.Parallel()
	v := vectors(t)[1]
	srv := vectorServer(t, v)
	resign := func(h http.Header) http.Header {
		get := func(k string) string { return h[k][0] } // the keys are not in canonical form
		h["signInfo"] = []string{sign.SuningSignInfo(v.AppSecret, get("AppMethod"), get("AppRequestTime"), get("AppKey"), get("VersionNo"), []byte(v.Body))}
		return h
	}
	cases := []struct {
		name   string
		mutate func(h http.Header) http.Header
		code   string
	}{
		{"no AppMethod", func(h http.Header) http.Header { delete(h, "AppMethod"); return h }, suning.CodeHeaderParamNull},
		{"no AppKey", func(h http.Header) http.Header { delete(h, "AppKey"); return h }, suning.CodeHeaderParamNull},
		{"no AppRequestTime", func(h http.Header) http.Header { delete(h, "AppRequestTime"); return h }, suning.CodeMissingRequestTime},
		{"no VersionNo", func(h http.Header) http.Header { delete(h, "VersionNo"); return h }, suning.CodeMissingAPIVersion},
		{"no signInfo", func(h http.Header) http.Header { delete(h, "signInfo"); return h }, suning.CodeSignNull},
		{"unknown app key", func(h http.Header) http.Header { h["AppKey"] = []string{"nobody"}; return resign(h) }, suning.CodeUserInexistence},
		{"bad time", func(h http.Header) http.Header {
			h["AppRequestTime"] = []string{"2024/06/01 10:20:30"}
			return resign(h)
		}, suning.CodeAppTime},
		{"time 11 minutes early", func(h http.Header) http.Header {
			h["AppRequestTime"] = []string{"2024-06-01 10:09:29"}
			return resign(h)
		}, suning.CodeAppTime},
		{"time 11 minutes late", func(h http.Header) http.Header {
			h["AppRequestTime"] = []string{"2024-06-01 10:31:31"}
			return resign(h)
		}, suning.CodeAppTime},
		{"XML format", func(h http.Header) http.Header { delete(h, "Format"); return h }, suning.CodeRequestParams},
		{"other version", func(h http.Header) http.Header { h["VersionNo"] = []string{"v9"}; return resign(h) }, suning.CodeAPIInexistence},
		{"unknown method", func(h http.Header) http.Header { h["AppMethod"] = []string{"suning.custom.item.get"}; return resign(h) }, suning.CodeAPIInexistence},
		{"time 9 minutes late", func(h http.Header) http.Header {
			h["AppRequestTime"] = []string{"2024-06-01 10:29:30"}
			return resign(h)
		}, suning.CodeNoResult},
	}
	for _, tc := range cases {
		_, ans := post(t, srv, srv.Gateway(), tc.mutate(vectorHeader(v)), v.Body)
		assert.Equal(t, tc.code, errorCode(ans), tc.name)
	}
}

func TestFakeAccessToken(t *testing.T) {
	t.Parallel()
	srv := suningtest.NewServer(suningtest.Config{AccessToken: "tok"})
	defer srv.Close()
	body := `{"sn_request":{"sn_body":{"queryAppoint":{"actionId":"1","partNumber":"2","vendorId":"3"}}}}`
	h := signed(srv, suning.MethodAppointQuery, body)
	_, ans := post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, suning.CodeUserInexistence, errorCode(ans))
	h["access_token"] = []string{"tok"}
	_, ans = post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, suning.CodeNoResult, errorCode(ans))
}

// signed returns the headers of a request to srv signed now.
func signed(srv *suningtest.Server, method, body string) http.Header {
	cfg := srv.Config()
	ts := cntime.Format(time.Now())
	return http.Header{
		"AppMethod": {method}, "AppRequestTime": {ts}, "Format": {"json"}, "AppKey": {cfg.AppKey}, "VersionNo": {cfg.VersionNo},
		"signInfo": {sign.SuningSignInfo(cfg.AppSecret, method, ts, cfg.AppKey, cfg.VersionNo, []byte(body))},
	}
}

// goldenNode returns the createAppoint node of the golden request as a map.
func goldenNode(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../testdata/modify_request.json")
	require.NoError(t, err)
	var doc struct {
		R struct {
			B struct {
				N map[string]any `json:"createAppoint"`
			} `json:"sn_body"`
		} `json:"sn_request"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	return doc.R.B.N
}

func createBody(t *testing.T, n map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"sn_request": map[string]any{"sn_body": map[string]any{"createAppoint": n}}})
	require.NoError(t, err)
	return string(b)
}

func TestFakeFieldChecks(t *testing.T) {
	t.Parallel()
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	goods := func(n map[string]any, i int) map[string]any { return n["goodsList"].([]any)[i].(map[string]any) }
	sub := func(n map[string]any) map[string]any { return n["goodsSubList"].([]any)[0].(map[string]any) }
	cases := []struct {
		name   string
		mutate func(n map[string]any)
		code   string
	}{
		{"missing actionName", func(n map[string]any) { delete(n, "actionName") }, "biz.custom.createappoint.missing-parameter:actionName"},
		{"blank vendorCode", func(n map[string]any) { n["vendorCode"] = " " }, "biz.custom.createappoint.missing-parameter:vendorCode"},
		{"number instead of string", func(n map[string]any) { n["sendUserMsg"] = 1 }, "biz.custom.createappoint.format-error:sendUserMsg"},
		{"bad enumeration", func(n map[string]any) { n["vendorType"] = "00-自营" }, "biz.custom.createappoint.enumeration-error:vendorType"},
		{"bad operateType", func(n map[string]any) { n["operateType"] = "04" }, "biz.custom.createappoint.enumeration-error:operateType"},
		{"bad time", func(n map[string]any) { n["purchaseEndTime"] = "2024-06-18" }, "biz.custom.createappoint.format-error:purchaseEndTime"},
		{"modify without actionId", func(n map[string]any) { delete(n, "actionId") }, "biz.custom.createappoint.missing-parameter:actionId"},
		{"create without goods", func(n map[string]any) { n["operateType"] = "01"; delete(n, "goodsList") }, "biz.custom.createappoint.missing-parameter:goodsList"},
		{"goods list not a list", func(n map[string]any) { n["goodsList"] = "x" }, "biz.custom.createappoint.format-error:goodsList"},
		{"goods missing price", func(n map[string]any) { delete(goods(n, 1), "price") }, "biz.custom.createappoint.missing-parameter:price"},
		{"two default goods", func(n map[string]any) { goods(n, 1)["defaultGoodsFlags"] = "1" }, "biz.custom.createappoint.enumeration-error:defaultGoodsFlags"},
		{"bad price", func(n map[string]any) { goods(n, 0)["price"] = "38.999" }, "biz.custom.createappoint.format-error:price"},
		{"bad limit", func(n map[string]any) { goods(n, 0)["totalLimit"] = "-1" }, "biz.custom.createappoint.format-error:totalLimit"},
		{"long part number", func(n map[string]any) { goods(n, 0)["partnumber"] = strings.Repeat("0", 19) }, "biz.custom.createappoint.length-overlong:partnumber"},
		{"long action name", func(n map[string]any) { n["actionName"] = strings.Repeat("名", 101) }, "biz.custom.createappoint.length-overlong:actionName"},
		{"sub goods count", func(n map[string]any) { sub(n)["count"] = "0" }, "biz.custom.createappoint.format-error:count"},
		{"sub goods missing name", func(n map[string]any) { delete(sub(n), "subPartName") }, "biz.custom.createappoint.missing-parameter:subPartName"},
		{"valid but unknown activity", func(n map[string]any) {}, suning.CodeNoResult},
	}
	for _, tc := range cases {
		n := goldenNode(t)
		tc.mutate(n)
		body := createBody(t, n)
		_, ans := post(t, srv, srv.Gateway(), signed(srv, suning.MethodAppointCreate, body), body)
		assert.Equal(t, tc.code, errorCode(ans), tc.name)
	}
	assert.Empty(t, srv.Activities())

	for _, tc := range []struct{ body, code string }{
		{`{"sn_request":`, suning.CodeRequestParams},
		{`{"sn_request":{}}`, suning.CodeMissingSnBody},
		{`{"sn_request":{"sn_body":{"queryAppoint":{}}}}`, suning.CodeRequestParams},
		{`{"other":{}}`, suning.CodeRequestParams},
	} {
		_, ans := post(t, srv, srv.Gateway(), signed(srv, suning.MethodAppointCreate, tc.body), tc.body)
		assert.Equal(t, tc.code, errorCode(ans), tc.body)
	}
	q := `{"sn_request":{"sn_body":{"queryAppoint":{"actionId":"1","partNumber":"2"}}}}`
	_, ans := post(t, srv, srv.Gateway(), signed(srv, suning.MethodAppointQuery, q), q)
	assert.Equal(t, "biz.custom.queryappoint.missing-parameter:vendorId", errorCode(ans))
}

func TestFakeStateAndDedup(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 10, 28, 2, 0, 0, 0, time.UTC) // 10:00 in Beijing
	srv := suningtest.NewServer(suningtest.Config{Clock: couponkittest.NewClock(at)})
	defer srv.Close()
	send := func(n map[string]any) map[string]any {
		body := createBody(t, n)
		h := signed(srv, suning.MethodAppointCreate, body)
		h["AppRequestTime"] = []string{cntime.Format(at)}
		cfg := srv.Config()
		h["signInfo"] = []string{sign.SuningSignInfo(cfg.AppSecret, suning.MethodAppointCreate, cntime.Format(at), cfg.AppKey, cfg.VersionNo, []byte(body))}
		_, ans := post(t, srv, srv.Gateway()+"/"+suning.MethodAppointCreate, h, body)
		return ans
	}
	n := goldenNode(t)
	n["operateType"], n["enrollInfoCode"] = "01", "K1"
	delete(n, "actionId")
	ans := send(n)
	created := node(ans, "createAppoint")
	require.NotNil(t, created, ans)
	assert.Equal(t, "2019102800001", created["actionId"], "Beijing date and a sequence, as in the vendor's sample")
	assert.Equal(t, "0", created["resultCode"])
	assert.Equal(t, "K1", created["enrollInfoCode"])

	n["actionName"] = "changed but same key"
	again := node(send(n), "createAppoint")
	assert.Equal(t, created, again, "a repeated key gets the first answer")
	acts := srv.Activities()
	require.Len(t, acts, 1)
	assert.NotEqual(t, "changed but same key", acts[0].Fields["actionName"])

	acts[0].Fields["actionName"] = "mutated copy"
	a, _ := srv.Activity("2019102800001")
	assert.NotEqual(t, "mutated copy", a.Fields["actionName"], "callers get copies")

	n["operateType"], n["enrollInfoCode"], n["actionId"] = "03", "K2", "2019102800001"
	assert.Equal(t, "0", node(send(n), "createAppoint")["resultCode"])
	a, _ = srv.Activity("2019102800001")
	assert.Equal(t, suningtest.StatusStopped, a.Status)

	n["operateType"], n["enrollInfoCode"] = "02", "K3"
	assert.Equal(t, suning.CodeDataGetFail, errorCode(send(n)))
	n["enrollInfoCode"] = "K3" // a failed write is not remembered
	assert.Equal(t, suning.CodeDataGetFail, errorCode(send(n)))

	_, ok := srv.Activity("nope")
	assert.False(t, ok)
}

func TestFakeHTTPLevel(t *testing.T) {
	t.Parallel()
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	resp, err := srv.Client().Get(srv.Gateway())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	body := `{}`
	status, _ := post(t, srv, strings.TrimSuffix(srv.Gateway(), suningtest.GatewayPath)+"/elsewhere", signed(srv, suning.MethodAppointQuery, body), body)
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = post(t, srv, srv.Gateway()+"/suning.custom.other", signed(srv, suning.MethodAppointQuery, body), body)
	assert.Equal(t, http.StatusNotFound, status, "a method in the path must match AppMethod")
}

func TestFakeFaultInjection(t *testing.T) {
	t.Parallel()
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	body := `{"sn_request":{"sn_body":{"queryAppoint":{"actionId":"1","partNumber":"2","vendorId":"3"}}}}`
	h := signed(srv, suning.MethodAppointQuery, body)

	srv.FailNext(suning.CodeAPIFrequencyLimit, "访问频率限制")
	_, ans := post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, suning.CodeAPIFrequencyLimit, errorCode(ans))

	srv.FailNextBusiness(suning.ResultFailure, "系统错误")
	_, ans = post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, "false", node(ans, "queryAppoint")["resultFlag"])
	assert.Equal(t, "1", node(ans, "queryAppoint")["resultCode"])

	srv.FailNextHTTP(http.StatusBadGateway, "<html>bad gateway</html>")
	status, _ := post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, http.StatusBadGateway, status)

	srv.DropNext()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.Gateway(), strings.NewReader(body))
	require.NoError(t, err)
	_, err = srv.Client().Do(req)
	assert.Error(t, err, "the connection is dropped")

	_, ans = post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, suning.CodeNoResult, errorCode(ans), "faults apply to one request each")
	assert.Equal(t, 5, srv.RequestCount())
	assert.Equal(t, body, string(srv.Requests()[4].Body))

	srv.DelayNext(time.Hour)
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.Gateway(), strings.NewReader(body))
		if resp, err := srv.Client().Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	require.NoError(t, srv.WaitRequests(context.Background(), 6))
	srv.Close() // releases the delayed request instead of waiting an hour
	<-done
}

// The fake is reached at the addresses its constants name, in memory or on
// loopback.
func TestFakeAddresses(t *testing.T) {
	t.Parallel()
	mem := suningtest.Start(t, suningtest.Config{InMemory: true})
	assert.Equal(t, "http://suning.fake.invalid", mem.URL())
	assert.Equal(t, "http://"+suningtest.InMemoryHost, mem.URL())
	assert.Equal(t, "http://suning.fake.invalid/api/http/sopRequest", mem.Gateway())
	assert.Equal(t, mem.Gateway(), mem.ClientConfig().Gateway)

	lo := suningtest.Start(t, suningtest.Config{})
	assert.True(t, strings.HasPrefix(lo.URL(), "http://127.0.0.1:"), lo.URL())
	assert.Equal(t, lo.URL()+"/api/http/sopRequest", lo.Gateway())
	assert.Equal(t, suningtest.GatewayPath, "/api/http/sopRequest")
}

// The fake is driven through couponkittest.Fake alone, Inject included.
func TestFakeSharedControls(t *testing.T) {
	t.Parallel()
	var f couponkittest.Fake = suningtest.Start(t, suningtest.Config{InMemory: true})
	srv := f.(*suningtest.Server)
	body := `{"sn_request":{"sn_body":{"queryAppoint":{"actionId":"1","partNumber":"2","vendorId":"3"}}}}`
	h := canonical(signed(srv, suning.MethodAppointQuery, body))

	f.Inject(couponkittest.Fault{Status: http.StatusServiceUnavailable, Body: []byte("down")})
	status, _ := post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, http.StatusServiceUnavailable, status)

	f.FailNext("sys.check.app-sign:error", "签名错误")
	_, ans := post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, "sys.check.app-sign:error", errorCode(ans))

	f.ThrottleNext(time.Minute)
	_, ans = post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, "sys.controller.api-frequency:limit", errorCode(ans))

	_, ans = post(t, srv, srv.Gateway(), h, body)
	assert.Equal(t, "biz.handler.data-get:no-result", errorCode(ans), "faults apply to one request each")

	require.NoError(t, f.WaitRequests(context.Background(), 4))
	assert.Equal(t, 4, f.RequestCount())
	reqs := f.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, "suning.custom.appoint.query", reqs[3].API)
	assert.Equal(t, "/api/http/sopRequest", reqs[3].Path)
}

// FailNextBusiness answers in the node of the request's method.
func TestFakeFailNextBusinessNode(t *testing.T) {
	t.Parallel()
	srv := suningtest.Start(t, suningtest.Config{InMemory: true})
	body := `{"sn_request":{"sn_body":{"queryBookinginfo":{"actionId":"1","snUnionId":"2"}}}}`
	srv.FailNextBusiness("1", "系统错误")
	_, ans := post(t, srv, srv.Gateway(), canonical(signed(srv, suning.MethodBookingInfoQuery, body)), body)
	assert.Equal(t, map[string]any{"resultFlag": "false", "resultCode": "1", "resultMsg": "系统错误"}, node(ans, "queryBookinginfo"))
	assert.Empty(t, errorCode(ans))
}

// canonical returns h with its keys canonical, as a server reading from the
// wire would see them; the in-memory transport hands the header over as is.
func canonical(h http.Header) http.Header {
	c := make(http.Header, len(h))
	for k, v := range h {
		c[http.CanonicalHeaderKey(k)] = v
	}
	return c
}
