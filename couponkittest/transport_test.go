package couponkittest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/leakcheck"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHandlerTransportRequestAndResponse(t *testing.T) {
	t.Parallel()
	leakcheck.Check(t)
	var seen *http.Request
	var seenBody string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		b, _ := io.ReadAll(r.Body)
		seenBody = string(b)
		w.Header().Set("X-Answer", "1")
		w.WriteHeader(http.StatusCreated)
		w.Header().Set("X-Too-Late", "1") // after the status: not sent
		_, _ = w.Write([]byte("<html><body>made</body></html>"))
	})
	c := &http.Client{Transport: couponkittest.HandlerTransport(h)}
	resp, err := c.Post("https://vendor.invalid:8443/api/make?x=1", "application/json", strings.NewReader(`{"a":1}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	assert.Equal(t, http.MethodPost, seen.Method)
	assert.Equal(t, "/api/make", seen.URL.Path)
	assert.Equal(t, "1", seen.URL.Query().Get("x"))
	assert.Empty(t, seen.URL.Host, "a server-side URL has no host")
	assert.Equal(t, "vendor.invalid:8443", seen.Host)
	assert.Equal(t, "/api/make?x=1", seen.RequestURI)
	assert.Equal(t, couponkittest.RemoteAddr, seen.RemoteAddr)
	assert.Equal(t, `{"a":1}`, seenBody)
	assert.Equal(t, int64(7), seen.ContentLength)
	assert.Equal(t, "application/json", seen.Header.Get("Content-Type"))
	assert.Equal(t, "7", seen.Header.Get("Content-Length"))
	assert.Equal(t, "Go-http-client/1.1", seen.Header.Get("User-Agent"))
	require.NotNil(t, seen.TLS)
	assert.Equal(t, "vendor.invalid", seen.TLS.ServerName)
	assert.Error(t, seen.Context().Err(), "the handler's context ends with the handler")

	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "201 Created", resp.Status)
	assert.Equal(t, "1", resp.Header.Get("X-Answer"))
	assert.Empty(t, resp.Header.Get("X-Too-Late"))
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"), "sniffed as net/http does")
	assert.Equal(t, "<html><body>made</body></html>", string(body))
	assert.Equal(t, int64(len(body)), resp.ContentLength)
}

func TestHandlerTransportDefaultsAndHead(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.Header().Set("Content-Length", "5")
		}
		_, _ = w.Write([]byte("hello"))
	})
	c := &http.Client{Transport: couponkittest.HandlerTransport(h)}
	resp, err := c.Get("http://vendor.invalid")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "200 when the handler set none")
	assert.Equal(t, "hello", string(b))

	resp, err = c.Head("http://vendor.invalid")
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Empty(t, b, "HEAD has no body")
	assert.Equal(t, int64(5), resp.ContentLength)
}

func TestHandlerTransportAbortAndPanic(t *testing.T) {
	t.Parallel()
	leakcheck.Check(t)
	var wrote bool
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote = true }})
	ran := false
	abort := couponkittest.HandlerTransport(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		ran = true
		panic(http.ErrAbortHandler)
	}))
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://vendor.invalid/w", strings.NewReader("x"))
	_, err := abort.RoundTrip(req)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.True(t, ran)
	assert.True(t, wrote, "the request left before the connection dropped")

	boom := couponkittest.HandlerTransport(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	req, _ = http.NewRequest(http.MethodGet, "http://vendor.invalid/", nil)
	_, err = boom.RoundTrip(req)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "boom")
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestHandlerTransportClosesBodyOnError(t *testing.T) {
	t.Parallel()
	rt := couponkittest.HandlerTransport(http.NotFoundHandler())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	body := &closeRecorder{Reader: strings.NewReader("x")}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://vendor.invalid/", body)
	_, err := rt.RoundTrip(req)
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, body.closed)
}

func TestHandlerTransportCancelWhileHandling(t *testing.T) {
	t.Parallel()
	leakcheck.Check(t)
	entered := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done() // a slow vendor that notices its client leaving
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://vendor.invalid/", nil)
	errc := make(chan error, 1)
	go func() {
		_, err := couponkittest.HandlerTransport(h).RoundTrip(req)
		errc <- err
	}()
	<-entered
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
}

func TestHandlerTransportBodyAfterCancel(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("late")) })
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://vendor.invalid/", nil)
	resp, err := couponkittest.HandlerTransport(h).RoundTrip(req)
	require.NoError(t, err)
	cancel()
	_, err = io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestHandlerTransportConcurrent(t *testing.T) {
	t.Parallel()
	leakcheck.Check(t)
	var mu sync.Mutex
	count := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		count++
		mu.Unlock()
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(b)
	})
	c := &http.Client{Transport: couponkittest.HandlerTransport(h)}
	const n = 64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			want := fmt.Sprint("req-", i)
			resp, err := c.Post("http://vendor.invalid/echo", "text/plain", strings.NewReader(want))
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			assert.Equal(t, want, string(got))
		})
	}
	wg.Wait()
	assert.Equal(t, n, count)
}

// A client on HandlerTransport runs inside a synctest bubble: a vendor that
// takes a minute costs no real time, and a client timeout fires on the
// bubble's clock.
func TestHandlerTransportInSynctestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			d, _ := time.ParseDuration(r.URL.Query().Get("think"))
			select {
			case <-time.After(d):
				_, _ = w.Write([]byte("done"))
			case <-r.Context().Done():
			}
		})
		c := &http.Client{Transport: couponkittest.HandlerTransport(h), Timeout: 5 * time.Second}

		start := time.Now()
		resp, err := c.Get("http://vendor.invalid/?think=2s")
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, "done", string(b))
		assert.Equal(t, 2*time.Second, time.Since(start), "the vendor's two seconds, on the bubble's clock")

		start = time.Now()
		_, err = c.Get("http://vendor.invalid/?think=1m")
		require.Error(t, err)
		var ne interface{ Timeout() bool }
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout())
		assert.Equal(t, 5*time.Second, time.Since(start), "the client gave up at its timeout")
	})
}

func ExampleHandlerTransport() {
	greet := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "hello, %s (%s %s)", name, r.Method, r.URL.Path)
	})
	c := &http.Client{Transport: couponkittest.HandlerTransport(greet)}
	resp, err := c.Post("http://greeter.invalid/greet", "text/plain", strings.NewReader("gopher"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, string(b))
	// Output: 200 OK hello, gopher (POST /greet)
}

func TestHandlerTransportCanonicalizesHeaderNames(t *testing.T) {
	t.Parallel()
	var got string
	rt := couponkittest.HandlerTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("AppMethod")
		_, _ = w.Write([]byte("ok"))
	}))
	req, err := http.NewRequest(http.MethodPost, "http://fake.invalid/x", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header["AppMethod"] = []string{"suning.custom.appoint.create"} // not canonical, as some clients write it
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got != "suning.custom.appoint.create" {
		t.Fatalf("the handler read AppMethod %q", got)
	}
}
