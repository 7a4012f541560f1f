package taobaofilm_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// pageBody is one real export page of 100 codes, rendered once by the fake.
func pageBody(b *testing.B) []byte {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	c, err := taobaofilm.NewClient(fakeConfig(srv))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	p, err := c.ExportCodes(context.Background(), defaultExport())
	if err != nil || len(p.Codes) != 100 {
		b.Fatal("no page", err)
	}
	return p.Meta.Raw
}

// handwritten* mirror the response for the hand-written call.
type handwrittenCode struct {
	Code        string `json:"code"`
	CodeStatus  int    `json:"code_status"`
	GmtModified string `json:"gmt_modified"`
	BindStatus  int    `json:"bind_status"`
}

type handwrittenResponse struct {
	ErrorResponse *struct {
		Code    int    `json:"code"`
		Msg     string `json:"msg"`
		SubCode string `json:"sub_code"`
	} `json:"error_response"`
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
					FCodeInfo []handwrittenCode `json:"f_code_info"`
				} `json:"coupon_list"`
				HasNext      bool  `json:"has_next"`
				LastSequence int64 `json:"last_sequence"`
				CurrentRows  int64 `json:"current_rows"`
			} `json:"return_value"`
		} `json:"result"`
		RequestID string `json:"request_id"`
	} `json:"film_fcode_export_query_response"`
}

type handwrittenPage struct {
	bindBegin, expire time.Time
	codes             []taobaofilm.Code
	hasNext           bool
	lastSequence      int64
}

// handwrittenExport is the same signed request built and sent with net/http,
// encoding/json and the signing primitive, decoded into the same values.
func handwrittenExport(ctx context.Context, hc *http.Client, gateway, appKey, secret string, seq int64) (*handwrittenPage, error) {
	cst := time.FixedZone("CST", 8*3600)
	v := url.Values{
		"method": {taobaofilm.MethodExportQuery}, "app_key": {appKey}, "v": {"2.0"}, "format": {"json"},
		"sign_method": {"hmac-sha256"}, "timestamp": {time.Now().In(cst).Format("2006-01-02 15:04:05")},
		"mix_id": {taobaofilmtest.DefaultMixID}, "partner_code": {taobaofilmtest.DefaultPartnerCode},
		"operate_type": {"ALL"}, "params": {`{"last_sequence":` + strconv.FormatInt(seq, 10) + `}`},
	}
	params := make([]sign.Param, 0, len(v))
	for k := range v {
		params = append(params, sign.Param{Key: k, Value: v.Get(k)})
	}
	sig, err := sign.TOPSign(sign.TOPHMACSHA256, params, secret)
	if err != nil {
		return nil, err
	}
	v.Set("sign", sig)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, gateway, bytes.NewBufferString(v.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var r handwrittenResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, err
	}
	if r.ErrorResponse != nil || r.Response.Result.ReturnCode != "0" {
		return nil, errors.New("export failed")
	}
	rv := &r.Response.Result.ReturnValue
	p := &handwrittenPage{hasNext: rv.HasNext, lastSequence: rv.LastSequence, codes: make([]taobaofilm.Code, len(rv.CouponList.FCodeInfo))}
	if p.bindBegin, err = time.ParseInLocation("2006-01-02 15:04:05", rv.Basic.BindBeginTime, cst); err != nil {
		return nil, err
	}
	if p.expire, err = time.ParseInLocation("2006-01-02 15:04:05", rv.Basic.CouponExpireTime, cst); err != nil {
		return nil, err
	}
	for i, c := range rv.CouponList.FCodeInfo {
		t, err := time.ParseInLocation("2006-01-02 15:04:05", c.GmtModified, cst)
		if err != nil {
			return nil, err
		}
		p.codes[i] = taobaofilm.Code{Code: c.Code, Status: taobaofilm.CodeStatus(c.CodeStatus), Modified: t, Bind: taobaofilm.BindStatus(c.BindStatus)}
	}
	return p, nil
}

// BenchmarkExportPage compares one export page call (100 codes) through the
// client with the same signed request sent and decoded by hand, against the
// same loopback server answering a real page.
func BenchmarkExportPage(b *testing.B) {
	body := pageBody(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	ctx := context.Background()
	seq := int64(100)

	b.Run("sdk", func(b *testing.B) {
		c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.URL, AppKey: "12345678", AppSecret: "secret"})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		req := defaultExport()
		req.LastSequence = &seq
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.ExportCodes(ctx, req)
			if err != nil || len(p.Codes) != 100 {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			p, err := handwrittenExport(ctx, hc, srv.URL, "12345678", "secret", seq)
			if err != nil || len(p.codes) != 100 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkExportMillion exports 1,000,000 codes through the Codes iterator
// (10,000 pages of 100) and reports the bytes allocated per code
// (process-wide: the in-process server's side is included), the largest live
// heap seen after a collection every 100,000 codes, and its growth from the
// first such sample. "fake" exports from taobaofilmtest; "plain-server" from
// a minimal page generator, whose own memory is constant, so that its growth
// (about 1) is the client's. The fake's growth is its request log.
func BenchmarkExportMillion(b *testing.B) {
	const total = 1_000_000
	b.Run("fake", func(b *testing.B) {
		bt := taobaofilmtest.DefaultBatch()
		bt.Count = total
		srv := taobaofilmtest.NewServer(taobaofilmtest.Config{Batches: []taobaofilmtest.Batch{bt}})
		defer srv.Close()
		exportMillion(b, fakeConfig(srv), total)
	})
	b.Run("plain-server", func(b *testing.B) {
		srv := httptest.NewServer(plainPages(total))
		defer srv.Close()
		exportMillion(b, taobaofilm.Config{Gateway: srv.URL, AppKey: "k", AppSecret: "s"}, total)
	})
}

func exportMillion(b *testing.B, cfg taobaofilm.Config, total int) {
	c, err := taobaofilm.NewClient(cfg, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	var before, after, sample runtime.MemStats
	var allocated, codes, peak uint64
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
			if n++; n%100_000 == 0 {
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
		growth = max(growth, float64(top)/float64(first))
	}
	b.ReportMetric(float64(allocated)/float64(codes), "B/code")
	b.ReportMetric(float64(peak)/(1<<10), "live-heap-KiB")
	b.ReportMetric(growth, "live-heap-growth")
}

// plainPages serves an export of total codes, 100 a page, generated from the
// cursor alone: no signature check, no request log.
func plainPages(total int64) http.HandlerFunc {
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
		w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
		_, _ = w.Write(buf)
	}
}
