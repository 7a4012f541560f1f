package couponkitotel_test

import (
	"context"
	"log"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/couponkit/couponkit"
	couponkitotel "github.com/couponkit/couponkit/otel"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// Example reports a zvcms client's calls to OpenTelemetry. Each call becomes
// a span named after the operation ("zvcms.getCustomerCoupons") with a child
// span per attempt, and is counted in couponkit.calls and timed in
// couponkit.call.duration.
func Example() {
	ctx := context.Background()
	// Your providers, with your exporter and reader (OTLP, Prometheus, …).
	// A zero Config uses the global ones set with otel.SetTracerProvider and
	// otel.SetMeterProvider.
	tp := sdktrace.NewTracerProvider()
	defer func() { _ = tp.Shutdown(ctx) }()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer func() { _ = mp.Shutdown(ctx) }()

	obs, err := couponkitotel.New(couponkitotel.Config{TracerProvider: tp, MeterProvider: mp})
	if err != nil {
		log.Fatal(err)
	}

	srv := zvcmstest.NewServer(zvcmstest.Config{}) // the vendor's fake; use your gateway's Config
	defer srv.Close()
	// One Observer serves any number of clients, of any vendor.
	c, err := zvcms.NewClient(srv.ClientConfig(), couponkit.WithObserver(obs))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// The call's span is a child of whatever span ctx carries.
	if _, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID}); err != nil {
		log.Print(err)
	}
}
