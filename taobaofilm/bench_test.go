package taobaofilm_test

// The benchmarks of this file pair one call through the client with the same
// request written by hand, as a developer outside this project would write
// it with the standard library only (net/http, encoding/json, crypto/hmac
// and crypto/sha256): build the form, sign it, post it with the same headers
// and per-attempt timeout, read the answer, check error_response and the
// return code, and decode the same values. Nothing here comes from
// couponkit's internal packages but benchkit (the pairing and the canned
// answers); TestHandwrittenSendsTheSDKRequest checks that both sides send
// the same bytes. See benchkit.Paired for the metrics.

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

const (
	benchAppKey = "12345678"
	benchSecret = "bench-secret"
	benchURL    = benchkit.MemoryURL + taobaofilmtest.GatewayPath
	benchSeq    = 100 // the cursor every benchmarked export page is asked after
)

// benchPageSizes are the export page sizes benchmarked.
var benchPageSizes = []int{10, 100, 1000}

// pageBody is one real export page of n codes, rendered by the fake (page
// size n, after sequence benchSeq).
func pageBody(tb testing.TB, n int) []byte {
	tb.Helper()
	b := taobaofilmtest.DefaultBatch()
	b.Count = int64(benchSeq + 2*n)
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{Batches: []taobaofilmtest.Batch{b}, PageSize: n, InMemory: true})
	defer srv.Close()
	c, err := taobaofilm.NewClient(srv.ClientConfig(), srv.ClientOption())
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	req := defaultExport()
	seq := int64(benchSeq)
	req.LastSequence = &seq
	p, err := c.ExportCodes(context.Background(), req)
	if err != nil || len(p.Codes) != n {
		tb.Fatal("no page", err)
	}
	return p.Meta.Raw
}

// sendAnswer is the canned answer of the generic call benchmarks: a
// taobao.film.lottery.sendcode success issuing two codes, in TOP's wrapped
// shape.
const sendAnswer = `{"film_lottery_sendcode_response":{"result":{"return_code":"0","return_message":"success",` +
	`"return_value":{"f_code_merchant_info_list":{"f_code_merchant_vo":[` +
	`{"code":"2X2QFKTZD2K","cost_price":400,"gen_task_id":7001,"gmt_expire":"2019-12-02 23:59:59"},` +
	`{"code":"3Y3RGLU2E3L","cost_price":400,"gen_task_id":7001,"gmt_expire":"2019-12-02 23:59:59"}]}}},` +
	`"request_id":"bench0001"}}`

// The generic call's method and its one struct parameter.
const (
	benchSendMethod = "taobao.film.lottery.sendcode"
	benchSendParam  = "param_f_code_merchant_send_code_request"
)

// hwSendRequest is the sendcode request both sides encode as JSON.
type hwSendRequest struct {
	MixID       string `json:"mix_id"`
	PartnerCode string `json:"partner_code"`
	ExtOrderID  string `json:"ext_order_id"`
	Number      int64  `json:"number"`
	EachCount   int64  `json:"each_num"`
	UserIDList  string `json:"user_id_list"`
	UserIDType  string `json:"user_id_type"`
}

func benchSend() hwSendRequest {
	return hwSendRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode,
		ExtOrderID: "ORDER-20191201-0001", Number: 2, EachCount: 1, UserIDList: "2200012345", UserIDType: "TAOBAO"}
}

// hwSendResult is what both sides decode of the sendcode answer.
type hwSendResult struct {
	Result struct {
		ReturnCode    string `json:"return_code"`
		ReturnMessage string `json:"return_message"`
		ReturnValue   struct {
			List struct {
				Codes []struct {
					Code      string `json:"code"`
					CostPrice int64  `json:"cost_price"`
					GenTaskID int64  `json:"gen_task_id"`
					GmtExpire string `json:"gmt_expire"`
				} `json:"f_code_merchant_vo"`
			} `json:"f_code_merchant_info_list"`
		} `json:"return_value"`
	} `json:"result"`
	RequestID string `json:"request_id"`
}

// hwSign is TOP's hmac-sha256 signature written with the standard library:
// the parameters but sign sorted by name, concatenated as name then value,
// HMAC-SHA256 keyed by the app secret, upper-case hex.
func hwSign(v url.Values, secret string) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		if k != "sign" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	m := hmac.New(sha256.New, []byte(secret))
	for _, k := range keys {
		io.WriteString(m, k)
		io.WriteString(m, v[k][0])
	}
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

// cst is Beijing time, TOP's timestamp zone.
var cst = time.FixedZone("CST", 8*3600)

// hwClient is the hand-written client: post sends one form body and returns
// the answer's bytes (net/http or resty underneath).
type hwClient struct {
	url  string
	now  func() time.Time
	post func(ctx context.Context, url, body string) ([]byte, error)
}

const formType = "application/x-www-form-urlencoded;charset=utf-8"

func newHWClient(hc *http.Client, gateway string) *hwClient {
	return &hwClient{url: gateway, now: time.Now, post: func(ctx context.Context, url, body string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", formType)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", couponkit.DefaultUserAgent)
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return io.ReadAll(resp.Body)
	}}
}

func newRestyClient(hc *http.Client, gateway string) *hwClient {
	rc := resty.NewWithClient(hc).SetHeader("User-Agent", couponkit.DefaultUserAgent).SetHeader("Accept", "application/json")
	return &hwClient{url: gateway, now: time.Now, post: func(ctx context.Context, url, body string) ([]byte, error) {
		r, err := rc.R().SetContext(ctx).SetHeader("Content-Type", formType).SetBody(body).Post(url)
		if err != nil {
			return nil, err
		}
		if r.StatusCode() != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d", r.StatusCode())
		}
		return r.Body(), nil
	}}
}

// form returns the signed form body of method with biz.
func (h *hwClient) form(method string, biz url.Values) string {
	v := url.Values{
		"method": {method}, "app_key": {benchAppKey}, "v": {"2.0"}, "format": {"json"},
		"sign_method": {"hmac-sha256"}, "timestamp": {h.now().In(cst).Format(time.DateTime)},
	}
	for k, vs := range biz {
		v[k] = vs
	}
	v.Set("sign", hwSign(v, benchSecret))
	return v.Encode()
}

// send posts method with biz under a 15 s timeout and returns the answer.
func (h *hwClient) send(ctx context.Context, method string, biz url.Values) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	return h.post(ctx, h.url, h.form(method, biz))
}

// hwError is TOP's error_response.
type hwError struct {
	Code    int    `json:"code"`
	Msg     string `json:"msg"`
	SubCode string `json:"sub_code"`
	SubMsg  string `json:"sub_msg"`
}

type hwCode struct {
	Code        string `json:"code"`
	CodeStatus  int    `json:"code_status"`
	GmtModified string `json:"gmt_modified"`
	BindStatus  int    `json:"bind_status"`
}

// hwExportResponse is the export's answer as a developer would declare it.
type hwExportResponse struct {
	Error    *hwError `json:"error_response"`
	Response struct {
		Result struct {
			ReturnCode    string `json:"return_code"`
			ReturnMessage string `json:"return_message"`
			ReturnValue   struct {
				Basic struct {
					BindBeginTime     string `json:"bind_begin_time"`
					CouponExpireTime  string `json:"coupon_expire_time"`
					Denomination      int64  `json:"denomination"`
					MaxBindCount      int64  `json:"max_bind_count"`
					MixID             string `json:"mix_id"`
					Name              string `json:"name"`
					TotalCount        int64  `json:"total_count"`
					ValidDays         int64  `json:"valid_days"`
					ValidDurationType string `json:"valid_duration_type"`
					Description       string `json:"description"`
				} `json:"basic"`
				CouponList struct {
					FCodeInfo []hwCode `json:"f_code_info"`
				} `json:"coupon_list"`
				HasNext      bool  `json:"has_next"`
				LastSequence int64 `json:"last_sequence"`
				CurrentRows  int64 `json:"current_rows"`
			} `json:"return_value"`
		} `json:"result"`
		RequestID string `json:"request_id"`
	} `json:"film_fcode_export_query_response"`
}

// hwPage is the hand-written side's page: the same values as ExportPage.
type hwPage struct {
	basic        taobaofilm.Basic
	codes        []taobaofilm.Code
	hasNext      bool
	lastSequence int64
}

// hwDecodePage decodes an export answer into the same values the client returns.
func hwDecodePage(body []byte) (*hwPage, error) {
	var r hwExportResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, err
	}
	if r.Error != nil {
		return nil, fmt.Errorf("TOP error %d %s", r.Error.Code, r.Error.SubCode)
	}
	if rc := r.Response.Result.ReturnCode; rc != "0" {
		return nil, errors.New("export failed: " + rc)
	}
	rv := &r.Response.Result.ReturnValue
	b := &rv.Basic
	p := &hwPage{hasNext: rv.HasNext, lastSequence: rv.LastSequence, codes: make([]taobaofilm.Code, len(rv.CouponList.FCodeInfo))}
	p.basic = taobaofilm.Basic{MixID: b.MixID, Name: b.Name, Description: b.Description, Denomination: couponkit.Fen(b.Denomination),
		MaxBindCount: b.MaxBindCount, TotalCount: b.TotalCount, ValidDays: b.ValidDays, ValidDurationType: taobaofilm.ValidDurationType(b.ValidDurationType)}
	var err error
	if p.basic.BindBeginTime, err = time.ParseInLocation(time.DateTime, b.BindBeginTime, cst); err != nil {
		return nil, err
	}
	if p.basic.CouponExpireTime, err = time.ParseInLocation(time.DateTime, b.CouponExpireTime, cst); err != nil {
		return nil, err
	}
	for i, c := range rv.CouponList.FCodeInfo {
		t, err := time.ParseInLocation(time.DateTime, c.GmtModified, cst)
		if err != nil {
			return nil, err
		}
		p.codes[i] = taobaofilm.Code{Code: c.Code, Status: taobaofilm.CodeStatus(c.CodeStatus), Modified: t, Bind: taobaofilm.BindStatus(c.BindStatus)}
	}
	return p, nil
}

// export fetches the page after seq.
func (h *hwClient) export(ctx context.Context, seq int64) (*hwPage, error) {
	raw, err := h.send(ctx, taobaofilm.MethodExportQuery, url.Values{
		"mix_id": {taobaofilmtest.DefaultMixID}, "partner_code": {taobaofilmtest.DefaultPartnerCode},
		"operate_type": {"ALL"}, "params": {`{"last_sequence":` + strconv.FormatInt(seq, 10) + `}`},
	})
	if err != nil {
		return nil, err
	}
	return hwDecodePage(raw)
}

// sendCodes calls sendcode with req (a JSON object) and decodes its result.
func (h *hwClient) sendCodes(ctx context.Context, req any) (*hwSendResult, error) {
	js, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	raw, err := h.send(ctx, benchSendMethod, url.Values{benchSendParam: {string(js)}})
	if err != nil {
		return nil, err
	}
	var r struct {
		Error    *hwError     `json:"error_response"`
		Response hwSendResult `json:"film_lottery_sendcode_response"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	if r.Error != nil {
		return nil, fmt.Errorf("TOP error %d %s", r.Error.Code, r.Error.SubCode)
	}
	if rc := r.Response.Result.ReturnCode; rc != "0" {
		return nil, errors.New("sendcode failed: " + rc)
	}
	return &r.Response, nil
}

// benchClient returns the SDK client against rt (nil: the network) and
// gateway, and the hand-written and resty clients on the same transport.
func benchClient(tb testing.TB, rt http.RoundTripper, gateway string) (c *taobaofilm.Client, hand, rst *hwClient) {
	tb.Helper()
	var opts []couponkit.Option
	if rt != nil {
		opts = append(opts, couponkit.WithTransport(rt))
	}
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: gateway, AppKey: benchAppKey, AppSecret: benchSecret}, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	hc := benchkit.HTTPClient(tb, rt)
	return c, newHWClient(hc, gateway), newRestyClient(hc, gateway)
}

// benchCase is one benchmarked call: its canned answer and, for a client,
// the SDK side and the hand-written side.
type benchCase struct {
	name   string
	answer []byte
	sdk    func(c *taobaofilm.Client) func() error
	hand   func(h *hwClient) func() error
}

func exportCase(tb testing.TB, n int) benchCase {
	ctx := context.Background()
	return benchCase{
		name:   "op=ExportPage/codes=" + strconv.Itoa(n),
		answer: pageBody(tb, n),
		sdk: func(c *taobaofilm.Client) func() error {
			req := defaultExport()
			seq := int64(benchSeq)
			req.LastSequence = &seq
			return func() error {
				p, err := c.ExportCodes(ctx, req)
				if err == nil && len(p.Codes) != n {
					err = fmt.Errorf("%d codes", len(p.Codes))
				}
				return err
			}
		},
		hand: func(h *hwClient) func() error {
			return func() error {
				p, err := h.export(ctx, benchSeq)
				if err == nil && len(p.codes) != n {
					err = fmt.Errorf("%d codes", len(p.codes))
				}
				return err
			}
		},
	}
}

// callCase is the generic Call of sendcode, as a read (couponkit.Read()) or
// as the default write (couponkit.ClassUnsafe).
func callCase(class string) benchCase {
	ctx := context.Background()
	var opts []couponkit.CallOption
	if class == "read" {
		opts = append(opts, couponkit.Read())
	}
	return benchCase{
		name:   "op=Call/class=" + class,
		answer: []byte(sendAnswer),
		sdk: func(c *taobaofilm.Client) func() error {
			req := benchSend()
			return func() error {
				var out hwSendResult
				_, err := c.Call(ctx, benchSendMethod, map[string]any{benchSendParam: &req}, &out, opts...)
				if err == nil && len(out.Result.ReturnValue.List.Codes) != 2 {
					err = errors.New("no codes")
				}
				return err
			}
		},
		hand: func(h *hwClient) func() error {
			req := benchSend()
			return func() error {
				out, err := h.sendCodes(ctx, &req)
				if err == nil && len(out.Result.ReturnValue.List.Codes) != 2 {
					err = errors.New("no codes")
				}
				return err
			}
		},
	}
}

// hwSendCodesRequest is what SendCodes sends in
// param_f_code_merchant_send_code_request, declared by hand: the members in
// name order, as the client writes them.
type hwSendCodesRequest struct {
	EachCount   int64  `json:"each_num"`
	ExtOrderID  string `json:"ext_order_id"`
	MixID       string `json:"mix_id"`
	Number      int64  `json:"number"`
	PartnerCode string `json:"partner_code"`
	UserIDList  string `json:"user_id_list"`
	UserIDType  string `json:"user_id_type"`
}

// sendCodesCase is the typed SendCodes against the same request written by
// hand, which decodes the answer and converts its codes as SendCodes does.
func sendCodesCase() benchCase {
	ctx := context.Background()
	r := benchSend()
	return benchCase{
		name:   "op=SendCodes",
		answer: []byte(sendAnswer),
		sdk: func(c *taobaofilm.Client) func() error {
			req := &taobaofilm.SendCodesRequest{MixID: r.MixID, PartnerCode: r.PartnerCode, ExtOrderID: r.ExtOrderID, Number: r.Number,
				EachCount: r.EachCount, UserIDs: []string{r.UserIDList}, UserIDType: taobaofilm.UserIDType(r.UserIDType)}
			return func() error {
				res, err := c.SendCodes(ctx, req)
				if err == nil && len(res.Codes) != 2 {
					err = errors.New("no codes")
				}
				return err
			}
		},
		hand: func(h *hwClient) func() error {
			req := &hwSendCodesRequest{EachCount: r.EachCount, ExtOrderID: r.ExtOrderID, MixID: r.MixID, Number: r.Number,
				PartnerCode: r.PartnerCode, UserIDList: r.UserIDList, UserIDType: r.UserIDType}
			return func() error {
				out, err := h.sendCodes(ctx, req)
				if err != nil {
					return err
				}
				list := out.Result.ReturnValue.List.Codes
				codes := make([]taobaofilm.SentCode, len(list))
				for i, c := range list {
					t, err := time.ParseInLocation(time.DateTime, c.GmtExpire, cst)
					if err != nil {
						return err
					}
					codes[i] = taobaofilm.SentCode{Code: c.Code, CostPrice: couponkit.Fen(c.CostPrice), GenTaskID: c.GenTaskID, Expire: t}
				}
				if len(codes) != 2 {
					return errors.New("no codes")
				}
				return nil
			}
		},
	}
}

func benchCases(tb testing.TB) []benchCase {
	var cs []benchCase
	for _, n := range benchPageSizes {
		cs = append(cs, exportCase(tb, n))
	}
	return append(cs, sendCodesCase(), callCase("read"), callCase("write"))
}

// BenchmarkCalls pairs each call through the client with the same request
// written by hand (vs=handwritten) and sent through bare resty
// (vs=resty). net=loopback answers from a local server, net=memory from an
// in-memory RoundTripper (the client's own cost); enc is how the answer is
// framed (fixed length, chunked, gzip).
func BenchmarkCalls(b *testing.B) {
	for _, bc := range benchCases(b) {
		benchkit.Matrix(b, bc.answer, taobaofilmtest.GatewayPath, bc.name, "", func(rt http.RoundTripper, gw string) (sdk, hand, bare func() error) {
			c, hw, rst := benchClient(b, rt, gw)
			return bc.sdk(c), bc.hand(hw), bc.hand(rst)
		})
	}
}

// capture is a RoundTripper that keeps the requests' bodies and headers and
// answers a canned body.
type capture struct {
	answer  []byte
	bodies  []string
	headers []http.Header
}

func (r *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.bodies = append(r.bodies, string(b))
	r.headers = append(r.headers, req.Header.Clone())
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(r.answer)), ContentLength: int64(len(r.answer)), Request: req}, nil
}

// TestHandwrittenSendsTheSDKRequest checks that the benchmarks compare like
// with like: at the same instant, the hand-written side sends the client's
// bytes (and so its signature, computed here with the standard library), with
// the same headers, and both decode the same page.
func TestHandwrittenSendsTheSDKRequest(t *testing.T) {
	at := time.Date(2019, 12, 1, 8, 30, 0, 0, time.UTC)
	for _, bc := range benchCases(t) {
		sdkRT, handRT := &capture{answer: bc.answer}, &capture{answer: bc.answer}
		c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: benchURL, AppKey: benchAppKey, AppSecret: benchSecret},
			couponkit.WithTransport(sdkRT), couponkit.WithClock(couponkittest.NewClock(at)))
		if err != nil {
			t.Fatal(err)
		}
		hand := newHWClient(&http.Client{Transport: handRT}, benchURL)
		hand.now = func() time.Time { return at }
		if err := bc.sdk(c)(); err != nil {
			t.Fatalf("%s: sdk: %v", bc.name, err)
		}
		if err := bc.hand(hand)(); err != nil {
			t.Fatalf("%s: hand-written: %v", bc.name, err)
		}
		// The client writes timestamp and sign last, url.Values.Encode sorts
		// them in: the same parameters, values and signature.
		sv, err1 := url.ParseQuery(sdkRT.bodies[0])
		hv, err2 := url.ParseQuery(handRT.bodies[0])
		if err1 != nil || err2 != nil || !maps.EqualFunc(sv, hv, slices.Equal) {
			t.Errorf("%s: requests differ\n sdk: %s\nhand: %s", bc.name, sdkRT.bodies[0], handRT.bodies[0])
		}
		if sv.Get("sign") == "" || sv.Get("sign") != hwSign(sv, benchSecret) {
			t.Errorf("%s: the client's sign %q is not the standard-library one", bc.name, sv.Get("sign"))
		}
		for _, h := range []string{"Content-Type", "Accept", "User-Agent"} {
			if got, want := handRT.headers[0].Get(h), sdkRT.headers[0].Get(h); got != want {
				t.Errorf("%s: %s: hand-written %q, sdk %q", bc.name, h, got, want)
			}
		}
		_ = c.Close()
	}
	// Both sides read the same page.
	body := pageBody(t, 100)
	hp, err := hwDecodePage(body)
	if err != nil {
		t.Fatal(err)
	}
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: benchURL, AppKey: benchAppKey, AppSecret: benchSecret},
		couponkit.WithTransport(benchkit.NewRoundTripper(body, benchkit.Fixed)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p, err := c.ExportCodes(context.Background(), defaultExport())
	if err != nil {
		t.Fatal(err)
	}
	if !basicEqual(p.Basic, hp.basic) || !slices.EqualFunc(p.Codes, hp.codes, codeEqual) || p.HasNext != hp.hasNext || p.LastSequence != hp.lastSequence {
		t.Errorf("the two sides decode different pages:\n sdk %+v\nhand %+v", p, hp)
	}
}

func codeEqual(a, b taobaofilm.Code) bool {
	return a.Code == b.Code && a.Status == b.Status && a.Bind == b.Bind && a.Modified.Equal(b.Modified)
}

func basicEqual(a, b taobaofilm.Basic) bool {
	ta, tb := a.BindBeginTime, b.BindBeginTime
	ea, eb := a.CouponExpireTime, b.CouponExpireTime
	a.BindBeginTime, b.BindBeginTime, a.CouponExpireTime, b.CouponExpireTime = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b && ta.Equal(tb) && ea.Equal(eb)
}

// BenchmarkExportMillion exports 1,000,000 codes through the Codes iterator
// (10,000 pages of 100) and reports the bytes allocated per code
// (process-wide: the in-process server's side is included), the live heap
// (after a collection) 10,000 codes in and its peak over the export, sampled
// every 100,000 codes, and their ratio, live-heap-growth: a flat heap keeps
// it near 1 (the goal is at most 1.5). "fake" exports from taobaofilmtest
// (whose request log grows); "plain-server" from a minimal page generator
// whose own memory is constant, answering with Content-Length (enc=fixed)
// or chunked (enc=chunked, no length: the client reads an unknown length).
func BenchmarkExportMillion(b *testing.B) {
	const total = 1_000_000
	b.Run("fake", func(b *testing.B) {
		bt := taobaofilmtest.DefaultBatch()
		bt.Count = total
		srv := taobaofilmtest.NewServer(taobaofilmtest.Config{Batches: []taobaofilmtest.Batch{bt}})
		defer srv.Close()
		exportMillion(b, fakeConfig(srv), total)
	})
	for _, enc := range []benchkit.Encoding{benchkit.Fixed, benchkit.Chunked} {
		b.Run("plain-server/enc="+enc.String(), func(b *testing.B) {
			srv := httptest.NewServer(plainPages(total, enc == benchkit.Chunked))
			defer srv.Close()
			exportMillion(b, taobaofilm.Config{Gateway: srv.URL, AppKey: "k", AppSecret: "s"}, total)
		})
	}
}

func exportMillion(b *testing.B, cfg taobaofilm.Config, total int) {
	c, err := taobaofilm.NewClient(cfg, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	var before, after, sample runtime.MemStats
	var allocated, codes, peak, early uint64
	growth := 0.0
	b.ReportAllocs()
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		n := 0
		var first, top uint64
		for code, err := range c.Codes(ctx, defaultExport()) {
			if err != nil || code.Code == "" {
				b.Fatal(err)
			}
			if n++; n == 10_000 || n%100_000 == 0 {
				runtime.GC() // what is still live mid-export, not garbage
				runtime.ReadMemStats(&sample)
				top = max(top, sample.HeapAlloc)
				first = cmp.Or(first, sample.HeapAlloc)
			}
		}
		runtime.ReadMemStats(&after)
		if n != total {
			b.Fatalf("exported %d codes", n)
		}
		allocated += after.TotalAlloc - before.TotalAlloc
		codes += uint64(n)
		peak = max(peak, top)
		early = max(early, first)
		growth = max(growth, float64(top)/float64(first))
	}
	b.ReportMetric(float64(allocated)/float64(codes), "B/code")
	b.ReportMetric(float64(early)/(1<<10), "live-heap-10k-KiB")
	b.ReportMetric(float64(peak)/(1<<10), "live-heap-peak-KiB")
	b.ReportMetric(growth, "live-heap-growth")
}

// plainPages serves an export of total codes, 100 a page, generated from the
// cursor alone: no signature check, no request log. chunked leaves the
// length out and flushes mid-page, so the answer arrives chunked.
func plainPages(total int64, chunked bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var cur struct {
			LastSequence int64 `json:"last_sequence"`
		}
		if js := r.PostForm.Get("params"); js != "" {
			if err := json.Unmarshal([]byte(js), &cur); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		end := min(cur.LastSequence+100, total)
		buf := make([]byte, 0, 12<<10)
		buf = append(buf, `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"coupon_list":{"f_code_info":[`...)
		for n := cur.LastSequence + 1; n <= end; n++ {
			if n > cur.LastSequence+1 {
				buf = append(buf, ',')
			}
			buf = append(buf, `{"code":"C`...)
			buf = strconv.AppendInt(buf, n, 10)
			buf = append(buf, `","code_status":0,"gmt_modified":"2019-12-01 00:00:00","bind_status":-1}`...)
		}
		buf = append(buf, `]},"has_next":`...)
		buf = strconv.AppendBool(buf, end < total)
		buf = append(buf, `,"last_sequence":`...)
		buf = strconv.AppendInt(buf, end, 10)
		buf = append(buf, `,"current_rows":`...)
		buf = strconv.AppendInt(buf, end-cur.LastSequence, 10)
		buf = append(buf, `}}}}`...)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		if !chunked {
			w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
			_, _ = w.Write(buf)
			return
		}
		half := len(buf) / 2
		_, _ = w.Write(buf[:half])
		w.(http.Flusher).Flush()
		_, _ = w.Write(buf[half:])
	}
}
