package couponkitotel

import (
	"context"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/couponkit/couponkit"
)

// ScopeName is the instrumentation scope of the tracer and meter an
// [Observer] uses.
const ScopeName = "github.com/couponkit/couponkit/otel"

// Attribute keys set on spans and metrics.
const (
	// AttrVendor is the vendor package's name ("zvcms"), on spans and metrics.
	AttrVendor = attribute.Key("couponkit.vendor")
	// AttrOperation is the vendor's API name, on spans and metrics.
	AttrOperation = attribute.Key("couponkit.operation")
	// AttrClass is the retry class (read, keyed or unsafe), on spans.
	AttrClass = attribute.Key("couponkit.class")
	// AttrAttempt is the attempt's number from 1, on attempt spans.
	AttrAttempt = attribute.Key("couponkit.attempt")
	// AttrAttempts is how many attempts a call sent, on call spans.
	AttrAttempts = attribute.Key("couponkit.attempts")
	// AttrHTTPStatus is the answer's HTTP status, on attempt spans that got one.
	AttrHTTPStatus = attribute.Key("http.response.status_code")
	// AttrFault is the failure's [couponkit.Fault] (client, auth, throttle,
	// server or unknown), on failed spans and on metrics unless the outcome is ok.
	AttrFault = attribute.Key("couponkit.fault")
	// AttrVendorCode is the vendor's error code, on attempt spans whose answer had one.
	AttrVendorCode = attribute.Key("couponkit.vendor_code")
	// AttrRequestID is the vendor's request id, on attempt spans whose answer had one.
	AttrRequestID = attribute.Key("couponkit.request_id")
	// AttrAmbiguous says the attempt's answer was not definite (a write may
	// have been applied), on attempt spans.
	AttrAmbiguous = attribute.Key("couponkit.ambiguous")
	// AttrOutcomeUnknown says the call's error matches
	// [couponkit.ErrUnknownOutcome], on call spans.
	AttrOutcomeUnknown = attribute.Key("couponkit.outcome_unknown")
	// AttrKeyName is the idempotency key's vendor name ("bizId"), on spans of
	// writes whose key is not secret.
	AttrKeyName = attribute.Key("couponkit.idempotency_key.name")
	// AttrKey is the idempotency key's value, on spans of writes whose key is
	// not secret.
	AttrKey = attribute.Key("couponkit.idempotency_key")
	// AttrOutcome is OutcomeOK, OutcomeError or OutcomeUnknown, on metrics.
	AttrOutcome = attribute.Key("couponkit.outcome")
)

// Metric names.
const (
	// MetricCalls counts logical calls.
	MetricCalls = "couponkit.calls"
	// MetricAttempts counts attempts, retries included.
	MetricAttempts = "couponkit.attempts"
	// MetricCallDuration is a histogram of calls' total time in seconds,
	// retries and waits included.
	MetricCallDuration = "couponkit.call.duration"
	// MetricAttemptDuration is a histogram of attempts' latency in seconds.
	MetricAttemptDuration = "couponkit.attempt.duration"
)

// The values of the couponkit.outcome metric attribute.
const (
	// OutcomeOK is a call or attempt that succeeded.
	OutcomeOK = "ok"
	// OutcomeError is a call or attempt that failed with a definite answer,
	// or before anything was sent.
	OutcomeError = "error"
	// OutcomeUnknown is a call whose outcome is unknown, or an attempt whose
	// answer was ambiguous.
	OutcomeUnknown = "unknown"
)

// durationBuckets are the histograms' bucket boundaries in seconds: the
// OpenTelemetry HTTP client ones, extended for calls that wait out throttles.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60}

// maxOps bounds the cache of per-operation data; operations past it still
// work, at the cost of building that data on every call.
const maxOps = 4096

// Config says where an [Observer] reports to.
type Config struct {
	// TracerProvider makes the tracer; nil means the global one
	// (otel.GetTracerProvider).
	TracerProvider trace.TracerProvider
	// MeterProvider makes the meter; nil means the global one
	// (otel.GetMeterProvider).
	MeterProvider metric.MeterProvider
}

// Observer is a [couponkit.Observer] that reports calls and attempts as
// OpenTelemetry spans and metrics (see the package doc for their names). It is
// safe for concurrent use; share one between clients. Make it with [New].
type Observer struct {
	tracer          trace.Tracer
	calls           metric.Int64Counter
	attempts        metric.Int64Counter
	callDuration    metric.Float64Histogram
	attemptDuration metric.Float64Histogram

	ops atomic.Pointer[map[opKey]*op] // copied on write
	mu  sync.Mutex                    // serialises writers of ops
}

var _ couponkit.Observer = (*Observer)(nil)

// New returns an Observer reporting to cfg's providers.
func New(cfg Config) (*Observer, error) {
	tp, mp := cfg.TracerProvider, cfg.MeterProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	o := &Observer{tracer: tp.Tracer(ScopeName, trace.WithInstrumentationVersion(couponkit.Version))}
	meter := mp.Meter(ScopeName, metric.WithInstrumentationVersion(couponkit.Version))
	var err error
	if o.calls, err = meter.Int64Counter(MetricCalls, metric.WithUnit("{call}"),
		metric.WithDescription("Logical vendor calls made, by outcome.")); err != nil {
		return nil, err
	}
	if o.attempts, err = meter.Int64Counter(MetricAttempts, metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts sent to vendors, retries included, by outcome.")); err != nil {
		return nil, err
	}
	if o.callDuration, err = meter.Float64Histogram(MetricCallDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of logical vendor calls, retries and waits included."),
		metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
		return nil, err
	}
	if o.attemptDuration, err = meter.Float64Histogram(MetricAttemptDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of single attempts, from send to classified answer."),
		metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
		return nil, err
	}
	empty := map[opKey]*op{}
	o.ops.Store(&empty)
	return o, nil
}

// CallStart starts the call's span, named "<vendor>.<operation>", and
// returns a context holding it. It implements [couponkit.Observer].
func (o *Observer) CallStart(ctx context.Context, c couponkit.CallInfo) context.Context {
	p := o.op(c.Vendor, c.Operation)
	opts := p.callStart(c.Class)
	if c.KeyName != "" || c.Key != "" {
		opts = withKey(opts, c.KeyName, c.Key)
	}
	ctx, _ = o.tracer.Start(ctx, p.callName, opts...)
	return ctx
}

// AttemptStart starts the attempt's span, named "<vendor>.<operation>
// attempt", as a child of the call's span. It implements [couponkit.Observer].
func (o *Observer) AttemptStart(ctx context.Context, a couponkit.AttemptInfo) context.Context {
	p := o.op(a.Vendor, a.Operation)
	opts := p.attemptStart(a.Class, a.Attempt)
	if a.KeyName != "" || a.Key != "" {
		opts = withKey(opts, a.KeyName, a.Key)
	}
	ctx, _ = o.tracer.Start(ctx, p.attemptName, opts...)
	return ctx
}

// AttemptEnd records the attempt's metrics and ends its span. It implements
// [couponkit.Observer].
func (o *Observer) AttemptEnd(ctx context.Context, a couponkit.AttemptInfo) {
	p := o.op(a.Vendor, a.Operation)
	out := outcomeOK
	switch {
	case a.Ambiguous:
		out = outcomeUnknown
	case a.Err != nil:
		out = outcomeError
	}
	m := p.measure(out, a.Fault)
	o.attempts.Add(ctx, 1, m.add...)
	o.attemptDuration.Record(ctx, a.Latency.Seconds(), m.record...)

	span := trace.SpanFromContext(ctx)
	if span.IsRecording() {
		var buf [5]attribute.KeyValue
		kv := buf[:0]
		if a.HTTPStatus > 0 {
			kv = append(kv, AttrHTTPStatus.Int(a.HTTPStatus))
		}
		if a.Err != nil {
			kv = append(kv, faultAttr(a.Fault))
		}
		if a.Code != "" {
			kv = append(kv, AttrVendorCode.String(a.Code))
		}
		if a.RequestID != "" {
			kv = append(kv, AttrRequestID.String(a.RequestID))
		}
		kv = append(kv, AttrAmbiguous.Bool(a.Ambiguous))
		span.SetAttributes(kv...)
		if a.Err != nil {
			span.SetStatus(codes.Error, a.Err.Error())
		}
	}
	span.End()
}

// CallEnd records the call's metrics and ends its span. It implements
// [couponkit.Observer].
func (o *Observer) CallEnd(ctx context.Context, c couponkit.CallInfo) {
	p := o.op(c.Vendor, c.Operation)
	out := outcomeOK
	switch {
	case c.UnknownOutcome:
		out = outcomeUnknown
	case c.Err != nil:
		out = outcomeError
	}
	m := p.measure(out, c.Fault)
	o.calls.Add(ctx, 1, m.add...)
	o.callDuration.Record(ctx, c.Duration.Seconds(), m.record...)

	span := trace.SpanFromContext(ctx)
	if span.IsRecording() {
		if c.Err != nil {
			span.SetAttributes(AttrAttempts.Int(c.Attempts), AttrOutcomeUnknown.Bool(c.UnknownOutcome), faultAttr(c.Fault))
			span.SetStatus(codes.Error, c.Err.Error())
		} else {
			span.SetAttributes(AttrAttempts.Int(c.Attempts), AttrOutcomeUnknown.Bool(false))
		}
	}
	span.End()
}

// withKey returns opts with the idempotency key's attributes added, in a new
// slice (opts may be shared).
func withKey(opts []trace.SpanStartOption, name, key string) []trace.SpanStartOption {
	out := make([]trace.SpanStartOption, len(opts), len(opts)+1)
	copy(out, opts)
	kv := make([]attribute.KeyValue, 0, 2)
	if name != "" {
		kv = append(kv, AttrKeyName.String(name))
	}
	if key != "" {
		kv = append(kv, AttrKey.String(key))
	}
	return append(out, trace.WithAttributes(kv...))
}

var faultAttrs = [...]attribute.KeyValue{
	couponkit.FaultUnknown:  AttrFault.String(couponkit.FaultUnknown.String()),
	couponkit.FaultClient:   AttrFault.String(couponkit.FaultClient.String()),
	couponkit.FaultAuth:     AttrFault.String(couponkit.FaultAuth.String()),
	couponkit.FaultThrottle: AttrFault.String(couponkit.FaultThrottle.String()),
	couponkit.FaultServer:   AttrFault.String(couponkit.FaultServer.String()),
}

func faultAttr(f couponkit.Fault) attribute.KeyValue {
	if f >= 0 && int(f) < len(faultAttrs) {
		return faultAttrs[f]
	}
	return AttrFault.String(f.String())
}
