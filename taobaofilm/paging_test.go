package taobaofilm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

func batch(count int64) taobaofilmtest.Batch {
	b := taobaofilmtest.DefaultBatch()
	b.Count = count
	b.Seed = 42
	return b
}

// cursorSent returns the cursor a request carried in its params JSON, or -1.
func cursorSent(t *testing.T, p url.Values) int64 {
	t.Helper()
	js := p.Get("params")
	if js == "" {
		return -1
	}
	var m map[string]int64
	require.NoError(t, json.Unmarshal([]byte(js), &m))
	return m["last_sequence"]
}

func TestPagesAcrossManyPages(t *testing.T) {
	for _, cursor := range []taobaofilm.CursorPlacement{taobaofilm.CursorInParams, taobaofilm.CursorParameter} {
		t.Run(cursor.String(), func(t *testing.T) {
			srv := newFake(t, taobaofilmtest.Config{PageSize: 7, Batches: []taobaofilmtest.Batch{batch(1234)}})
			cfg := fakeConfig(srv)
			cfg.Cursor = cursor
			c, _ := newClient(t, cfg)
			seen := map[string]bool{}
			var pages, n int64
			var last *taobaofilm.ExportPage
			for p, err := range c.Pages(context.Background(), defaultExport()) {
				require.NoError(t, err)
				pages++
				assert.Equal(t, int64(len(p.Codes)), p.CurrentRows)
				for _, code := range p.Codes {
					n++
					want, _ := srv.CodeAt(taobaofilmtest.DefaultMixID, n)
					require.Equal(t, want, code.Code, "code %d", n)
					require.False(t, seen[code.Code], "code %s repeated", code.Code)
					seen[code.Code] = true
				}
				assert.Equal(t, n, p.LastSequence)
				last = p
			}
			assert.Equal(t, int64(1234), n)
			assert.Equal(t, int64(177), pages) // ceil(1234/7)
			assert.False(t, last.HasNext)
			reqs := srv.Requests()
			require.Len(t, reqs, 177)
			for i, r := range reqs {
				want := int64(i * 7)
				if cursor == taobaofilm.CursorParameter {
					if i == 0 {
						assert.NotContains(t, taobaofilmtest.Params(r), "last_sequence")
					} else {
						assert.Equal(t, strconv.FormatInt(want, 10), taobaofilmtest.Params(r).Get("last_sequence"))
					}
					continue
				}
				if i == 0 {
					want = -1
				}
				assert.Equal(t, want, cursorSent(t, taobaofilmtest.Params(r)), "request %d", i)
			}
		})
	}
}

// CONSUME exports exactly the redeemed codes of ALL, in order, including one
// redeemed through the fake.
func TestCodesConsume(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{PageSize: 9, Batches: []taobaofilmtest.Batch{batch(500)}})
	c, _ := newClient(t, fakeConfig(srv))
	at := time.Date(2019, 12, 1, 12, 0, 0, 0, beijing)
	var target int64
	for seq := int64(1); target == 0; seq++ {
		req := defaultExport()
		s := seq - 1
		req.LastSequence = &s
		p, err := c.ExportCodes(context.Background(), req)
		require.NoError(t, err)
		if p.Codes[0].Status == taobaofilm.StatusNormal {
			target = seq
		}
	}
	require.NoError(t, srv.Redeem(taobaofilmtest.DefaultMixID, target, at))
	require.Error(t, srv.Redeem(taobaofilmtest.DefaultMixID, 501, at))

	var redeemed []taobaofilm.Code
	statuses := map[taobaofilm.CodeStatus]int{}
	for code, err := range c.Codes(context.Background(), defaultExport()) {
		require.NoError(t, err)
		statuses[code.Status]++
		if code.Status == taobaofilm.StatusRedeemed {
			assert.Equal(t, taobaofilm.BindBound, code.Bind)
			redeemed = append(redeemed, code)
		}
	}
	for _, st := range []taobaofilm.CodeStatus{taobaofilm.StatusInvalid, taobaofilm.StatusExpired, taobaofilm.StatusNormal, taobaofilm.StatusRedeemed} {
		assert.Positive(t, statuses[st], st.String())
	}
	req := defaultExport()
	req.OperateType = taobaofilm.OperateConsume
	var consumed []taobaofilm.Code
	for code, err := range c.Codes(context.Background(), req) {
		require.NoError(t, err)
		consumed = append(consumed, code)
	}
	assert.Equal(t, redeemed, consumed)
	want, _ := srv.CodeAt(taobaofilmtest.DefaultMixID, target)
	found := false
	for _, code := range consumed {
		if code.Code == want {
			found = true
			assert.True(t, code.Modified.Equal(at))
		}
	}
	assert.True(t, found, "the code redeemed through the fake is exported")
}

// A gateway that ignores the cursor serves a page again: the export stops
// with ErrCursorRepeated, yielded once, without handing over the repeated page.
func TestRepeatedCursorStops(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{PageSize: 10, Batches: []taobaofilmtest.Batch{batch(100)}})
	c, _ := newClient(t, fakeConfig(srv))
	var codes, errs int
	var failure error
	for code, err := range c.Codes(context.Background(), defaultExport()) {
		if err != nil {
			errs++
			failure = err
			assert.Equal(t, taobaofilm.Code{}, code)
			continue
		}
		codes++
		if codes == 20 {
			srv.IgnoreCursorNext() // the third request
		}
	}
	assert.Equal(t, 1, errs)
	assert.Equal(t, 20, codes)
	assert.ErrorIs(t, failure, taobaofilm.ErrCursorRepeated)
	var e *couponkit.Error
	require.ErrorAs(t, failure, &e)
	assert.Equal(t, taobaofilm.MethodExportQuery, e.Operation)
	assert.Contains(t, e.Message, "last_sequence 10")
	assert.Equal(t, 3, srv.RequestCount())
}

// cyclingGateway answers pages whose cursor cycles through period values
// after a run-in of lead pages, and never says the export ended.
func cyclingGateway(t *testing.T, lead, period int64) (*httptest.Server, *int) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		require.NoError(t, r.ParseForm())
		var next int64
		if js := r.PostForm.Get("params"); js != "" {
			var m map[string]int64
			require.NoError(t, json.Unmarshal([]byte(js), &m))
			cur := m["last_sequence"]
			next = cur + 1
			if cur >= lead+period-1 {
				next = lead
			}
		}
		fmt.Fprintf(w, `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"coupon_list":{"f_code_info":[{"code":"C%d"}]},"has_next":true,"last_sequence":%d}}}}`, next, next)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// A cursor that cycles with any period is caught in constant memory.
func TestCursorCycleDetected(t *testing.T) {
	for _, tc := range []struct{ lead, period int64 }{{0, 1}, {0, 2}, {3, 5}, {10, 37}} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			srv, calls := cyclingGateway(t, tc.lead, tc.period)
			c, _ := newClient(t, taobaofilm.Config{Gateway: srv.URL, AppKey: "k", AppSecret: "s"})
			var errs, pages int
			for p, err := range c.Pages(context.Background(), defaultExport()) {
				if err != nil {
					errs++
					assert.ErrorIs(t, err, taobaofilm.ErrCursorRepeated)
					continue
				}
				pages++
				assert.NotNil(t, p)
			}
			assert.Equal(t, 1, errs)
			assert.LessOrEqual(t, int64(pages), 3*(tc.lead+tc.period), "found within a constant factor of the cycle's end")
			assert.GreaterOrEqual(t, int64(pages), tc.lead+tc.period-1, "no page is refused before the cursor repeats")
			assert.Equal(t, pages+1, *calls)
		})
	}
}

func TestMissingCursorStops(t *testing.T) {
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime),
		answer{200, `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_value":{"has_next":true}}}}`})
	var errs int
	for _, err := range c.Codes(context.Background(), defaultExport()) {
		require.ErrorIs(t, err, taobaofilm.ErrCursorMissing)
		errs++
	}
	assert.Equal(t, 1, errs)
	assert.Equal(t, 1, rec.count())
}

// A failure mid-export that is not retried is yielded once and ends the
// iteration; the codes before it were yielded.
func TestMidExportFailure(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{PageSize: 10, Batches: []taobaofilmtest.Batch{batch(100)}})
	c, _ := newClient(t, fakeConfig(srv))
	var pages, errs int
	for p, err := range c.Pages(context.Background(), defaultExport()) {
		if err != nil {
			errs++
			assert.Nil(t, p)
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, couponkit.FaultAuth, e.Fault)
			assert.Equal(t, "27", e.Code)
			continue
		}
		pages++
		if pages == 2 {
			srv.FailNextError(taobaofilmtest.Error{Code: 27, Message: "Invalid session"})
		}
	}
	assert.Equal(t, 2, pages)
	assert.Equal(t, 1, errs)
	assert.Equal(t, 3, srv.RequestCount())

	// A business failure mid-export ends it the same way.
	var codes int
	errs = 0
	for _, err := range c.Codes(context.Background(), defaultExport()) {
		if err != nil {
			errs++
			assert.ErrorIs(t, err, taobaofilm.ErrBusiness)
			continue
		}
		if codes++; codes == 10 {
			srv.FailNextBusiness("SYSTEM_ERROR", "系统错误")
		}
	}
	assert.Equal(t, 10, codes)
	assert.Equal(t, 1, errs)
}

// Transient failures mid-export (throttling, isp.*, 5xx, a dropped
// connection, a delay) are retried and the export completes exactly.
func TestExportSurvivesTransientFaults(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{PageSize: 10, Batches: []taobaofilmtest.Batch{batch(60)}})
	c, clk := newClient(t, fakeConfig(srv), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3}))
	inject := map[int]func(){
		1: func() { srv.ThrottleNext(2 * time.Second) },
		2: func() {
			srv.FailNext("isp.remote-service-timeout", "远程服务调用超时")
			srv.FailNextHTTP(http.StatusBadGateway, "<html>502 Bad Gateway</html>")
		},
		3: func() { srv.DropNext() },
		4: func() { srv.DelayNext(time.Millisecond) },
	}
	seen := map[string]bool{}
	pages := 0
	for p, err := range c.Pages(context.Background(), defaultExport()) {
		require.NoError(t, err)
		pages++
		for _, code := range p.Codes {
			require.False(t, seen[code.Code])
			seen[code.Code] = true
		}
		if f := inject[pages]; f != nil {
			f()
		}
	}
	assert.Equal(t, 6, pages)
	assert.Len(t, seen, 60)
	assert.Equal(t, 6+4, srv.RequestCount())
	assert.Contains(t, clk.Sleeps(), 2*time.Second, "the throttle window was waited for")
}

func TestContextCancelledBetweenPages(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{PageSize: 10, Batches: []taobaofilmtest.Batch{batch(100)}})
	c, _ := newClient(t, fakeConfig(srv))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var codes, errs int
	for _, err := range c.Codes(ctx, defaultExport()) {
		if err != nil {
			errs++
			assert.ErrorIs(t, err, context.Canceled)
			continue
		}
		if codes++; codes == 10 {
			cancel()
		}
	}
	assert.Equal(t, 10, codes)
	assert.Equal(t, 1, errs)
	assert.Equal(t, 1, srv.RequestCount())
}

func TestBreakStopsFetching(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{PageSize: 10, Batches: []taobaofilmtest.Batch{batch(100)}})
	c, _ := newClient(t, fakeConfig(srv))
	n := 0
	for _, err := range c.Codes(context.Background(), defaultExport()) {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	assert.Equal(t, 2, srv.RequestCount())
	for range c.Pages(context.Background(), defaultExport()) {
		break
	}
	assert.Equal(t, 3, srv.RequestCount())
}

// An export resumes after a given cursor, and the request is not modified.
func TestResumeFromLastSequence(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{PageSize: 10, Batches: []taobaofilmtest.Batch{batch(50)}})
	c, _ := newClient(t, fakeConfig(srv))
	req := defaultExport()
	from := int64(20)
	req.LastSequence = &from
	var got []string
	for code, err := range c.Codes(context.Background(), req) {
		require.NoError(t, err)
		got = append(got, code.Code)
	}
	require.Len(t, got, 30)
	first, _ := srv.CodeAt(taobaofilmtest.DefaultMixID, 21)
	assert.Equal(t, first, got[0])
	assert.Equal(t, int64(20), *req.LastSequence)
	assert.Equal(t, 3, srv.RequestCount())
}

// An empty batch is one page with no codes.
func TestEmptyExport(t *testing.T) {
	srv := newFake(t, taobaofilmtest.Config{Batches: []taobaofilmtest.Batch{batch(0)}})
	c, _ := newClient(t, fakeConfig(srv))
	pages := 0
	for p, err := range c.Pages(context.Background(), defaultExport()) {
		require.NoError(t, err)
		assert.Empty(t, p.Codes)
		assert.False(t, p.HasNext)
		pages++
	}
	assert.Equal(t, 1, pages)
}
