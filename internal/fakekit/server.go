// Package fakekit is what the vendor fakes (ebuytest, taobaofilmtest, …)
// share: an httptest server with fault injection and a request log, and a
// replay store for de-duplicating keyed writes.
package fakekit

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Fault is a failure injected into the next request the server receives.
type Fault struct {
	// Delay holds the request this long before it is handled further (or until
	// the client gives up or the server closes).
	Delay time.Duration
	// Status, when not 0, answers with this HTTP status and Body instead of the
	// vendor handler.
	Status int
	// Body is the body sent with Status.
	Body []byte
	// Header is added to the response sent with Status.
	Header http.Header
	// Drop reads the whole request, then closes the connection without answering.
	Drop bool
	// Respond, when set, answers instead of the vendor handler (a vendor error
	// envelope, say). It runs after Delay.
	Respond http.HandlerFunc
	// AfterHandler, with Drop, runs the vendor handler first (so the write takes
	// effect) and then drops the connection: the client cannot know the outcome.
	AfterHandler bool
}

// Request is a request the server received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// MaxLoggedRequests is how many of the most recent requests a Server keeps for
// Requests, so that a long run (a million-code export) does not grow memory.
const MaxLoggedRequests = 1000

// Server is an httptest server wrapping a vendor handler with fault injection
// and a request log. Safe for concurrent use.
type Server struct {
	*httptest.Server
	handler http.Handler
	done    chan struct{}

	mu       sync.Mutex
	faults   []Fault
	requests []Request     // a ring of the most recent MaxLoggedRequests
	count    int           // every request received; count % MaxLoggedRequests is the ring's next slot
	arrived  chan struct{} // closed and replaced whenever a request arrives
	closed   bool
}

// NewServer starts a loopback server in front of h.
func NewServer(h http.Handler) *Server {
	s := &Server{handler: h, done: make(chan struct{}), arrived: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Inject queues faults; each applies to one following request, in order.
func (s *Server) Inject(f ...Fault) {
	s.mu.Lock()
	s.faults = append(s.faults, f...)
	s.mu.Unlock()
}

// Requests returns a copy of the most recent requests received (at most
// MaxLoggedRequests), oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) < MaxLoggedRequests {
		return append([]Request(nil), s.requests...)
	}
	next := s.count % MaxLoggedRequests
	return append(append(make([]Request, 0, MaxLoggedRequests), s.requests[next:]...), s.requests[:next]...)
}

// RequestCount returns how many requests were received in all.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// WaitRequests blocks until at least n requests have arrived (before any
// injected delay) or ctx is done.
func (s *Server) WaitRequests(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		got, ch := s.count, s.arrived
		s.mu.Unlock()
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

// Close stops the server, releasing delayed requests first, and waits for
// every handler to return. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	close(s.done)
	s.Server.Close()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	logged := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	if len(s.requests) < MaxLoggedRequests {
		s.requests = append(s.requests, logged)
	} else {
		s.requests[s.count%MaxLoggedRequests] = logged
	}
	s.count++
	close(s.arrived)
	s.arrived = make(chan struct{})
	var f *Fault
	if len(s.faults) > 0 {
		f = &s.faults[0]
		s.faults = s.faults[1:]
	}
	s.mu.Unlock()
	if f == nil {
		s.handler.ServeHTTP(w, r)
		return
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.done:
			t.Stop()
			return
		}
	}
	switch {
	case f.Drop:
		if f.AfterHandler {
			s.handler.ServeHTTP(discardWriter{h: http.Header{}}, r)
		}
		drop(w)
	case f.Respond != nil:
		f.Respond(w, r)
	case f.Status != 0:
		for k, v := range f.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write(f.Body)
	default:
		s.handler.ServeHTTP(w, r)
	}
}

func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakekit: response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}
