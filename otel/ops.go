package couponkitotel

import (
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/couponkit/couponkit"
)

// The per-operation data is built once so that a call costs map lookups, not
// string concatenation, attribute sorting and option allocation.

const (
	nClasses        = 3  // ClassUnsafe, ClassRead, ClassKeyed
	nFaults         = 5  // FaultUnknown … FaultServer
	nCachedAttempts = 10 // attempts 1..nCachedAttempts have prebuilt options
)

type opKey struct{ vendor, operation string }

// op is what is prebuilt for one vendor operation.
type op struct {
	vendor, operation     string
	callName, attemptName string
	// callStarts[class] are the call span's start options.
	callStarts [nClasses][]trace.SpanStartOption
	// attemptStarts[class][attempt-1] are an attempt span's start options.
	attemptStarts [nClasses][nCachedAttempts][]trace.SpanStartOption
	// ok, failed[fault] and unknown[fault] are the metric options by outcome.
	ok              measurement
	failed, unknown [nFaults]measurement
}

// measurement holds one metric attribute set as the options both instrument
// kinds take.
type measurement struct {
	add    []metric.AddOption
	record []metric.RecordOption
}

func newMeasurement(kv ...attribute.KeyValue) measurement {
	opt := metric.WithAttributeSet(attribute.NewSet(kv...))
	return measurement{add: []metric.AddOption{opt}, record: []metric.RecordOption{opt}}
}

var clientKind = trace.WithSpanKind(trace.SpanKindClient)

func newOp(vendor, operation string) *op {
	p := &op{
		vendor: vendor, operation: operation,
		callName: vendor + "." + operation, attemptName: vendor + "." + operation + " attempt",
	}
	v, o := AttrVendor.String(vendor), AttrOperation.String(operation)
	for c := range nClasses {
		class := AttrClass.String(couponkit.Class(c).String())
		p.callStarts[c] = []trace.SpanStartOption{clientKind, trace.WithAttributes(v, o, class)}
		for a := range nCachedAttempts {
			p.attemptStarts[c][a] = []trace.SpanStartOption{clientKind,
				trace.WithAttributes(v, o, class, AttrAttempt.Int(a+1))}
		}
	}
	p.ok = newMeasurement(v, o, AttrOutcome.String(OutcomeOK))
	for f := range nFaults {
		fault := faultAttrs[f]
		p.failed[f] = newMeasurement(v, o, AttrOutcome.String(OutcomeError), fault)
		p.unknown[f] = newMeasurement(v, o, AttrOutcome.String(OutcomeUnknown), fault)
	}
	return p
}

func (p *op) callStart(c couponkit.Class) []trace.SpanStartOption {
	if c >= 0 && c < nClasses {
		return p.callStarts[c]
	}
	return []trace.SpanStartOption{clientKind, trace.WithAttributes(
		AttrVendor.String(p.vendor), AttrOperation.String(p.operation), AttrClass.String(c.String()))}
}

func (p *op) attemptStart(c couponkit.Class, attempt int) []trace.SpanStartOption {
	if c >= 0 && c < nClasses && attempt >= 1 && attempt <= nCachedAttempts {
		return p.attemptStarts[c][attempt-1]
	}
	return []trace.SpanStartOption{clientKind, trace.WithAttributes(
		AttrVendor.String(p.vendor), AttrOperation.String(p.operation), AttrClass.String(c.String()),
		AttrAttempt.Int(attempt))}
}

// measure returns the metric options for an outcome and, unless it is
// outcomeOK, a fault.
func (p *op) measure(o outcome, f couponkit.Fault) measurement {
	if o == outcomeOK {
		return p.ok
	}
	if f < 0 || f >= nFaults {
		return newMeasurement(AttrVendor.String(p.vendor), AttrOperation.String(p.operation),
			AttrOutcome.String(o.String()), faultAttr(f))
	}
	if o == outcomeUnknown {
		return p.unknown[f]
	}
	return p.failed[f]
}

// outcome is a call's or attempt's outcome, named by the Outcome constants.
type outcome int

const (
	outcomeOK outcome = iota
	outcomeError
	outcomeUnknown
)

func (o outcome) String() string {
	switch o {
	case outcomeOK:
		return OutcomeOK
	case outcomeUnknown:
		return OutcomeUnknown
	default:
		return OutcomeError
	}
}

// op returns the prebuilt data of vendor's operation, building and caching it
// on first use.
func (o *Observer) op(vendor, operation string) *op {
	k := opKey{vendor, operation}
	if p, ok := (*o.ops.Load())[k]; ok {
		return p
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	cur := *o.ops.Load()
	if p, ok := cur[k]; ok {
		return p
	}
	p := newOp(vendor, operation)
	if len(cur) >= maxOps {
		return p // not cached: too many distinct operations
	}
	next := make(map[opKey]*op, len(cur)+1)
	for k, v := range cur {
		next[k] = v
	}
	next[k] = p
	o.ops.Store(&next)
	return p
}
