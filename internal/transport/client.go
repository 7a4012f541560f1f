package transport

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/couponkit/couponkit"
)

// maxBody bounds a response body; larger bodies are a decode failure.
const maxBody = 32 << 20

// Client runs Calls for one vendor. It is safe for concurrent use.
type Client struct {
	vendor string
	rc     *resty.Client
	hc     *http.Client
	ownHC  bool
	opts   couponkit.Options
	redact *strings.Replacer
	// pauseUntil (Unix nanoseconds on opts.Clock) holds every call of this
	// client back after the vendor throttled one of them, so concurrent calls
	// wait out the vendor's window too instead of hammering it.
	pauseUntil atomic.Int64
}

// New returns a pipeline for vendor with resolved options. secrets (keys,
// app secrets, sessions) are removed from every error text and log line.
func New(vendor string, opts couponkit.Options, secrets ...string) *Client {
	hc, own := opts.HTTPClient, false
	if hc == nil {
		hc, own = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}, true
	}
	if opts.Transport != nil {
		cp := *hc
		cp.Transport = opts.Transport
		hc = &cp
	}
	rc := resty.NewWithClient(hc).
		SetRetryCount(0).
		SetDisableWarn(true).
		SetLogger(discardLogger{}).
		SetDoNotParseResponse(true).
		SetHeader("User-Agent", opts.UserAgent).
		// Every vendor answers JSON. Naming it here also spares each request
		// resty's Content-Type regexps, which run whenever Accept is empty.
		SetHeader("Accept", "application/json")
	var pairs []string
	for _, s := range secrets {
		if s != "" {
			pairs = append(pairs, s, "[redacted]")
		}
	}
	return &Client{vendor: vendor, rc: rc, hc: hc, ownHC: own, opts: opts, redact: strings.NewReplacer(pairs...)}
}

// Options returns the resolved options the client was built with.
func (c *Client) Options() couponkit.Options { return c.opts }

// Redact removes the client's secrets from s.
func (c *Client) Redact(s string) string { return c.redact.Replace(s) }

// Close releases idle connections of a transport the client created itself.
// A caller-supplied http.Client is left alone.
func (c *Client) Close() {
	if c.ownHC {
		c.hc.CloseIdleConnections()
	}
}

// Do runs call: it builds, sends, checks and retries, and returns the
// successful response, or an error: the Build error as is, a *couponkit.Error,
// or a *couponkit.UnknownOutcomeError when a write's result cannot be known.
func (c *Client) Do(ctx context.Context, call *Call) (*Response, error) {
	policy := c.opts.Retry
	var (
		lastErr *couponkit.Error
		sent    bool // some attempt may have reached the vendor and been acted on
	)
	for attempt := 1; ; attempt++ {
		if err := c.wait(ctx); err != nil {
			return nil, c.stopped(call, attempt-1, sent, lastErr, err)
		}
		p, err := call.Build(attempt)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		resp, wrote, err := c.send(ctx, call, p)
		if err != nil {
			if wrote {
				sent = true
			}
			lastErr = c.networkError(call, err)
			c.log(ctx, call, attempt, 0, "", start, lastErr)
			if ctx.Err() != nil {
				return nil, c.stopped(call, attempt, sent, lastErr, ctx.Err())
			}
			if wrote && call.Class == Unsafe {
				return nil, c.unknown(call, attempt, lastErr)
			}
		} else {
			resp.Attempts = attempt
			cerr := c.check(call, resp)
			c.log(ctx, call, attempt, resp.StatusCode, resp.RequestID, start, cerr)
			if cerr == nil {
				return resp, nil
			}
			lastErr = cerr
			switch cerr.Fault {
			case couponkit.FaultThrottle:
				// The vendor refused before acting: safe to send again, whatever the class.
				c.pause(cerr, policy)
			case couponkit.FaultServer:
				sent = true
				if call.Class == Unsafe {
					return nil, c.unknown(call, attempt, cerr)
				}
			default:
				return nil, cerr
			}
		}
		if attempt >= policy.MaxAttempts {
			return nil, c.final(call, attempt, sent, lastErr)
		}
		if err := c.opts.Clock.Sleep(ctx, Backoff(policy, attempt, lastErr)); err != nil {
			return nil, c.stopped(call, attempt, sent, lastErr, err)
		}
	}
}

// wait holds an attempt back while the client is paused by a throttle, then
// waits on the limiter.
func (c *Client) wait(ctx context.Context) error {
	if until := c.pauseUntil.Load(); until != 0 {
		if d := time.Duration(until - c.opts.Clock.Now().UnixNano()); d > 0 {
			if err := c.opts.Clock.Sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	if c.opts.Limiter != nil {
		return c.opts.Limiter.Wait(ctx)
	}
	return ctx.Err()
}

// pause holds the whole client back for the vendor's throttle window.
func (c *Client) pause(e *couponkit.Error, p couponkit.RetryPolicy) {
	d := e.RetryAfter
	if d == 0 {
		d = p.ThrottleDelay
	}
	until := c.opts.Clock.Now().Add(min(d, p.MaxDelay)).UnixNano()
	for {
		cur := c.pauseUntil.Load()
		if cur >= until || c.pauseUntil.CompareAndSwap(cur, until) {
			return
		}
	}
}

// send makes one attempt and reports whether the request was written to a
// connection (and so may have reached the vendor).
func (c *Client) send(ctx context.Context, call *Call, p Payload) (*Response, bool, error) {
	// Only a write needs to know whether its request left: a read is retried
	// either way, so it is spared the trace's cost.
	var wrote atomic.Bool
	actx := ctx
	if call.Class != Safe {
		actx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) }})
	}
	if c.opts.Timeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(actx, c.opts.Timeout)
		defer cancel()
	}
	r := c.rc.R().SetContext(actx).SetBody(p.Body)
	if p.ContentType != "" {
		r.Header.Set("Content-Type", p.ContentType)
	}
	for k, v := range p.Header {
		r.Header[k] = v
	}
	method := call.Method
	if method == "" {
		method = http.MethodPost
	}
	rr, err := r.Execute(method, call.URL)
	if err != nil {
		if rr != nil && rr.RawBody() != nil {
			rr.RawBody().Close()
		}
		return nil, wrote.Load(), err
	}
	raw := rr.RawBody()
	defer raw.Close()
	body, err := readAll(raw, rr.RawResponse.ContentLength)
	if err != nil {
		return nil, true, err
	}
	return &Response{StatusCode: rr.StatusCode(), Header: rr.Header(), Body: body}, true, nil
}

func readAll(r io.Reader, n int64) ([]byte, error) {
	if n < 0 || n > maxBody {
		n = 512
	}
	buf := make([]byte, 0, n+1)
	for {
		if len(buf) == cap(buf) {
			if len(buf) >= maxBody {
				return nil, errors.New("response body larger than 32 MiB")
			}
			buf = append(buf, 0)[:len(buf)]
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// check runs the vendor's Check and fills in what it left out.
func (c *Client) check(call *Call, resp *Response) *couponkit.Error {
	err := call.Check(resp)
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode < 300
	if err == nil && ok2xx {
		return nil
	}
	var e *couponkit.Error
	if err == nil {
		e = &couponkit.Error{Message: "unexpected HTTP status " + strconv.Itoa(resp.StatusCode), Fault: StatusFault(resp.StatusCode)}
	} else if !errors.As(err, &e) {
		e = &couponkit.Error{Message: err.Error(), Err: err, Fault: couponkit.FaultUnknown}
	}
	// A 5xx or 429 says more about retrying than whatever body came with it;
	// another non-2xx status decides only when the body said nothing usable.
	switch sf := StatusFault(resp.StatusCode); {
	case sf == couponkit.FaultServer && e.Fault != couponkit.FaultThrottle, sf == couponkit.FaultThrottle:
		e.Fault = sf
	case e.Fault == couponkit.FaultUnknown && !ok2xx:
		e.Fault = sf
	}
	if e.Vendor == "" {
		e.Vendor = c.vendor
	}
	if e.Operation == "" {
		e.Operation = call.Operation
	}
	if e.HTTPStatus == 0 {
		e.HTTPStatus = resp.StatusCode
	}
	if e.RequestID == "" {
		e.RequestID = resp.RequestID
	}
	if e.RetryAfter == 0 {
		e.RetryAfter = RetryAfter(resp.Header, c.opts.Clock.Now())
	}
	e.Message = c.redact.Replace(e.Message)
	return e
}

func (c *Client) networkError(call *Call, err error) *couponkit.Error {
	return &couponkit.Error{Vendor: c.vendor, Operation: call.Operation, Message: c.redact.Replace(err.Error()), Fault: couponkit.FaultServer, Err: err}
}

func (c *Client) unknown(call *Call, attempts int, last *couponkit.Error) error {
	return &couponkit.UnknownOutcomeError{Vendor: c.vendor, Operation: call.Operation, KeyName: call.KeyName, Key: call.Key, Attempts: attempts, Err: last}
}

// final is the error after the last allowed attempt failed retryably.
func (c *Client) final(call *Call, attempts int, sent bool, last *couponkit.Error) error {
	if sent && call.Class != Safe {
		return c.unknown(call, attempts, last)
	}
	return last
}

// stopped is the error when the context ended (or the limiter refused) between or during attempts.
func (c *Client) stopped(call *Call, attempts int, sent bool, last *couponkit.Error, cause error) error {
	if sent && call.Class != Safe {
		if last == nil || !errors.Is(last, cause) {
			last = &couponkit.Error{Vendor: c.vendor, Operation: call.Operation, Message: cause.Error(), Fault: couponkit.FaultServer, Err: cause}
		}
		return c.unknown(call, attempts, last)
	}
	if last != nil && errors.Is(last, cause) {
		return last
	}
	return &couponkit.Error{Vendor: c.vendor, Operation: call.Operation, Message: cause.Error(), Fault: couponkit.FaultUnknown, Err: cause}
}

func (c *Client) log(ctx context.Context, call *Call, attempt, status int, requestID string, start time.Time, err *couponkit.Error) {
	l := c.opts.Logger
	if !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("vendor", c.vendor),
		slog.String("operation", call.Operation),
		slog.Int("attempt", attempt),
		slog.Int("status", status),
		slog.Duration("latency", time.Since(start)),
	}
	if err != nil {
		attrs = append(attrs, slog.String("fault", err.Fault.String()), slog.String("code", err.Code))
		requestID = err.RequestID
	}
	if requestID != "" {
		attrs = append(attrs, slog.String("request_id", requestID))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "couponkit attempt", attrs...)
}

type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
