package taobaofilmtest_test

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/leakcheck"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

var beijing = time.FixedZone("CST", 8*3600)

// topSign is a TOP signature computed with the standard library only.
func topSign(v url.Values, secret string) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		if k != "sign" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var s strings.Builder
	for _, k := range keys {
		s.WriteString(k + v.Get(k))
	}
	var h hash.Hash
	switch v.Get("sign_method") {
	case "hmac":
		h = hmac.New(md5.New, []byte(secret))
	case "hmac-sha256":
		h = hmac.New(sha256.New, []byte(secret))
	default:
		sum := md5.Sum([]byte(secret + s.String() + secret))
		return strings.ToUpper(hex.EncodeToString(sum[:]))
	}
	h.Write([]byte(s.String()))
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil)))
}

func TestTopSignPublishedVector(t *testing.T) {
	v := url.Values{"method": {"taobao.user.seller.get"}, "timestamp": {"2013-05-06 13:52:03"}, "format": {"xml"},
		"app_key": {"test"}, "v": {"2.0"}, "fields": {"nick"}, "sign_method": {"md5"}, "session": {"test"}}
	assert.Equal(t, "72CB4D809B375A54502C09360D879C64", topSign(v, "test"))
}

// exportParams are a valid export request's params at now, unsigned.
func exportParams(now time.Time, method string) url.Values {
	return url.Values{
		"method": {"taobao.film.fcode.export.query"}, "app_key": {taobaofilmtest.DefaultAppKey},
		"timestamp": {now.In(beijing).Format("2006-01-02 15:04:05")}, "v": {"2.0"}, "format": {"json"},
		"sign_method": {method}, "mix_id": {taobaofilmtest.DefaultMixID},
		"partner_code": {taobaofilmtest.DefaultPartnerCode}, "operate_type": {"ALL"},
	}
}

func post(t *testing.T, srv *taobaofilmtest.Server, v url.Values, secret string) map[string]any {
	t.Helper()
	if secret != "" {
		v.Set("sign", topSign(v, secret))
	}
	resp, err := srv.Client().Post(srv.Gateway(), "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	return m
}

func errorCode(m map[string]any) any {
	e, ok := m["error_response"].(map[string]any)
	if !ok {
		return nil
	}
	return e["code"]
}

func returnValue(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	body, ok := m["film_fcode_export_query_response"].(map[string]any)
	if !ok {
		body = m
	}
	res := body["result"].(map[string]any)
	require.Equal(t, "0", res["return_code"], m)
	return res["return_value"].(map[string]any)
}

func newServer(t *testing.T, cfg taobaofilmtest.Config) *taobaofilmtest.Server {
	return taobaofilmtest.Start(t, cfg)
}

// Requests computed with Python (../testdata/vectors.json) are accepted.
func TestAcceptsIndependentVectors(t *testing.T) {
	b, err := os.ReadFile("../testdata/vectors.json")
	require.NoError(t, err)
	var vs []struct {
		Name, Secret, Body string
		Params             map[string]string
	}
	require.NoError(t, json.Unmarshal(b, &vs))
	now := time.Date(2024, 6, 1, 8, 3, 0, 0, beijing)
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			srv := newServer(t, taobaofilmtest.Config{AppSecret: v.Secret, Session: v.Params["session"], Clock: couponkittest.NewClock(now)})
			srv.Handle("taobao.film.fcode.merchant.send", func(p url.Values) (any, *taobaofilmtest.Error) {
				return map[string]any{"ok": p.Get("order_no")}, nil
			})
			resp, err := srv.Client().Post(srv.Gateway(), "application/x-www-form-urlencoded;charset=utf-8", strings.NewReader(v.Body))
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.NotContains(t, string(body), "error_response")
			if strings.HasPrefix(v.Name, "export") {
				assert.Contains(t, string(body), taobaofilmtest.ReturnCodeMixIDNotFound, "signature accepted, unknown batch")
			} else {
				assert.Contains(t, string(body), `"ok":"订单 1+1"`)
			}
			tampered := strings.Replace(v.Body, "json", "jsoN", 1)
			m := post(t, srv, mustParse(t, tampered), "")
			assert.Equal(t, float64(23), errorCode(m))
			tampered = strings.Replace(v.Body, "v=2.0", "v=2.0&extra=1", 1)
			m = post(t, srv, mustParse(t, tampered), "")
			assert.Equal(t, float64(25), errorCode(m))
		})
	}
}

func mustParse(t *testing.T, s string) url.Values {
	v, err := url.ParseQuery(s)
	require.NoError(t, err)
	return v
}

func TestCommonChecks(t *testing.T) {
	now := time.Date(2024, 6, 1, 8, 0, 0, 0, beijing)
	srv := newServer(t, taobaofilmtest.Config{Clock: couponkittest.NewClock(now), Session: "sess"})
	sec := taobaofilmtest.DefaultAppSecret
	ok := func(v url.Values) url.Values { v.Set("session", "sess"); return v }
	for _, tc := range []struct {
		name string
		edit func(url.Values)
		code float64
	}{
		{"missing method", func(v url.Values) { v.Del("method") }, 21},
		{"unknown method", func(v url.Values) { v.Set("method", "taobao.nope") }, 22},
		{"missing app key", func(v url.Values) { v.Del("app_key") }, 28},
		{"wrong app key", func(v url.Values) { v.Set("app_key", "999") }, 29},
		{"missing timestamp", func(v url.Values) { v.Del("timestamp") }, 30},
		{"bad timestamp", func(v url.Values) { v.Set("timestamp", "2024-06-01T08:00:00Z") }, 31},
		{"timestamp 10m1s early", func(v url.Values) { v.Set("timestamp", "2024-06-01 07:49:59") }, 31},
		{"timestamp 10m1s late", func(v url.Values) { v.Set("timestamp", "2024-06-01 08:10:01") }, 31},
		{"timestamp in UTC", func(v url.Values) { v.Set("timestamp", "2024-06-01 00:00:00") }, 31},
		{"missing version", func(v url.Values) { v.Del("v") }, 32},
		{"old version", func(v url.Values) { v.Set("v", "1.0") }, 34},
		{"xml", func(v url.Values) { v.Set("format", "xml") }, 23},
		{"unknown sign method", func(v url.Values) { v.Set("sign_method", "sha1") }, 25},
		{"missing session", func(v url.Values) { v.Del("session") }, 26},
		{"wrong session", func(v url.Values) { v.Set("session", "other") }, 27},
		{"missing mix_id", func(v url.Values) { v.Del("mix_id") }, 40},
		{"missing partner", func(v url.Values) { v.Del("partner_code") }, 40},
		{"bad operate type", func(v url.Values) { v.Set("operate_type", "SOME") }, 41},
		{"params not JSON", func(v url.Values) { v.Set("params", "{") }, 41},
		{"bad cursor", func(v url.Values) { v.Set("params", `{"last_sequence":"x"}`) }, 41},
		{"negative cursor", func(v url.Values) { v.Set("last_sequence", "-1") }, 41},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := ok(exportParams(now, "hmac-sha256"))
			tc.edit(v)
			assert.Equal(t, tc.code, errorCode(post(t, srv, v, sec)))
		})
	}
	for _, skew := range []time.Duration{-9*time.Minute - 59*time.Second, 9*time.Minute + 59*time.Second} {
		v := ok(exportParams(now.Add(skew), "md5"))
		assert.Nil(t, errorCode(post(t, srv, v, sec)), skew)
	}
	v := ok(exportParams(now, "hmac"))
	v.Set("sign", "00")
	assert.Equal(t, float64(25), errorCode(post(t, srv, v, "")))
	v.Del("sign")
	assert.Equal(t, float64(24), errorCode(post(t, srv, v, "")))

	// Signature in lower case, and a GET with the params in the query.
	v = ok(exportParams(now, "hmac"))
	v.Set("sign", strings.ToLower(topSign(v, sec)))
	resp, err := srv.Client().Get(srv.Gateway() + "?" + v.Encode())
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"return_code":"0"`)

	resp, err = srv.Client().Get(srv.URL() + "/other")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestBusinessFailures(t *testing.T) {
	srv := newServer(t, taobaofilmtest.Config{})
	v := exportParams(time.Now(), "md5")
	v.Set("partner_code", "other")
	m := post(t, srv, v, taobaofilmtest.DefaultAppSecret)
	res := m["film_fcode_export_query_response"].(map[string]any)["result"].(map[string]any)
	assert.Equal(t, taobaofilmtest.ReturnCodePartnerMismatch, res["return_code"])

	srv.FailNextBusiness("E1", "失败")
	m = post(t, srv, exportParams(time.Now(), "md5"), taobaofilmtest.DefaultAppSecret)
	res = m["film_fcode_export_query_response"].(map[string]any)["result"].(map[string]any)
	assert.Equal(t, "E1", res["return_code"])
	assert.Equal(t, "失败", res["return_message"])
	assert.NotEmpty(t, m["film_fcode_export_query_response"].(map[string]any)["request_id"])
}

func TestPaging(t *testing.T) {
	b := taobaofilmtest.DefaultBatch()
	b.Count = 7
	srv := newServer(t, taobaofilmtest.Config{PageSize: 3, Batches: []taobaofilmtest.Batch{b}})
	sec := taobaofilmtest.DefaultAppSecret
	var cursor string
	var all []any
	for page := 1; ; page++ {
		v := exportParams(time.Now(), "hmac-sha256")
		if cursor != "" {
			if page%2 == 0 {
				v.Set("params", `{"last_sequence":`+cursor+`}`)
			} else {
				v.Set("last_sequence", cursor) // a top-level parameter works too
			}
		}
		if page == 3 {
			v.Set("simplify", "true")
		}
		rv := returnValue(t, post(t, srv, v, sec))
		var list []any
		if page == 3 {
			list = rv["coupon_list"].([]any)
		} else {
			list = rv["coupon_list"].(map[string]any)["f_code_info"].([]any)
		}
		all = append(all, list...)
		assert.Equal(t, float64(len(list)), rv["current_rows"])
		assert.Equal(t, float64(len(all)), rv["last_sequence"])
		basic := rv["basic"].(map[string]any)
		assert.Equal(t, float64(7), basic["total_count"])
		assert.Equal(t, "淘票票示例活动", basic["name"])
		if rv["has_next"] == false {
			break
		}
		cursor = strconv.Itoa(len(all))
	}
	require.Len(t, all, 7)
	for i, c := range all {
		code := c.(map[string]any)
		want, _ := srv.CodeAt(taobaofilmtest.DefaultMixID, int64(i+1))
		assert.Equal(t, want, code["code"])
		assert.Contains(t, []any{-2.0, -1.0, 0.0, 2.0}, code["code_status"])
		assert.Contains(t, []any{-1.0, 0.0}, code["bind_status"])
		_, err := time.ParseInLocation("2006-01-02 15:04:05", code["gmt_modified"].(string), beijing)
		assert.NoError(t, err)
	}
	_, ok := srv.CodeAt(taobaofilmtest.DefaultMixID, 8)
	assert.False(t, ok)
	_, ok = srv.CodeAt("nope", 1)
	assert.False(t, ok)
	assert.Equal(t, 3, srv.RequestCount())
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "taobao.film.fcode.export.query", reqs[0].API)
	assert.Equal(t, "ALL", taobaofilmtest.Params(reqs[0]).Get("operate_type"))
}

// A batch's codes never repeat and use the vendor's alphabet.
func TestCodesUnique(t *testing.T) {
	b := taobaofilmtest.DefaultBatch()
	b.Count = 200_000
	srv := newServer(t, taobaofilmtest.Config{Batches: []taobaofilmtest.Batch{b}})
	seen := make(map[string]bool, b.Count)
	for n := int64(1); n <= b.Count; n++ {
		c, ok := srv.CodeAt(b.MixID, n)
		require.True(t, ok)
		require.Len(t, c, 11)
		require.False(t, seen[c], "code %d repeats", n)
		seen[c] = true
	}
	require.Equal(t, strings.Trim(strings.Join(keys(seen), ""), "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"), "")
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestInjectedFaults(t *testing.T) {
	leakcheck.Check(t)
	srv := newServer(t, taobaofilmtest.Config{})
	sec := taobaofilmtest.DefaultAppSecret
	v := func() url.Values { return exportParams(time.Now(), "md5") }

	srv.ThrottleNext(3 * time.Second)
	m := post(t, srv, v(), sec)
	e := m["error_response"].(map[string]any)
	assert.Equal(t, float64(7), e["code"])
	assert.Equal(t, "This ban will last for 3 more seconds", e["sub_msg"])

	srv.FailNext("isp.remote-service-timeout", "远程服务调用超时")
	e = post(t, srv, v(), sec)["error_response"].(map[string]any)
	assert.Equal(t, float64(15), e["code"])
	assert.Equal(t, "isp.remote-service-timeout", e["sub_code"])
	assert.Equal(t, "远程服务调用超时", e["msg"])

	srv.FailNextError(taobaofilmtest.Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter"})
	assert.Equal(t, float64(41), errorCode(post(t, srv, v(), sec)))

	srv.FailNextHTTP(503, "<html><body>503 Service Unavailable</body></html>")
	x := v()
	x.Set("sign", topSign(x, sec))
	resp, err := srv.Client().PostForm(srv.Gateway(), x)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 503, resp.StatusCode)
	assert.Contains(t, string(body), "Service Unavailable")

	srv.DropNext()
	_, err = srv.Client().PostForm(srv.Gateway(), x)
	assert.Error(t, err)

	srv.DelayNext(time.Millisecond)
	assert.Nil(t, errorCode(post(t, srv, v(), sec)))

	y := v()
	y.Set("params", `{"last_sequence":100}`)
	rv := returnValue(t, post(t, srv, y, sec))
	assert.Equal(t, float64(200), rv["last_sequence"])
	srv.IgnoreCursorNext()
	rv = returnValue(t, post(t, srv, y, sec))
	assert.Equal(t, float64(100), rv["last_sequence"], "the cursor was ignored: the first page again")
	srv.Close()
	srv.Close()
}

func TestBatches(t *testing.T) {
	srv := newServer(t, taobaofilmtest.Config{})
	assert.Error(t, srv.AddBatch(taobaofilmtest.DefaultBatch()), "duplicate")
	b := taobaofilmtest.DefaultBatch()
	b.MixID = ""
	assert.Error(t, srv.AddBatch(b))
	b = taobaofilmtest.DefaultBatch()
	b.MixID, b.PartnerCode = "other", ""
	assert.Error(t, srv.AddBatch(b))
	b.PartnerCode, b.RedeemedPercent = "p", 101
	assert.Error(t, srv.AddBatch(b))
	b.RedeemedPercent, b.Count = 0, -1
	assert.Error(t, srv.AddBatch(b))
	b.Count = 10
	require.NoError(t, srv.AddBatch(b))
	_, ok := srv.CodeAt("other", 10)
	assert.True(t, ok)
	assert.Panics(t, func() { taobaofilmtest.NewServer(taobaofilmtest.Config{Batches: []taobaofilmtest.Batch{{}}}) })
}

func TestHandleErrorsAndShapes(t *testing.T) {
	srv := newServer(t, taobaofilmtest.Config{})
	srv.Handle("taobao.film.x", func(p url.Values) (any, *taobaofilmtest.Error) {
		switch p.Get("mode") {
		case "error":
			return nil, &taobaofilmtest.Error{Code: 15, Message: "Remote service error", SubCode: "isp.x"}
		case "bad":
			return make(chan int), nil
		case "empty":
			return struct{}{}, nil
		}
		return []int{1}, nil
	})
	req := func(mode string, simplify bool) map[string]any {
		v := exportParams(time.Now(), "md5")
		v.Set("method", "taobao.film.x")
		v.Set("mode", mode)
		if simplify {
			v.Set("simplify", "true")
		}
		return post(t, srv, v, taobaofilmtest.DefaultAppSecret)
	}
	assert.Equal(t, float64(15), errorCode(req("error", false)))
	assert.Equal(t, float64(15), errorCode(req("bad", false)))
	m := req("empty", false)
	assert.NotEmpty(t, m["film_x_response"].(map[string]any)["request_id"])
	m = req("empty", true)
	assert.NotEmpty(t, m["request_id"])
	v := exportParams(time.Now(), "md5")
	v.Set("method", "taobao.film.x")
	v.Set("sign", topSign(v, taobaofilmtest.DefaultAppSecret))
	resp, err := srv.Client().PostForm(srv.Gateway(), v)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, `{"film_x_response":[1]}`, string(body))
}

// A handler registered for a built-in method answers it instead, export
// and issue methods alike; a method nothing routes is code 22.
func TestHandleReplacesBuiltInMethods(t *testing.T) {
	srv := newServer(t, taobaofilmtest.Config{})
	for _, method := range []string{"taobao.film.fcode.export.query", "taobao.film.lottery.sendcode"} {
		srv.Handle(method, func(url.Values) (any, *taobaofilmtest.Error) {
			return nil, &taobaofilmtest.Error{Code: 42, Message: "replaced"}
		})
		v := exportParams(time.Now(), "md5")
		v.Set("method", method)
		assert.Equal(t, float64(42), errorCode(post(t, srv, v, taobaofilmtest.DefaultAppSecret)), method)
	}
	v := exportParams(time.Now(), "md5")
	v.Set("method", "taobao.film.none")
	assert.Equal(t, float64(22), errorCode(post(t, srv, v, taobaofilmtest.DefaultAppSecret)))
}
