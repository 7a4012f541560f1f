package fakekit

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func post(t *testing.T, c *http.Client, url, body string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	return c.Do(req)
}

func TestFaultsApplyInOrderThenHandler(t *testing.T) {
	s := NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(append([]byte("echo:"), b...))
	}))
	defer s.Close()
	s.Inject(Fault{Status: 503, Body: []byte("busy"), Header: http.Header{"Retry-After": {"3"}}},
		Fault{Respond: func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("vendor error")) }})
	c := s.Client()

	r1, err := post(t, c, s.URL+"/a", "one")
	require.NoError(t, err)
	b1, _ := io.ReadAll(r1.Body)
	r1.Body.Close()
	assert.Equal(t, 503, r1.StatusCode)
	assert.Equal(t, "busy", string(b1))
	assert.Equal(t, "3", r1.Header.Get("Retry-After"))

	r2, err := post(t, c, s.URL+"/b", "two")
	require.NoError(t, err)
	b2, _ := io.ReadAll(r2.Body)
	r2.Body.Close()
	assert.Equal(t, "vendor error", string(b2))

	r3, err := post(t, c, s.URL+"/c", "three")
	require.NoError(t, err)
	b3, _ := io.ReadAll(r3.Body)
	r3.Body.Close()
	assert.Equal(t, "echo:three", string(b3))

	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, []string{"/a", "/b", "/c"}, []string{reqs[0].Path, reqs[1].Path, reqs[2].Path})
	assert.Equal(t, "two", string(reqs[1].Body))
}

func TestDropAfterHandlerRunsHandler(t *testing.T) {
	ran := make(chan struct{}, 1)
	s := NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ran <- struct{}{} }))
	defer s.Close()
	s.Inject(Fault{Drop: true, AfterHandler: true})
	_, err := post(t, s.Client(), s.URL, "x")
	require.Error(t, err)
	select {
	case <-ran:
	default:
		t.Fatal("handler did not run before the drop")
	}
}

func TestCloseReleasesDelayedRequest(t *testing.T) {
	s := NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	s.Inject(Fault{Delay: time.Hour})
	errc := make(chan error, 1)
	go func() {
		_, err := post(t, s.Client(), s.URL, "x")
		errc <- err
	}()
	require.NoError(t, s.WaitRequests(context.Background(), 1))
	s.Close() // must not wait an hour
	s.Close() // and is idempotent
	<-errc
}

func TestReplay(t *testing.T) {
	var r Replay
	calls := 0
	a, replayed := r.DoAPI("write", "k", func() ([]byte, bool) { calls++; return []byte("first"), true })
	assert.False(t, replayed)
	b, replayed := r.DoAPI("write", "k", func() ([]byte, bool) { calls++; return []byte("second"), true })
	assert.True(t, replayed)
	assert.Equal(t, "first", string(a))
	assert.Equal(t, "first", string(b))
	assert.Equal(t, 1, calls)
	// A failed write is not remembered.
	_, _ = r.DoAPI("write", "f", func() ([]byte, bool) { return []byte("fail"), false })
	c, replayed := r.DoAPI("write", "f", func() ([]byte, bool) { return []byte("ok"), true })
	assert.False(t, replayed)
	assert.Equal(t, "ok", string(c))
	assert.Equal(t, 2, r.Len())
}

func TestRequestLogIsBounded(t *testing.T) {
	s := NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer s.Close()
	c := s.Client()
	n := MaxLoggedRequests + 5
	for i := 0; i < n; i++ {
		resp, err := post(t, c, s.URL, strings.Repeat("x", i%7))
		require.NoError(t, err)
		resp.Body.Close()
	}
	assert.Equal(t, n, s.RequestCount())
	reqs := s.Requests()
	require.Len(t, reqs, MaxLoggedRequests)
	// The oldest five were dropped: the first kept is request number 5.
	assert.Equal(t, strings.Repeat("x", 5%7), string(reqs[0].Body))
	assert.Equal(t, strings.Repeat("x", (n-1)%7), string(reqs[len(reqs)-1].Body))
}

func TestStatusAfterHandlerAppliesTheWriteThenReplacesTheAnswer(t *testing.T) {
	var applied atomic.Int32
	s := New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		applied.Add(1)
		_, _ = w.Write([]byte(`{"ok":true}`))
	}), Options{InMemory: true})
	defer s.Close()
	s.Inject(Fault{Status: 200, Body: []byte("<html>proxy</html>"), AfterHandler: true})
	resp, err := (&http.Client{Transport: s.Transport()}).Post(s.URL()+"/w", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "<html>proxy</html>" || applied.Load() != 1 {
		t.Fatalf("answer %q, applied %d times; want the proxy page after one application", body, applied.Load())
	}
}
