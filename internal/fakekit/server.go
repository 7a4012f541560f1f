package fakekit

import (
	"context"
	"net/http"

	"github.com/couponkit/couponkit/couponkittest"
)

// Fault is a failure injected into the next request a fake receives; see
// [couponkittest.Fault].
type Fault = couponkittest.Fault

// Server is a loopback server wrapping a vendor handler with fault
// injection and a request log. Safe for concurrent use.
//
// Server is the older form: fakes embed *couponkittest.Controls (from [New]
// or [Start]), which gives them the shared fault methods, an in-process
// transport and a clock. Server runs on the same machinery and is kept for
// the pipeline's own tests.
type Server struct {
	// URL is the server's base URL, such as http://127.0.0.1:1234.
	URL string
	c   *Controls
}

// NewServer starts a loopback server in front of h. Fakes use [New] or
// [Start].
func NewServer(h http.Handler) *Server {
	c := New(h, Options{})
	return &Server{URL: c.URL(), c: c}
}

// Controls returns the server's [Controls].
func (s *Server) Controls() *Controls { return s.c }

// Client returns an http.Client that reaches the server over loopback.
func (s *Server) Client() *http.Client { return s.c.Client() }

// Inject queues faults; each applies to one following request, in order.
func (s *Server) Inject(f ...Fault) { s.c.Inject(f...) }

// Requests returns a copy of the most recent requests received (at most
// MaxLoggedRequests), oldest first.
func (s *Server) Requests() []Request { return s.c.Requests() }

// RequestCount returns how many requests were received in all.
func (s *Server) RequestCount() int { return s.c.RequestCount() }

// WaitRequests blocks until at least n requests have arrived (before any
// injected delay) or ctx is done.
func (s *Server) WaitRequests(ctx context.Context, n int) error { return s.c.WaitRequests(ctx, n) }

// Transport returns a RoundTripper that reaches the server in this process.
func (s *Server) Transport() http.RoundTripper { return s.c.Transport() }

// Close stops the server, releasing delayed requests first, and waits for
// every handler to return. It is safe to call more than once.
func (s *Server) Close() { s.c.Close() }
