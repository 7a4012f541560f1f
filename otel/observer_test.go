package couponkitotel_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/couponkit/couponkit"
	couponkitotel "github.com/couponkit/couponkit/otel"
)

// harness is an Observer on an SDK tracer provider recording every span and
// a meter provider read by hand.
type harness struct {
	obs    *couponkitotel.Observer
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() {
		_ = h.tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	obs, err := couponkitotel.New(couponkitotel.Config{TracerProvider: h.tp, MeterProvider: mp})
	if err != nil {
		t.Fatal(err)
	}
	h.obs = obs
	return h
}

// metrics collects the metrics by name.
func (h *harness) metrics(t testing.TB) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != couponkitotel.ScopeName {
			t.Errorf("scope %q, want %q", sm.Scope.Name, couponkitotel.ScopeName)
		}
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// spanByName returns the ended spans named name, in end order.
func (h *harness) spansNamed(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range h.spans.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// wantAttrs checks that s has each of want, and none of absent.
func wantAttrs(t *testing.T, s sdktrace.ReadOnlySpan, want []attribute.KeyValue, absent ...attribute.Key) {
	t.Helper()
	got := attrs(s)
	for _, kv := range want {
		v, ok := got[kv.Key]
		if !ok {
			t.Errorf("%s: no attribute %s", s.Name(), kv.Key)
		} else if v != kv.Value {
			t.Errorf("%s: %s = %v, want %v", s.Name(), kv.Key, v.String(), kv.Value.String())
		}
	}
	for _, k := range absent {
		if v, ok := got[k]; ok {
			t.Errorf("%s: unexpected attribute %s = %v", s.Name(), k, v.String())
		}
	}
}

// sumPoint returns the value of the counter's point with exactly attrs.
func sumPoint(t *testing.T, m metricdata.Metrics, kv ...attribute.KeyValue) int64 {
	t.Helper()
	sum, ok := m.Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("%s is %T, want an int64 sum", m.Name, m.Data)
	}
	if !sum.IsMonotonic || sum.Temporality != metricdata.CumulativeTemporality {
		t.Errorf("%s: monotonic %v, temporality %v", m.Name, sum.IsMonotonic, sum.Temporality)
	}
	want := attribute.NewSet(kv...)
	for _, dp := range sum.DataPoints {
		if dp.Attributes.Equals(&want) {
			return dp.Value
		}
	}
	var sets []string
	for _, dp := range sum.DataPoints {
		sets = append(sets, dp.Attributes.Encoded(attribute.DefaultEncoder()))
	}
	t.Fatalf("%s: no point with %s; have %q", m.Name, want.Encoded(attribute.DefaultEncoder()), sets)
	return 0
}

// histPoint returns the histogram's point with exactly attrs.
func histPoint(t *testing.T, m metricdata.Metrics, kv ...attribute.KeyValue) metricdata.HistogramDataPoint[float64] {
	t.Helper()
	h, ok := m.Data.(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("%s is %T, want a float64 histogram", m.Name, m.Data)
	}
	want := attribute.NewSet(kv...)
	for _, dp := range h.DataPoints {
		if dp.Attributes.Equals(&want) {
			return dp
		}
	}
	t.Fatalf("%s: no point with %s", m.Name, want.Encoded(attribute.DefaultEncoder()))
	return metricdata.HistogramDataPoint[float64]{}
}

// allAttrKeys lists every attribute key on every point of m.
func allAttrKeys(m metricdata.Metrics) map[attribute.Key]bool {
	keys := map[attribute.Key]bool{}
	add := func(s attribute.Set) {
		for _, kv := range s.ToSlice() {
			keys[kv.Key] = true
		}
	}
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, dp := range d.DataPoints {
			add(dp.Attributes)
		}
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			add(dp.Attributes)
		}
	}
	return keys
}

const (
	exportOp = "taobao.film.fcode.export.query"
	writeOp  = "writeOffCoupon"
)

// retriedRead drives obs through a read whose first attempt fails with a 503
// and whose second succeeds, as the pipeline would, under parent.
func retriedRead(ctx context.Context, obs couponkit.Observer) {
	start := time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)
	call := couponkit.CallInfo{Vendor: "taobaofilm", Operation: exportOp, Class: couponkit.ClassRead, Start: start}
	cctx := obs.CallStart(ctx, call)

	a1 := couponkit.AttemptInfo{Vendor: "taobaofilm", Operation: exportOp, Class: couponkit.ClassRead, Attempt: 1, Start: start}
	actx := obs.AttemptStart(cctx, a1)
	a1.HTTPStatus = http.StatusServiceUnavailable
	a1.Latency = 120 * time.Millisecond
	a1.Fault = couponkit.FaultServer
	a1.Code = "isp.top-remote-connection-error"
	a1.RequestID = "req-1"
	a1.Err = &couponkit.Error{Vendor: "taobaofilm", Operation: exportOp, Code: a1.Code, Message: "service unavailable",
		HTTPStatus: a1.HTTPStatus, RequestID: a1.RequestID, Fault: couponkit.FaultServer}
	obs.AttemptEnd(actx, a1)

	a2 := couponkit.AttemptInfo{Vendor: "taobaofilm", Operation: exportOp, Class: couponkit.ClassRead, Attempt: 2,
		Start: start.Add(300 * time.Millisecond)}
	actx = obs.AttemptStart(cctx, a2)
	a2.HTTPStatus = http.StatusOK
	a2.Latency = 80 * time.Millisecond
	a2.RequestID = "req-2"
	obs.AttemptEnd(actx, a2)

	call.Attempts = 2
	call.Duration = 380 * time.Millisecond
	obs.CallEnd(cctx, call)
}

// unknownWrite drives obs through a keyed write whose only attempt timed out
// after the request left.
func unknownWrite(ctx context.Context, obs couponkit.Observer) error {
	start := time.Date(2024, 6, 1, 10, 0, 1, 0, time.UTC)
	call := couponkit.CallInfo{Vendor: "zvcms", Operation: writeOp, Class: couponkit.ClassKeyed,
		KeyName: "bizId", Key: "order-42", Start: start}
	cctx := obs.CallStart(ctx, call)
	a := couponkit.AttemptInfo{Vendor: "zvcms", Operation: writeOp, Class: couponkit.ClassKeyed,
		KeyName: "bizId", Key: "order-42", Attempt: 1, Start: start}
	actx := obs.AttemptStart(cctx, a)
	a.Latency = 5 * time.Second
	a.Fault = couponkit.FaultServer
	a.Ambiguous = true
	a.Err = &couponkit.Error{Vendor: "zvcms", Operation: writeOp, Fault: couponkit.FaultServer,
		Err: context.DeadlineExceeded}
	obs.AttemptEnd(actx, a)

	call.Attempts = 1
	call.Duration = 5 * time.Second
	call.Fault = couponkit.FaultServer
	call.UnknownOutcome = true
	call.Err = &couponkit.UnknownOutcomeError{Vendor: "zvcms", Operation: writeOp, KeyName: "bizId", Key: "order-42",
		Attempts: 1, Err: a.Err}
	obs.CallEnd(cctx, call)
	return call.Err
}

func TestRetriedReadSpans(t *testing.T) {
	h := newHarness(t)
	ctx, parent := h.tp.Tracer("app").Start(context.Background(), "handle order")
	retriedRead(ctx, h.obs)
	parent.End()

	calls := h.spansNamed("taobaofilm." + exportOp)
	attempts := h.spansNamed("taobaofilm." + exportOp + " attempt")
	if len(calls) != 1 || len(attempts) != 2 {
		t.Fatalf("got %d call spans and %d attempt spans, want 1 and 2", len(calls), len(attempts))
	}
	call := calls[0]
	if call.SpanKind() != trace.SpanKindClient {
		t.Errorf("call span kind %v", call.SpanKind())
	}
	if call.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Error("the call span is not a child of the program's span")
	}
	if call.Status().Code != codes.Unset {
		t.Errorf("call status %v, want unset", call.Status())
	}
	wantAttrs(t, call, []attribute.KeyValue{
		couponkitotel.AttrVendor.String("taobaofilm"),
		couponkitotel.AttrOperation.String(exportOp),
		couponkitotel.AttrClass.String("read"),
		couponkitotel.AttrAttempts.Int(2),
		couponkitotel.AttrOutcomeUnknown.Bool(false),
	}, couponkitotel.AttrFault, couponkitotel.AttrKey, couponkitotel.AttrKeyName)

	for i, a := range attempts {
		if a.SpanKind() != trace.SpanKindClient {
			t.Errorf("attempt %d kind %v", i+1, a.SpanKind())
		}
		if a.Parent().SpanID() != call.SpanContext().SpanID() || a.SpanContext().TraceID() != call.SpanContext().TraceID() {
			t.Errorf("attempt %d is not a child of the call span", i+1)
		}
		if !a.EndTime().Before(call.EndTime()) && !a.EndTime().Equal(call.EndTime()) {
			t.Errorf("attempt %d ended after its call", i+1)
		}
	}
	failed, ok := attempts[0], attempts[1]
	wantAttrs(t, failed, []attribute.KeyValue{
		couponkitotel.AttrVendor.String("taobaofilm"),
		couponkitotel.AttrOperation.String(exportOp),
		couponkitotel.AttrClass.String("read"),
		couponkitotel.AttrAttempt.Int(1),
		couponkitotel.AttrHTTPStatus.Int(503),
		couponkitotel.AttrFault.String("server"),
		couponkitotel.AttrVendorCode.String("isp.top-remote-connection-error"),
		couponkitotel.AttrRequestID.String("req-1"),
		couponkitotel.AttrAmbiguous.Bool(false),
	})
	if failed.Status().Code != codes.Error ||
		failed.Status().Description != "taobaofilm "+exportOp+": code isp.top-remote-connection-error: service unavailable (server fault, http 503, request id req-1)" {
		t.Errorf("failed attempt status %+v", failed.Status())
	}
	wantAttrs(t, ok, []attribute.KeyValue{
		couponkitotel.AttrAttempt.Int(2),
		couponkitotel.AttrHTTPStatus.Int(200),
		couponkitotel.AttrRequestID.String("req-2"),
		couponkitotel.AttrAmbiguous.Bool(false),
	}, couponkitotel.AttrFault, couponkitotel.AttrVendorCode)
	if ok.Status().Code != codes.Unset {
		t.Errorf("successful attempt status %+v", ok.Status())
	}
	for _, s := range h.spans.Ended() {
		if len(s.Events()) != 0 || len(s.Links()) != 0 {
			t.Errorf("%s: events %v links %v", s.Name(), s.Events(), s.Links())
		}
	}
}

func TestRetriedReadMetrics(t *testing.T) {
	h := newHarness(t)
	retriedRead(context.Background(), h.obs)
	retriedRead(context.Background(), h.obs)
	m := h.metrics(t)

	v, o := couponkitotel.AttrVendor.String("taobaofilm"), couponkitotel.AttrOperation.String(exportOp)
	okAttrs := []attribute.KeyValue{v, o, couponkitotel.AttrOutcome.String("ok")}
	failAttrs := []attribute.KeyValue{v, o, couponkitotel.AttrOutcome.String("error"), couponkitotel.AttrFault.String("server")}

	if n := sumPoint(t, m[couponkitotel.MetricCalls], okAttrs...); n != 2 {
		t.Errorf("ok calls %d, want 2", n)
	}
	if n := sumPoint(t, m[couponkitotel.MetricAttempts], okAttrs...); n != 2 {
		t.Errorf("ok attempts %d, want 2", n)
	}
	if n := sumPoint(t, m[couponkitotel.MetricAttempts], failAttrs...); n != 2 {
		t.Errorf("failed attempts %d, want 2", n)
	}
	if pts := len(m[couponkitotel.MetricCalls].Data.(metricdata.Sum[int64]).DataPoints); pts != 1 {
		t.Errorf("%d call series, want 1", pts)
	}

	cd := histPoint(t, m[couponkitotel.MetricCallDuration], okAttrs...)
	if cd.Count != 2 || !near(cd.Sum, 0.76) {
		t.Errorf("call duration count %d sum %v, want 2 and 0.76", cd.Count, cd.Sum)
	}
	ad := histPoint(t, m[couponkitotel.MetricAttemptDuration], failAttrs...)
	if ad.Count != 2 || !near(ad.Sum, 0.24) {
		t.Errorf("failed attempt duration count %d sum %v, want 2 and 0.24", ad.Count, ad.Sum)
	}
	ad = histPoint(t, m[couponkitotel.MetricAttemptDuration], okAttrs...)
	if ad.Count != 2 || !near(ad.Sum, 0.16) {
		t.Errorf("ok attempt duration count %d sum %v, want 2 and 0.16", ad.Count, ad.Sum)
	}
	// Buckets are in seconds: 0.08 s falls in (0.075, 0.1], the sixth.
	if len(ad.Bounds) < 6 || ad.Bounds[0] != 0.005 || ad.BucketCounts[5] != 2 {
		t.Errorf("bounds %v counts %v, want seconds from 0.005 and both attempts in (0.075, 0.1]", ad.Bounds, ad.BucketCounts)
	}

	for _, name := range []string{couponkitotel.MetricCalls, couponkitotel.MetricAttempts,
		couponkitotel.MetricCallDuration, couponkitotel.MetricAttemptDuration} {
		if _, ok := m[name]; !ok {
			t.Errorf("no metric %s", name)
			continue
		}
		for k := range allAttrKeys(m[name]) {
			switch k {
			case couponkitotel.AttrVendor, couponkitotel.AttrOperation, couponkitotel.AttrOutcome, couponkitotel.AttrFault:
			default:
				t.Errorf("%s has attribute %s", name, k)
			}
		}
	}
	if u := m[couponkitotel.MetricCallDuration].Unit; u != "s" {
		t.Errorf("call duration unit %q", u)
	}
	if u := m[couponkitotel.MetricAttemptDuration].Unit; u != "s" {
		t.Errorf("attempt duration unit %q", u)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestUnknownOutcome(t *testing.T) {
	h := newHarness(t)
	err := unknownWrite(context.Background(), h.obs)

	calls := h.spansNamed("zvcms." + writeOp)
	attempts := h.spansNamed("zvcms." + writeOp + " attempt")
	if len(calls) != 1 || len(attempts) != 1 {
		t.Fatalf("got %d call spans and %d attempt spans, want 1 and 1", len(calls), len(attempts))
	}
	call, a := calls[0], attempts[0]
	if call.Parent().IsValid() {
		t.Error("the call span has a parent; want a root span")
	}
	if a.Parent().SpanID() != call.SpanContext().SpanID() {
		t.Error("the attempt is not a child of the call span")
	}
	wantAttrs(t, call, []attribute.KeyValue{
		couponkitotel.AttrVendor.String("zvcms"),
		couponkitotel.AttrOperation.String(writeOp),
		couponkitotel.AttrClass.String("keyed"),
		couponkitotel.AttrKeyName.String("bizId"),
		couponkitotel.AttrKey.String("order-42"),
		couponkitotel.AttrAttempts.Int(1),
		couponkitotel.AttrOutcomeUnknown.Bool(true),
		couponkitotel.AttrFault.String("server"),
	})
	if call.Status().Code != codes.Error || call.Status().Description != err.Error() {
		t.Errorf("call status %+v, want error %q", call.Status(), err)
	}
	wantAttrs(t, a, []attribute.KeyValue{
		couponkitotel.AttrKeyName.String("bizId"),
		couponkitotel.AttrKey.String("order-42"),
		couponkitotel.AttrAttempt.Int(1),
		couponkitotel.AttrAmbiguous.Bool(true),
		couponkitotel.AttrFault.String("server"),
	}, couponkitotel.AttrHTTPStatus, couponkitotel.AttrRequestID, couponkitotel.AttrVendorCode)
	if a.Status().Code != codes.Error {
		t.Errorf("attempt status %+v", a.Status())
	}

	m := h.metrics(t)
	unknown := []attribute.KeyValue{couponkitotel.AttrVendor.String("zvcms"), couponkitotel.AttrOperation.String(writeOp),
		couponkitotel.AttrOutcome.String("unknown"), couponkitotel.AttrFault.String("server")}
	if n := sumPoint(t, m[couponkitotel.MetricCalls], unknown...); n != 1 {
		t.Errorf("unknown calls %d, want 1", n)
	}
	if n := sumPoint(t, m[couponkitotel.MetricAttempts], unknown...); n != 1 {
		t.Errorf("unknown attempts %d, want 1", n)
	}
	if d := histPoint(t, m[couponkitotel.MetricCallDuration], unknown...); d.Count != 1 || d.Sum != 5 {
		t.Errorf("call duration %d, %v", d.Count, d.Sum)
	}
}

// A key the core left empty (a secret one) is not reported.
func TestNoKeyWhenEmpty(t *testing.T) {
	h := newHarness(t)
	info := couponkit.CallInfo{Vendor: "houcaller", Operation: "sendMncardForSale", Class: couponkit.ClassKeyed}
	ctx := h.obs.CallStart(context.Background(), info)
	info.Attempts, info.Err, info.Fault = 1, &couponkit.Error{Vendor: "houcaller", Fault: couponkit.FaultClient, Code: "E1"}, couponkit.FaultClient
	h.obs.CallEnd(ctx, info)
	s := h.spansNamed("houcaller.sendMncardForSale")
	if len(s) != 1 {
		t.Fatalf("%d spans", len(s))
	}
	wantAttrs(t, s[0], []attribute.KeyValue{couponkitotel.AttrFault.String("client"), couponkitotel.AttrOutcomeUnknown.Bool(false)},
		couponkitotel.AttrKey, couponkitotel.AttrKeyName)
	m := h.metrics(t)
	if n := sumPoint(t, m[couponkitotel.MetricCalls], couponkitotel.AttrVendor.String("houcaller"),
		couponkitotel.AttrOperation.String("sendMncardForSale"), couponkitotel.AttrOutcome.String("error"),
		couponkitotel.AttrFault.String("client")); n != 1 {
		t.Errorf("calls %d", n)
	}
}

// Classes and attempt numbers past the prebuilt ones, and many operations,
// are still reported right.
func TestUncachedValues(t *testing.T) {
	h := newHarness(t)
	ctx := h.obs.CallStart(context.Background(), couponkit.CallInfo{Vendor: "ebuy", Operation: "op", Class: couponkit.Class(7)})
	actx := h.obs.AttemptStart(ctx, couponkit.AttemptInfo{Vendor: "ebuy", Operation: "op", Class: couponkit.Class(7), Attempt: 42})
	h.obs.AttemptEnd(actx, couponkit.AttemptInfo{Vendor: "ebuy", Operation: "op", Class: couponkit.Class(7), Attempt: 42,
		Err: errors.New("boom"), Fault: couponkit.Fault(9)})
	h.obs.CallEnd(ctx, couponkit.CallInfo{Vendor: "ebuy", Operation: "op", Class: couponkit.Class(7), Attempts: 42,
		Err: errors.New("boom"), Fault: couponkit.Fault(9)})
	a := h.spansNamed("ebuy.op attempt")
	if len(a) != 1 {
		t.Fatalf("%d attempt spans", len(a))
	}
	wantAttrs(t, a[0], []attribute.KeyValue{couponkitotel.AttrClass.String("class(7)"), couponkitotel.AttrAttempt.Int(42),
		couponkitotel.AttrFault.String("unknown")})
	m := h.metrics(t)
	if n := sumPoint(t, m[couponkitotel.MetricCalls], couponkitotel.AttrVendor.String("ebuy"), couponkitotel.AttrOperation.String("op"),
		couponkitotel.AttrOutcome.String("error"), couponkitotel.AttrFault.String("unknown")); n != 1 {
		t.Errorf("calls %d", n)
	}
}

// Nil providers mean the global ones, which are no-ops by default.
func TestGlobalProviders(t *testing.T) {
	obs, err := couponkitotel.New(couponkitotel.Config{})
	if err != nil {
		t.Fatal(err)
	}
	retriedRead(context.Background(), obs)
	_ = unknownWrite(context.Background(), obs)
}

// The observer is safe for concurrent use (run with -race).
func TestConcurrent(t *testing.T) {
	h := newHarness(t)
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 50 {
				retriedRead(context.Background(), h.obs)
				_ = unknownWrite(context.Background(), h.obs)
			}
		}()
	}
	for range 8 {
		<-done
	}
	m := h.metrics(t)
	if n := sumPoint(t, m[couponkitotel.MetricCalls], couponkitotel.AttrVendor.String("taobaofilm"),
		couponkitotel.AttrOperation.String(exportOp), couponkitotel.AttrOutcome.String("ok")); n != 400 {
		t.Errorf("calls %d, want 400", n)
	}
	if n := len(h.spans.Ended()); n != 8*50*5 {
		t.Errorf("%d spans, want %d", n, 8*50*5)
	}
}
