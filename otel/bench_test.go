package couponkitotel_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/couponkit/couponkit"
	couponkitotel "github.com/couponkit/couponkit/otel"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// discardProcessor is a span processor that drops every span, standing for
// an exporter that costs nothing.
type discardProcessor struct{}

func (discardProcessor) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (discardProcessor) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (discardProcessor) Shutdown(context.Context) error                  { return nil }
func (discardProcessor) ForceFlush(context.Context) error                { return nil }

// emptyObserver does nothing: the floor of calling the hooks at all.
type emptyObserver struct{}

func (emptyObserver) CallStart(ctx context.Context, _ couponkit.CallInfo) context.Context { return ctx }
func (emptyObserver) AttemptStart(ctx context.Context, _ couponkit.AttemptInfo) context.Context {
	return ctx
}
func (emptyObserver) AttemptEnd(context.Context, couponkit.AttemptInfo) {}
func (emptyObserver) CallEnd(context.Context, couponkit.CallInfo)       {}

// observers are the set-ups the benchmarks compare; nil means no observer.
func observers(b *testing.B) []struct {
	name string
	obs  couponkit.Observer
} {
	b.Helper()
	mk := func(cfg couponkitotel.Config) couponkit.Observer {
		o, err := couponkitotel.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		return o
	}
	sdkMeter := func() *sdkmetric.MeterProvider {
		return sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	}
	return []struct {
		name string
		obs  couponkit.Observer
	}{
		{"none", nil},
		// OpenTelemetry's no-op providers: the cost of this package alone.
		{"otel-noop", mk(couponkitotel.Config{TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider()})},
		// The SDK, metrics on, spans not sampled.
		{"sdk-unsampled", mk(couponkitotel.Config{
			TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()), sdktrace.WithSpanProcessor(discardProcessor{})),
			MeterProvider:  sdkMeter()})},
		// The SDK, every span recorded and handed to a processor that drops it.
		{"sdk-sampled", mk(couponkitotel.Config{
			TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()), sdktrace.WithSpanProcessor(discardProcessor{})),
			MeterProvider:  sdkMeter()})},
	}
}

// BenchmarkHooks measures the hooks of one logical call with two attempts (a
// 503 then a success), as the pipeline calls them, without any network.
func BenchmarkHooks(b *testing.B) {
	ctx := context.Background()
	failure := &couponkit.Error{Vendor: "zvcms", Operation: "getCustomerCoupons", HTTPStatus: 503, Fault: couponkit.FaultServer}
	for _, o := range observers(b) {
		obs := o.obs
		if obs == nil {
			obs = emptyObserver{}
			o.name = "empty"
		}
		b.Run(o.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				now := time.Now()
				call := couponkit.CallInfo{Vendor: "zvcms", Operation: "getCustomerCoupons", Class: couponkit.ClassRead, Start: now}
				cctx := obs.CallStart(ctx, call)
				a := couponkit.AttemptInfo{Vendor: "zvcms", Operation: "getCustomerCoupons", Class: couponkit.ClassRead, Attempt: 1, Start: now}
				actx := obs.AttemptStart(cctx, a)
				a.HTTPStatus, a.Latency, a.Err, a.Fault = 503, time.Millisecond, failure, couponkit.FaultServer
				obs.AttemptEnd(actx, a)
				a = couponkit.AttemptInfo{Vendor: "zvcms", Operation: "getCustomerCoupons", Class: couponkit.ClassRead, Attempt: 2, Start: now}
				actx = obs.AttemptStart(cctx, a)
				a.HTTPStatus, a.Latency, a.RequestID = 200, time.Millisecond, "req-1"
				obs.AttemptEnd(actx, a)
				call.Attempts, call.Duration = 2, 3*time.Millisecond
				obs.CallEnd(cctx, call)
			}
		})
	}
}

// BenchmarkZvcmsCall measures a whole typed call (sign, send over loopback,
// decode) to the zvcms fake with each observer set-up, for the hooks' share of
// a real call.
func BenchmarkZvcmsCall(b *testing.B) {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddCoupon(zvcms.Coupon{})
	ctx := context.Background()
	req := &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID}
	var nonce atomic.Int64
	for _, o := range observers(b) {
		b.Run(o.name, func(b *testing.B) {
			var opts []couponkit.Option
			if o.obs != nil {
				opts = append(opts, couponkit.WithObserver(o.obs))
			}
			cfg := srv.ClientConfig()
			// A counter: random 31-bit nonces repeat within the fake's
			// memory after some tens of thousands of calls.
			cfg.NonceFunc = func() string { return strconv.FormatInt(nonce.Add(1), 10) }
			c, err := zvcms.NewClient(cfg, opts...)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetCustomerCoupons(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
