package couponkittest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// MaxLoggedRequests is how many of the most recent requests a fake keeps for
// Requests, so that a long run (a million-code export) does not grow memory.
const MaxLoggedRequests = 1000

// DefaultFakeHost is the host of an in-memory fake's URL when
// ControlOptions.Host is empty. Like every name under .invalid it never
// resolves: only the fake's Transport reaches it.
const DefaultFakeHost = "fake.invalid"

// ControlOptions configure a fake's [Controls]: what only the fake knows
// (its failure and throttle envelopes, how a request names its API) and how
// it is reached. The zero value is usable.
type ControlOptions struct {
	// Fail renders the vendor's failure envelope for FailNext. Default: HTTP
	// 200 with {"code": code, "message": message}.
	Fail func(code, message string) http.HandlerFunc
	// Throttle renders the vendor's throttle answer for ThrottleNext.
	// Default: HTTP 429 with Retry-After in whole seconds (rounded up).
	Throttle func(retryAfter time.Duration) http.HandlerFunc
	// API names the vendor operation of a request, for Request.API. It is
	// called once per request on arrival, before any fault, with the body
	// already read; it must not read r.Body. Default: none (API is empty).
	API func(r *http.Request, body []byte) string
	// Clock is the fake's notion of time: DelayNext waits on it, and the
	// fake reads it through [Controls.Clock]. Default couponkit.SystemClock.
	Clock couponkit.Clock
	// InMemory starts no listener: the fake is reached only through
	// [Controls.Transport] (and Client, which uses it), and its URL is
	// http://Host.
	InMemory bool
	// Host is the host of an in-memory fake's URL, such as
	// "ebuy.fake.invalid". Default DefaultFakeHost. Ignored with a listener.
	Host string
}

// Controls is the control surface every couponkit fake embeds (ebuytest,
// zvcmstest, taobaofilmtest, houcallertest and suningtest's Server): the
// vendor's handler behind fault injection and a request log, served on a
// loopback listener and in process, with the methods of [Fake] and
// ClientOption and Clock. It is also the start of a fake of your own: give
// NewControls the vendor's handler and its envelopes. Its methods are safe
// for concurrent use.
type Controls struct {
	handler http.Handler
	opts    ControlOptions
	clock   couponkit.Clock
	url     string
	ts      *httptest.Server // nil in memory
	rt      http.RoundTripper
	client  *http.Client

	ctx    context.Context // done when the fake closes
	cancel context.CancelFunc

	mu       sync.Mutex
	faults   []Fault
	requests []Request     // a ring of the most recent MaxLoggedRequests
	count    int           // every request received; count % MaxLoggedRequests is the ring's next slot
	arrived  chan struct{} // closed and replaced whenever a request arrives
	closed   bool
	inflight sync.WaitGroup // in-process round trips being served
}

var _ Fake = (*Controls)(nil)

// Every fake's Server declares these methods again, calling its embedded
// Controls, so that go doc lists them with the fake (controls_gen.go).
//go:generate go run ../internal/gen/fakecontrols -root ..

// NewControls returns the controls of a fake serving h, started on a
// loopback listener unless o.InMemory. Close it when done.
func NewControls(h http.Handler, o ControlOptions) *Controls {
	c := &Controls{handler: h, opts: o, clock: o.Clock, arrived: make(chan struct{})}
	if c.clock == nil {
		c.clock = couponkit.SystemClock{}
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.rt = &fakeTransport{c: c, rt: HandlerTransport(http.HandlerFunc(c.serveInProcess))}
	if o.InMemory {
		host := o.Host
		if host == "" {
			host = DefaultFakeHost
		}
		c.url = "http://" + host
		c.client = &http.Client{Transport: c.rt}
	} else {
		c.ts = httptest.NewServer(http.HandlerFunc(c.serve))
		c.url = c.ts.URL
		c.client = c.ts.Client()
	}
	return c
}

// StartControls is NewControls, closing the fake when tb's test ends.
func StartControls(tb testing.TB, h http.Handler, o ControlOptions) *Controls {
	tb.Helper()
	c := NewControls(h, o)
	tb.Cleanup(c.Close)
	return c
}

// URL returns the fake's base URL: its loopback address, such as
// http://127.0.0.1:1234, or http://Host in memory.
func (c *Controls) URL() string { return c.url }

// Transport returns a RoundTripper that serves requests in this process,
// without sockets, through the same faults and request log as the listener
// (see [HandlerTransport]). After Close it fails every request.
func (c *Controls) Transport() http.RoundTripper { return c.rt }

// Client returns an http.Client that reaches the fake: over loopback when it
// listens, else through Transport.
func (c *Controls) Client() *http.Client { return c.client }

// ClientOption returns the couponkit option that sends a client's requests
// through Transport, whether or not the fake listens.
func (c *Controls) ClientOption() couponkit.Option { return couponkit.WithTransport(c.rt) }

// Clock returns the fake's clock: the one its Config gave, or the system
// clock.
func (c *Controls) Clock() couponkit.Clock { return c.clock }

// Inject queues faults; each applies to one following request, in order.
func (c *Controls) Inject(f ...Fault) {
	c.mu.Lock()
	c.faults = append(c.faults, f...)
	c.mu.Unlock()
}

// FailNext answers the next request with the vendor's failure envelope
// carrying code and message, without acting on it.
func (c *Controls) FailNext(code, message string) {
	render := c.opts.Fail
	if render == nil {
		render = defaultFail
	}
	c.Inject(Fault{Respond: render(code, message)})
}

// FailNextHTTP answers the next request with HTTP status and body, without
// acting on it. The Content-Type is sniffed from body.
func (c *Controls) FailNextHTTP(status int, body string) {
	c.Inject(Fault{Status: status, Body: []byte(body)})
}

// ThrottleNext answers the next request with the vendor's throttle answer
// naming retryAfter, or with HTTP 429 and a Retry-After header (in whole
// seconds, rounded up) when the fake has none, without acting on it.
func (c *Controls) ThrottleNext(retryAfter time.Duration) {
	if c.opts.Throttle != nil {
		c.Inject(Fault{Respond: c.opts.Throttle(retryAfter)})
		return
	}
	secs := int64((retryAfter + time.Second - 1) / time.Second)
	c.Inject(Fault{Status: http.StatusTooManyRequests, Body: []byte(http.StatusText(http.StatusTooManyRequests)),
		Header: http.Header{"Retry-After": {strconv.FormatInt(max(secs, 0), 10)}}})
}

// DelayNext holds the next request for d on the fake's clock (or until the
// client gives up or the fake closes, when the connection is dropped), then
// handles it normally.
func (c *Controls) DelayNext(d time.Duration) { c.Inject(Fault{Delay: d}) }

// DropNext reads the next request, then drops the connection without acting
// on it or answering.
func (c *Controls) DropNext() { c.Inject(Fault{Drop: true}) }

// DropNextAfterWrite handles the next request (so a write takes effect),
// then drops the connection without answering: the client cannot know the
// outcome.
func (c *Controls) DropNextAfterWrite() { c.Inject(Fault{Drop: true, AfterHandler: true}) }

// Requests returns a copy of the most recent requests received (at most
// MaxLoggedRequests), oldest first, faulted ones included.
func (c *Controls) Requests() []Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.requests) < MaxLoggedRequests {
		return append([]Request(nil), c.requests...)
	}
	next := c.count % MaxLoggedRequests
	return append(append(make([]Request, 0, MaxLoggedRequests), c.requests[next:]...), c.requests[:next]...)
}

// RequestCount returns how many requests were received in all.
func (c *Controls) RequestCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

// WaitRequests blocks until at least n requests have arrived (before any
// injected delay) or ctx is done, when it returns ctx's error.
func (c *Controls) WaitRequests(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		got, ch := c.count, c.arrived
		c.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close stops the fake, dropping delayed requests, and waits for every
// handler to return. It is safe to call more than once.
func (c *Controls) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	if c.ts != nil {
		c.ts.Close()
	}
	c.inflight.Wait()
}

// errClosed is what Transport answers once the fake is closed: the request
// never left, as with a refused connection.
var errClosed = errors.New("couponkittest: fake is closed")

// fakeTransport refuses requests once the fake is closed.
type fakeTransport struct {
	c  *Controls
	rt http.RoundTripper
}

func (t *fakeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.c.mu.Lock()
	closed := t.c.closed
	t.c.mu.Unlock()
	if closed {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, errClosed
	}
	return t.rt.RoundTrip(r)
}

// serveInProcess serves a round trip of Transport, counted so that Close
// waits for it.
func (c *Controls) serveInProcess(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		panic(http.ErrAbortHandler)
	}
	c.inflight.Add(1)
	c.mu.Unlock()
	defer c.inflight.Done()
	c.serve(w, r)
}

// serve logs r, then applies the next fault, if any, around the handler.
func (c *Controls) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var api string
	if c.opts.API != nil {
		api = c.opts.API(r, body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	c.mu.Lock()
	logged := Request{API: api, Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	if len(c.requests) < MaxLoggedRequests {
		c.requests = append(c.requests, logged)
	} else {
		c.requests[c.count%MaxLoggedRequests] = logged
	}
	c.count++
	close(c.arrived)
	c.arrived = make(chan struct{})
	var f *Fault
	if len(c.faults) > 0 {
		f = &c.faults[0]
		c.faults = c.faults[1:]
	}
	c.mu.Unlock()
	if f == nil {
		c.handler.ServeHTTP(w, r)
		return
	}
	if f.Delay > 0 {
		ctx, cancel := context.WithCancel(r.Context())
		stop := context.AfterFunc(c.ctx, cancel)
		err := c.clock.Sleep(ctx, f.Delay)
		stop()
		cancel()
		if err != nil {
			panic(http.ErrAbortHandler) // the client left, or the fake closed
		}
	}
	if f.AfterHandler && (f.Drop || f.Respond != nil || f.Status != 0) {
		// The write takes effect; its answer is lost or replaced.
		c.handler.ServeHTTP(discardWriter{h: http.Header{}}, r)
	}
	switch {
	case f.Drop:
		panic(http.ErrAbortHandler)
	case f.Respond != nil:
		f.Respond(w, r)
	case f.Status != 0:
		for k, v := range f.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write(f.Body)
	default:
		c.handler.ServeHTTP(w, r)
	}
}

func defaultFail(code, message string) http.HandlerFunc {
	body := []byte(`{"code":`)
	body = jsonx.AppendString(body, code)
	body = append(body, `,"message":`...)
	body = jsonx.AppendString(body, message)
	body = append(body, '}')
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}
}

type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}
