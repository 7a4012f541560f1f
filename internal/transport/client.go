package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
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
	redact redactor
	// pauseUntil (Unix nanoseconds on opts.Clock) holds every call of this
	// client back after the vendor throttled one of them, so concurrent calls
	// wait out the vendor's window too instead of hammering it.
	pauseUntil atomic.Int64
	// pauserIsLimiter is true when the Pauser and the Limiter are one value.
	pauserIsLimiter bool
}

// New returns a pipeline for vendor with resolved options. secrets (keys,
// app secrets, sessions, and any wire encoding of them, see [EncodedForms])
// are removed from every error text and log line, in every spelling
// [secretForms] knows: raw, URL-escaped and JSON-escaped.
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
	c := &Client{vendor: vendor, rc: rc, hc: hc, ownHC: own, opts: opts, redact: newRedactor(secrets)}
	if opts.Pauser != nil && opts.Limiter != nil {
		l, ok := opts.Pauser.(couponkit.Limiter)
		c.pauserIsLimiter = ok && l == opts.Limiter
	}
	return c
}

// Vendor returns the vendor name the client reports in errors.
func (c *Client) Vendor() string { return c.vendor }

// Options returns the resolved options the client was built with.
func (c *Client) Options() couponkit.Options { return c.opts }

// Redact removes the client's secrets, and extra (values of one exchange
// such as its signature), in all their spellings, from s.
func (c *Client) Redact(s string, extra ...string) string { return c.redact.replace(s, extra) }

// Close releases idle connections of a transport the client created itself.
// A caller-supplied http.Client is left alone. Calls in flight are not
// interrupted; the client starts no goroutine, so none is left behind.
func (c *Client) Close() {
	if c.ownHC {
		c.hc.CloseIdleConnections()
	}
}

// Do runs call: it builds, sends, checks and retries, and returns the
// successful response, or an error: the Build error as is, a *couponkit.Error,
// or a *couponkit.UnknownOutcomeError when a write's result cannot be known.
//
// The outcome rules, the same for every vendor:
//   - A definite vendor answer (a parsed error code, or an HTTP 4xx status
//     other than 408 and 429, whatever its body) is a plain *couponkit.Error.
//   - A throttle (a vendor throttle code or 429) pauses the client for the
//     vendor's window and is retried whatever the class: the vendor refused
//     before acting.
//   - Once a request may have left (it was written to a connection), an
//     answer that is not a definite vendor answer ([ErrUnreadable], a 5xx or
//     408, a dropped connection, a timeout) or a vendor server fault is
//     ambiguous: a Safe or Keyed call is retried (the same key, re-signed);
//     an Unsafe write returns an unknown outcome at once; a Keyed write whose
//     last attempt was ambiguous returns an unknown outcome with its key.
//   - After an ambiguous attempt of a write, every end of the call but a
//     verified success is an unknown outcome with the key, because that
//     attempt may have been applied: a definite refusal of a retry (the
//     vendor refusing the repeat as a duplicate, or the coupon already in
//     the state the write put it in) ends the call at once as an unknown
//     outcome that unwraps to the refusal; a throttle is still retried (the
//     vendor refused before acting) but, once the attempts run out, is an
//     unknown outcome too; so is a request that provably never left, the
//     caller's cancellation, and a limiter or Build failure.
//   - A definite refusal whose code the Call lists in Applied is marked
//     couponkit.Error.AlreadyApplied, on a first attempt as on a retry.
//   - The caller's own cancellation or deadline ends the call with an error
//     wrapping ctx.Err() (an unknown outcome if a write may have left).
func (c *Client) Do(ctx context.Context, call *Call) (*Response, error) {
	obs := c.opts.Observer
	if obs == nil {
		resp, _, err := c.do(ctx, call, nil, couponkit.CallInfo{})
		return resp, err
	}
	info := couponkit.CallInfo{Vendor: c.vendor, Operation: call.Operation, Class: call.Class, KeyName: call.KeyName, Key: call.Key, Start: c.opts.Clock.Now()}
	ctx = obs.CallStart(ctx, info)
	resp, attempts, err := c.do(ctx, call, obs, info)
	info.Duration = c.opts.Clock.Now().Sub(info.Start)
	info.Err = err
	info.Attempts = attempts
	if err != nil {
		info.Fault = couponkit.FaultOf(err)
		info.UnknownOutcome = errors.Is(err, couponkit.ErrUnknownOutcome)
	}
	obs.CallEnd(ctx, info)
	return resp, err
}

// do runs the attempts of Do and reports how many were sent.
func (c *Client) do(ctx context.Context, call *Call, obs couponkit.Observer, info couponkit.CallInfo) (resp *Response, attempts int, err error) {
	policy := c.opts.Retry
	var (
		lastErr *couponkit.Error
		sent    bool // some attempt may have reached the vendor and been acted on
	)
	for attempt := 1; ; attempt++ {
		if err := c.wait(ctx); err != nil {
			return nil, attempt - 1, c.stopped(ctx, call, attempt-1, sent, lastErr, err)
		}
		p, err := call.build(attempt)
		if err != nil {
			if sent && call.Class != Safe {
				return nil, attempt - 1, c.unknown(call, attempt-1, err)
			}
			return nil, attempt - 1, err
		}
		actx := ctx
		var ai couponkit.AttemptInfo
		if obs != nil {
			ai = couponkit.AttemptInfo{Vendor: c.vendor, Operation: call.Operation, Class: call.Class, KeyName: info.KeyName, Key: info.Key, Attempt: attempt, Start: c.opts.Clock.Now()}
			actx = obs.AttemptStart(ctx, ai)
		}
		start := time.Now()
		resp, wrote, err := c.send(actx, call, p)
		var (
			cerr      *couponkit.Error
			ambiguous bool // the request may have been applied, and the answer does not say
			status    int
			requestID string
		)
		if err != nil {
			cerr = c.networkError(call, err, p.Secrets)
			ambiguous = wrote
		} else {
			resp.Attempts = attempt
			status = resp.StatusCode
			cerr = c.check(call, resp, p.Secrets)
			requestID = resp.RequestID
			if cerr != nil {
				requestID = cerr.RequestID
				ambiguous = c.ambiguous(resp.StatusCode, cerr)
				if !ambiguous && cerr.Fault != couponkit.FaultThrottle && call.alreadyApplied(cerr) {
					cerr.AlreadyApplied = true
				}
			}
		}
		c.log(ctx, call, attempt, status, requestID, start, cerr)
		if obs != nil {
			ai.HTTPStatus, ai.Latency, ai.RequestID, ai.Ambiguous = status, time.Since(start), requestID, ambiguous && call.Class != Safe
			if cerr != nil {
				ai.Err, ai.Fault, ai.Code = cerr, cerr.Fault, cerr.Code
			}
			obs.AttemptEnd(actx, ai)
		}
		if cerr == nil {
			return resp, attempt, nil
		}
		lastErr = cerr
		if ctx.Err() != nil {
			return nil, attempt, c.stopped(ctx, call, attempt, sent || ambiguous, lastErr, ctx.Err())
		}
		switch {
		case cerr.Fault == couponkit.FaultThrottle:
			// The vendor refused before acting: safe to send again, whatever the class.
			c.pause(ctx, cerr, policy)
		case ambiguous:
			sent = true
			if call.Class == Unsafe {
				return nil, attempt, c.unknown(call, attempt, cerr)
			}
		case err != nil:
			// The request provably never left: retry, whatever the class.
		case sent && call.Class != Safe:
			// A definite refusal of a retry after an attempt that may have
			// been applied: the vendor may be refusing the repeat of a
			// write it already made, so the outcome is unknown.
			return nil, attempt, c.unknown(call, attempt, cerr)
		default:
			return nil, attempt, cerr
		}
		if attempt >= policy.MaxAttempts {
			return nil, attempt, c.final(call, attempt, sent, lastErr)
		}
		if err := c.opts.Clock.Sleep(ctx, Backoff(policy, attempt, lastErr)); err != nil {
			return nil, attempt, c.stopped(ctx, call, attempt, sent, lastErr, err)
		}
	}
}

// ambiguous reports whether an answer that arrived leaves a write's outcome
// open: not a definite vendor answer, a 5xx or 408, or a vendor server fault.
// A 4xx status other than 408 and 429 refuses the request whatever its body.
func (c *Client) ambiguous(status int, e *couponkit.Error) bool {
	switch {
	case e.Fault == couponkit.FaultThrottle:
		return false
	case status >= 400 && status < 500 && status != http.StatusRequestTimeout:
		return false
	case status >= 500 || status == http.StatusRequestTimeout:
		return true
	}
	return IsUnreadable(e) || e.Fault == couponkit.FaultServer
}

// wait holds an attempt back while the client (or, through the Pauser, any
// client sharing its quota) is paused by a throttle, then waits on the limiter.
func (c *Client) wait(ctx context.Context) error {
	if until := c.pauseUntil.Load(); until != 0 {
		if d := time.Duration(until - c.opts.Clock.Now().UnixNano()); d > 0 {
			if err := c.opts.Clock.Sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	// A Pauser that is also the Limiter (couponkitredis.Limiter) checks the shared
	// pause inside Wait: asking it here too would cost a round trip.
	if c.opts.Pauser != nil && !c.pauserIsLimiter {
		if until, err := c.opts.Pauser.PausedUntil(ctx); err == nil && !until.IsZero() {
			if d := until.Sub(c.opts.Clock.Now()); d > 0 {
				if err := c.opts.Clock.Sleep(ctx, d); err != nil {
					return err
				}
			}
		}
	}
	if c.opts.Limiter != nil {
		return c.opts.Limiter.Wait(ctx)
	}
	return ctx.Err()
}

// pause holds the whole client back for the vendor's throttle window, and
// shares the window through the Pauser.
func (c *Client) pause(ctx context.Context, e *couponkit.Error, p couponkit.RetryPolicy) {
	d := e.RetryAfter
	if d == 0 {
		d = p.ThrottleDelay
	}
	t := c.opts.Clock.Now().Add(min(d, p.MaxDelay))
	until := t.UnixNano()
	for {
		cur := c.pauseUntil.Load()
		if cur >= until || c.pauseUntil.CompareAndSwap(cur, until) {
			break
		}
	}
	if c.opts.Pauser != nil {
		// A shared store that cannot be reached must not fail the call: this
		// client still pauses on its own.
		_ = c.opts.Pauser.PauseUntil(ctx, t)
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
	// A fresh reader per attempt: resty hands it to http.NewRequest, which
	// sets Content-Length from it, instead of copying the bytes twice.
	r := c.rc.R().SetContext(actx).SetBody(bytes.NewReader(p.Body))
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
	u := call.URL
	if p.Query != "" {
		u += "?" + p.Query
	}
	rr, err := r.Execute(method, u)
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

// unknownLengthStart is the first buffer for an answer of unknown length
// (chunked, or gzip, which net/http decompresses and marks length -1): large
// enough for most answers in one read, small enough not to matter.
const unknownLengthStart = 8 << 10

// maxPooledRead bounds the scratch buffer readAll keeps for answers of
// unknown length: a rare huge answer does not pin its buffer in the pool.
const maxPooledRead = 256 << 10

// readBuffers are scratch buffers for answers of unknown length.
var readBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, unknownLengthStart)
	return &b
}}

// readAll reads r, whose length is n (or -1 when unknown), into one buffer
// of its own, never past maxBody: exactly n+1 bytes when n is known (the
// extra byte sees EOF without a growth); otherwise it reads into a pooled
// scratch buffer (from unknownLengthStart, doubling) and returns an exact
// copy, one allocation of the body's size.
func readAll(r io.Reader, n int64) ([]byte, error) {
	if n >= 0 && n <= maxBody {
		buf, err := readInto(r, make([]byte, 0, n+1))
		if err != nil {
			return nil, err
		}
		return buf, nil
	}
	bp := readBuffers.Get().(*[]byte)
	buf, err := readInto(r, (*bp)[:0])
	var out []byte
	if err == nil {
		out = append(make([]byte, 0, len(buf)), buf...)
	}
	if cap(buf) <= maxPooledRead {
		*bp = buf[:0]
		readBuffers.Put(bp)
	}
	return out, err
}

// readInto reads r to its end into buf, growing it by doubling, and returns
// what it holds. A body past maxBody is an error; buf is returned with it so
// that its buffer can go back to the pool.
func readInto(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			if len(buf) >= maxBody {
				return buf, errors.New("response body larger than 32 MiB")
			}
			grown := make([]byte, len(buf), min(max(2*cap(buf), unknownLengthStart), maxBody+1))
			copy(grown, buf)
			buf = grown
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// check runs the vendor's Check and fills in what it left out.
func (c *Client) check(call *Call, resp *Response, secrets []string) *couponkit.Error {
	err := call.check(resp)
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
	requote(e, func(body string) string { return c.redact.replace(body, secrets) })
	e.Message = c.redact.replace(e.Message, secrets)
	e.Code = c.redact.replace(e.Code, secrets)
	e.SubCode = c.redact.replace(e.SubCode, secrets)
	e.RequestID = c.redact.replace(e.RequestID, secrets)
	if e.Err != nil {
		e.Err = c.redact.cause(e.Err, secrets)
	}
	return e
}

func (c *Client) networkError(call *Call, err error, secrets []string) *couponkit.Error {
	err = c.redact.cause(err, secrets)
	return &couponkit.Error{Vendor: c.vendor, Operation: call.Operation, Message: c.redact.replace(err.Error(), secrets), Fault: couponkit.FaultServer, Err: err}
}

// unknown is the error of a write whose outcome cannot be known; last is
// how the call ended (usually the last attempt's *couponkit.Error).
func (c *Client) unknown(call *Call, attempts int, last error) error {
	return &couponkit.UnknownOutcomeError{Vendor: c.vendor, Operation: call.Operation, KeyName: call.KeyName, Key: call.Key, Attempts: attempts, Err: last}
}

// final is the error after the last allowed attempt failed retryably.
func (c *Client) final(call *Call, attempts int, sent bool, last *couponkit.Error) error {
	if sent && call.Class != Safe {
		return c.unknown(call, attempts, last)
	}
	return last
}

// stopped is the error when the context ended (or the limiter refused)
// between or during attempts. The caller's own cancellation or deadline is
// never a retryable fault: the error wraps cause (and is an unknown outcome
// when a write may have left).
func (c *Client) stopped(ctx context.Context, call *Call, attempts int, sent bool, last *couponkit.Error, cause error) error {
	mine := ctx.Err() != nil && errors.Is(cause, ctx.Err())
	var e *couponkit.Error
	switch {
	case mine:
		msg := "the caller's context ended: " + cause.Error()
		if last != nil {
			msg += " (last attempt: " + last.Message + ")"
		}
		e = &couponkit.Error{Vendor: c.vendor, Operation: call.Operation, Message: msg, Fault: couponkit.FaultUnknown, Err: cause}
		if last != nil {
			e.HTTPStatus, e.RequestID = last.HTTPStatus, last.RequestID
		}
	case last != nil && errors.Is(last, cause):
		e = last
	default:
		// The limiter or the pause refused for a reason of its own.
		e = &couponkit.Error{Vendor: c.vendor, Operation: call.Operation, Message: c.redact.replace(cause.Error(), nil), Fault: couponkit.FaultUnknown, Err: cause}
	}
	if sent && call.Class != Safe {
		return c.unknown(call, max(attempts, 1), e)
	}
	return e
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
