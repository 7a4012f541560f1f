package fakekit

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/leakcheck"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vendor is a tiny vendor: it counts the writes it performs and answers
// {"ok":true}; its failure and throttle envelopes carry the code in JSON.
type vendor struct{ writes atomic.Int32 }

func (v *vendor) serve(w http.ResponseWriter, r *http.Request) {
	v.writes.Add(1)
	_, _ = io.Copy(io.Discard, r.Body)
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func (v *vendor) options(o Options) Options {
	o.Fail = func(code, message string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"ok":false,"code":"` + code + `","msg":"` + message + `"}`))
		}
	}
	o.Throttle = func(d time.Duration) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"ok":false,"code":"LIMIT","wait":"` + d.String() + `"}`))
		}
	}
	o.API = func(r *http.Request, _ []byte) string { return strings.TrimPrefix(r.URL.Path, "/api/") }
	return o
}

type answer struct {
	status int
	header http.Header
	body   string
	err    error
}

func call(t *testing.T, c *http.Client, url, body string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := c.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// Every fault behaves the same over loopback and in process.
func TestControlsFaults(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct {
		name     string
		inMemory bool
	}{{"loopback", false}, {"in memory", true}} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			leakcheck.Check(t)
			clk := couponkittest.NewClock(time.Unix(0, 0))
			v := &vendor{}
			c := Start(t, http.HandlerFunc(v.serve), v.options(Options{Clock: clk, InMemory: mode.inMemory, Host: "vendor.fake.invalid"}))
			hc := c.Client()
			if mode.inMemory {
				assert.Equal(t, "http://vendor.fake.invalid", c.URL())
			} else {
				assert.True(t, strings.HasPrefix(c.URL(), "http://127.0.0.1:"), c.URL())
			}
			u := c.URL() + "/api/"

			c.FailNext("E1", "refused")
			a := call(t, hc, u+"make", "1")
			assert.Equal(t, 200, a.status)
			assert.Equal(t, `{"ok":false,"code":"E1","msg":"refused"}`, a.body)

			c.FailNextHTTP(503, "<html>busy</html>")
			a = call(t, hc, u+"make", "2")
			assert.Equal(t, 503, a.status)
			assert.Equal(t, "<html>busy</html>", a.body)
			assert.Equal(t, "text/html; charset=utf-8", a.header.Get("Content-Type"))

			c.ThrottleNext(2 * time.Second)
			a = call(t, hc, u+"make", "3")
			assert.Equal(t, `{"ok":false,"code":"LIMIT","wait":"2s"}`, a.body)
			assert.Equal(t, int32(0), v.writes.Load(), "no fault so far acted")

			c.DropNext()
			a = call(t, hc, u+"make", "4")
			assert.Error(t, a.err)
			assert.Equal(t, int32(0), v.writes.Load())

			c.DropNextAfterWrite()
			a = call(t, hc, u+"make", "5")
			assert.Error(t, a.err)
			assert.Equal(t, int32(1), v.writes.Load(), "the write took effect before the drop")

			c.DelayNext(time.Hour)
			a = call(t, hc, u+"query", "6")
			assert.Equal(t, `{"ok":true}`, a.body)
			assert.Equal(t, []time.Duration{time.Hour}, clk.Sleeps(), "the delay ran on the fake's clock")
			assert.Equal(t, time.Unix(3600, 0), c.Clock().Now())

			reqs := c.Requests()
			require.Len(t, reqs, 6)
			assert.Equal(t, 6, c.RequestCount())
			for i, r := range reqs {
				assert.Equal(t, string(rune('1'+i)), string(r.Body))
				assert.Equal(t, http.MethodPost, r.Method)
			}
			assert.Equal(t, "make", reqs[0].API)
			assert.Equal(t, "query", reqs[5].API)
			assert.Equal(t, "/api/query", reqs[5].Path)
		})
	}
}

func TestControlsDefaultRenderers(t *testing.T) {
	t.Parallel()
	leakcheck.Check(t)
	c := Start(t, http.NotFoundHandler(), Options{InMemory: true})
	assert.Equal(t, "http://"+DefaultHost, c.URL())
	c.FailNext("E\"1", "no")
	a := call(t, c.Client(), c.URL(), "")
	assert.Equal(t, 200, a.status)
	assert.Equal(t, `{"code":"E\"1","message":"no"}`, a.body)
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))

	c.ThrottleNext(1500 * time.Millisecond)
	a = call(t, c.Client(), c.URL(), "")
	assert.Equal(t, 429, a.status)
	assert.Equal(t, "2", a.header.Get("Retry-After"), "whole seconds, rounded up")
	assert.Empty(t, c.Requests()[0].API, "no API hook: no API")
}

// Transport reaches a listening fake in process too, through the same log.
func TestTransportOfListeningFake(t *testing.T) {
	t.Parallel()
	leakcheck.Check(t)
	v := &vendor{}
	c := Start(t, http.HandlerFunc(v.serve), Options{})
	hc := &http.Client{Transport: c.Transport()}
	a := call(t, hc, c.URL()+"/x", "in process")
	assert.Equal(t, `{"ok":true}`, a.body)
	a = call(t, c.Client(), c.URL()+"/x", "over loopback")
	assert.Equal(t, `{"ok":true}`, a.body)
	assert.Equal(t, 2, c.RequestCount())
}

func TestCloseDropsDelayedInProcessRequest(t *testing.T) {
	t.Parallel()
	leakcheck.Check(t)
	v := &vendor{}
	c := New(http.HandlerFunc(v.serve), Options{InMemory: true}) // the system clock
	c.DelayNext(time.Hour)
	errc := make(chan error, 1)
	go func() {
		_, err := c.Client().Post(c.URL(), "text/plain", strings.NewReader("x"))
		errc <- err
	}()
	require.NoError(t, c.WaitRequests(context.Background(), 1))
	c.Close() // must not wait an hour
	c.Close() // and is idempotent
	assert.ErrorIs(t, <-errc, io.ErrUnexpectedEOF)
	assert.Equal(t, int32(0), v.writes.Load())

	// A closed fake refuses: the request never leaves.
	var wrote bool
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote = true }})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.URL(), strings.NewReader("y"))
	_, err := c.Transport().RoundTrip(req)
	assert.ErrorContains(t, err, "couponkittest: fake is closed")
	assert.False(t, wrote)
}

func TestDelayEndsWhenClientGivesUp(t *testing.T) {
	t.Parallel()
	leakcheck.Check(t)
	v := &vendor{}
	c := Start(t, http.HandlerFunc(v.serve), Options{InMemory: true})
	c.DelayNext(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.URL(), strings.NewReader("x"))
		_, err := c.Client().Do(req)
		errc <- err
	}()
	require.NoError(t, c.WaitRequests(context.Background(), 1))
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
	c.Close() // returns: the delayed handler saw the client leave
	assert.Equal(t, int32(0), v.writes.Load())
}

func TestStartClosesAtCleanup(t *testing.T) {
	t.Parallel()
	var c *Controls
	t.Run("inner", func(t *testing.T) {
		c = Start(t, http.NotFoundHandler(), Options{InMemory: true})
	})
	_, err := c.Client().Get(c.URL())
	assert.ErrorContains(t, err, "couponkittest: fake is closed")
}

// An in-memory fake runs inside a synctest bubble: a delay on the system
// clock is the bubble's, so a client timeout and a slow answer cost no
// real time.
func TestInMemoryFakeInSynctestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v := &vendor{}
		c := Start(t, http.HandlerFunc(v.serve), Options{InMemory: true})
		hc := &http.Client{Transport: c.Transport(), Timeout: 10 * time.Second}

		c.DelayNext(3 * time.Second)
		start := time.Now()
		a := call(t, hc, c.URL(), "slow")
		assert.Equal(t, `{"ok":true}`, a.body)
		assert.Equal(t, 3*time.Second, time.Since(start))

		c.DelayNext(time.Minute)
		start = time.Now()
		a = call(t, hc, c.URL(), "too slow")
		require.Error(t, a.err)
		assert.Equal(t, 10*time.Second, time.Since(start), "the client gave up at its timeout")
		synctest.Wait() // the delayed handler saw the client leave
		assert.Equal(t, int32(1), v.writes.Load())
	})
}

func TestControlsConcurrent(t *testing.T) {
	t.Parallel()
	leakcheck.Check(t)
	v := &vendor{}
	c := Start(t, http.HandlerFunc(v.serve), v.options(Options{InMemory: true}))
	const n = 100
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := range n {
		wg.Go(func() {
			if i%4 == 0 {
				c.FailNext("E", "x")
			}
			a := call(t, c.Client(), c.URL()+"/api/op", "b")
			if !assert.NoError(t, a.err) {
				return
			}
			if strings.Contains(a.body, `"ok":false`) {
				failed.Add(1)
			}
			_ = c.Requests()
		})
	}
	wg.Wait()
	assert.Equal(t, n, c.RequestCount())
	assert.Equal(t, int32(n/4), failed.Load(), "each fault answered exactly one request")
	assert.Equal(t, int32(n-n/4), v.writes.Load())
}

func TestClockFrom(t *testing.T) {
	t.Parallel()
	clk := couponkittest.NewClock(time.Unix(7, 0))
	assert.Same(t, clk, ClockFrom(clk, time.Now).(*couponkittest.Clock))
	at := time.Unix(42, 0)
	assert.Equal(t, at, ClockFrom(nil, func() time.Time { return at }).Now())
	assert.IsType(t, couponkit.SystemClock{}, ClockFrom(nil, nil))
}

func TestReplayPerAPI(t *testing.T) {
	t.Parallel()
	var r Replay
	runs := 0
	do := func(api, answer string) ([]byte, bool) {
		return r.DoAPI(api, "k1", func() ([]byte, bool) { runs++; return []byte(answer), true })
	}
	a, replayed := do("activate", "activated")
	assert.False(t, replayed)
	assert.Equal(t, "activated", string(a))
	b, replayed := do("deactivate", "deactivated")
	assert.False(t, replayed, "the same key on another API is another write")
	assert.Equal(t, "deactivated", string(b))
	c, replayed := do("activate", "again")
	assert.True(t, replayed, "the same key on the same API replays")
	assert.Equal(t, "activated", string(c))
	assert.Equal(t, 2, runs)
	assert.Equal(t, 2, r.Len())
}
