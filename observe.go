package couponkit

import (
	"context"
	"time"
)

// Observer sees every logical call and every attempt a client makes, for
// metrics and tracing (the otel module builds spans and metrics on it). It
// never sees a body, a signature or a credential. Its methods are called on
// the calling goroutine and must be fast and safe for concurrent use.
//
// A client calls CallStart once per logical call, then AttemptStart and
// AttemptEnd around each attempt (a wait for the limiter or a throttle pause
// is not an attempt), then CallEnd once. The context CallStart returns is the
// parent of the attempts' contexts, and the one AttemptStart returns is used
// for that attempt's HTTP request, so a tracer can nest spans.
type Observer interface {
	// CallStart is called before the first attempt.
	CallStart(ctx context.Context, call CallInfo) context.Context
	// AttemptStart is called before an attempt is sent.
	AttemptStart(ctx context.Context, attempt AttemptInfo) context.Context
	// AttemptEnd is called when the attempt's answer was read and classified,
	// or the attempt failed; attempt has its result fields set.
	AttemptEnd(ctx context.Context, attempt AttemptInfo)
	// CallEnd is called once when the call returns; call has its result
	// fields set.
	CallEnd(ctx context.Context, call CallInfo)
}

// CallInfo describes one logical call to an [Observer].
type CallInfo struct {
	// Vendor is the vendor package's name ("ebuy").
	Vendor string
	// Operation is the vendor's API name ("batchActivateCode").
	Operation string
	// Class is the operation's retry class.
	Class Class
	// KeyName and Key are the idempotency key's name and value for writes
	// whose key is not a secret; empty otherwise.
	KeyName, Key string
	// Start is when the call started, on the client's clock.
	Start time.Time

	// The fields below are set for CallEnd only.

	// Attempts is how many attempts were sent.
	Attempts int
	// Duration is the call's total time, waits included.
	Duration time.Duration
	// Err is the call's error, or nil on success.
	Err error
	// Fault is the fault of Err (FaultUnknown on success or when Err holds no *Error).
	Fault Fault
	// UnknownOutcome is true when Err matches [ErrUnknownOutcome].
	UnknownOutcome bool
}

// AttemptInfo describes one attempt to an [Observer].
type AttemptInfo struct {
	// Vendor, Operation, Class, KeyName and Key are as in [CallInfo].
	Vendor, Operation string
	Class             Class
	KeyName, Key      string
	// Attempt counts from 1.
	Attempt int
	// Start is when the attempt started, on the client's clock.
	Start time.Time

	// The fields below are set for AttemptEnd only.

	// HTTPStatus is the answer's status, or 0 when none arrived.
	HTTPStatus int
	// Latency is the attempt's time from send to classified answer.
	Latency time.Duration
	// Err is the attempt's failure, or nil.
	Err error
	// Fault is the failure's fault (FaultUnknown on success).
	Fault Fault
	// Code is the vendor's error code, when the vendor sent one.
	Code string
	// RequestID is the vendor's request id, when the answer carried one.
	RequestID string
	// Ambiguous is true when the request may have been applied but the
	// answer is not a definite vendor answer (a write's outcome is unknown
	// after this attempt).
	Ambiguous bool
}

// WithObserver makes the client report every call and attempt to o.
func WithObserver(o Observer) Option { return func(opts *Options) { opts.Observer = o } }

// Pauser shares a vendor's throttle window between clients, such as every
// process holding one app key (the Redis module's couponkitredis.Limiter
// implements it). When the vendor throttles a call the client calls PauseUntil with
// the end of the window; before every attempt it waits until PausedUntil.
type Pauser interface {
	// PauseUntil records that no call may be sent before t.
	PauseUntil(ctx context.Context, t time.Time) error
	// PausedUntil returns the time before which no call may be sent; a zero
	// or past time means none. An error is treated as no pause.
	PausedUntil(ctx context.Context) (time.Time, error)
}

// WithPauser shares throttle pauses through p, in addition to the client's own pause.
func WithPauser(p Pauser) Option { return func(o *Options) { o.Pauser = p } }
