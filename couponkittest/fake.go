package couponkittest

import (
	"context"
	"net/http"
	"time"
)

// Request is a request a vendor fake received, as its request log keeps it.
type Request struct {
	// API is the vendor operation the fake recognised in the request, such as
	// "batchActivateCode" or "taobao.film.fcode.export.query"; empty when it
	// recognised none.
	API string
	// Method is the HTTP method.
	Method string
	// Path is the URL path.
	Path string
	// Header is the request's header.
	Header http.Header
	// Body is the body as received.
	Body []byte
}

// Fake is the control surface every vendor fake of this module offers
// (ebuytest.Server, zvcmstest.Server, …), so that a test helper can steer
// and inspect any of them. Each fault method applies to one following
// request, in the order injected, and answers it without acting on it
// unless it says otherwise.
type Fake interface {
	// URL returns the fake's base URL.
	URL() string
	// Transport returns a RoundTripper that reaches the fake in this
	// process, without sockets (see [HandlerTransport]).
	Transport() http.RoundTripper
	// Client returns an http.Client that reaches the fake.
	Client() *http.Client

	// FailNext answers the next request with the vendor's own failure
	// envelope carrying code and message.
	FailNext(code, message string)
	// FailNextHTTP answers the next request with HTTP status and body.
	FailNextHTTP(status int, body string)
	// ThrottleNext answers the next request with the vendor's throttle
	// answer, naming a window of retryAfter where the vendor can.
	ThrottleNext(retryAfter time.Duration)
	// DelayNext holds the next request for d on the fake's clock (or until
	// the client gives up or the fake closes), then handles it normally.
	DelayNext(d time.Duration)
	// DropNext reads the next request and drops the connection without
	// answering.
	DropNext()
	// DropNextAfterWrite handles the next request, so that a write takes
	// effect, then drops the connection without answering: the client
	// cannot know the outcome.
	DropNextAfterWrite()
	// Inject queues faults of any shape; each applies to one following
	// request, in order, after those already queued.
	Inject(f ...Fault)

	// Requests returns the most recent requests received, oldest first.
	Requests() []Request
	// RequestCount returns how many requests were received in all.
	RequestCount() int
	// WaitRequests blocks until at least n requests have arrived or ctx is
	// done, when it returns ctx's error.
	WaitRequests(ctx context.Context, n int) error

	// Close stops the fake, releasing delayed requests, and waits for its
	// handlers to return. It is safe to call more than once.
	Close()
}

// Fault is a failure injected into the next request a fake receives (see
// [Fake.Inject]). Its zero value lets the request through untouched.
type Fault struct {
	// Delay holds the request this long on the fake's clock before it is
	// handled further (or until the client gives up or the fake closes, when
	// the connection is dropped).
	Delay time.Duration
	// Status, when not 0, answers with this HTTP status and Body instead of
	// the vendor's handler; with AfterHandler, the handler runs first (the
	// write takes effect) and its answer is replaced.
	Status int
	// Body is the body sent with Status.
	Body []byte
	// Header is added to the answer sent with Status.
	Header http.Header
	// Drop reads the whole request, then closes the connection without
	// answering.
	Drop bool
	// Respond, when set, answers instead of the vendor's handler (a vendor
	// error envelope, say); with AfterHandler, after it. It runs after Delay.
	Respond http.HandlerFunc
	// AfterHandler, with Drop, Respond or Status, runs the vendor's handler
	// first (so a write takes effect) and then drops the connection or
	// replaces the answer: the client cannot know the outcome.
	AfterHandler bool
}
