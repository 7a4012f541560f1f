package couponkitotel_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/couponkit/couponkit"
	couponkitotel "github.com/couponkit/couponkit/otel"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// spanSeer is a RoundTripper that notes the span in each request's context.
type spanSeer struct {
	mu    sync.Mutex
	spans []trace.SpanContext
	next  http.RoundTripper
}

func (s *spanSeer) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.spans = append(s.spans, trace.SpanContextFromContext(r.Context()))
	s.mu.Unlock()
	return s.next.RoundTrip(r)
}

func (s *spanSeer) seen() []trace.SpanContext {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]trace.SpanContext(nil), s.spans...)
}

// TestZvcmsEndToEnd drives a real zvcms client against its fake: a read
// retried after a 503, a redemption refused by the vendor, and a redemption
// whose answer is lost.
func TestZvcmsEndToEnd(t *testing.T) {
	h := newHarness(t)
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	used := srv.AddCoupon(zvcms.Coupon{UseStatus: zvcms.UseStatusRedeemed})
	fresh := srv.AddCoupon(zvcms.Coupon{})

	seer := &spanSeer{next: http.DefaultTransport.(*http.Transport).Clone()}
	c, err := zvcms.NewClient(srv.ClientConfig(), couponkit.WithObserver(h.obs), couponkit.WithTransport(seer),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	// A read: the first attempt gets a 503, the second succeeds.
	srv.FailNextHTTP(http.StatusServiceUnavailable, "service unavailable")
	if _, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID}); err != nil {
		t.Fatal(err)
	}
	calls := h.spansNamed("zvcms.getCustomerCoupons")
	attempts := h.spansNamed("zvcms.getCustomerCoupons attempt")
	if len(calls) != 1 || len(attempts) != 2 {
		t.Fatalf("got %d call spans and %d attempt spans, want 1 and 2", len(calls), len(attempts))
	}
	wantAttrs(t, calls[0], []attribute.KeyValue{
		couponkitotel.AttrVendor.String("zvcms"),
		couponkitotel.AttrOperation.String("getCustomerCoupons"),
		couponkitotel.AttrClass.String("read"),
		couponkitotel.AttrAttempts.Int(2),
		couponkitotel.AttrOutcomeUnknown.Bool(false),
	}, couponkitotel.AttrFault)
	wantAttrs(t, attempts[0], []attribute.KeyValue{
		couponkitotel.AttrAttempt.Int(1),
		couponkitotel.AttrHTTPStatus.Int(503),
		couponkitotel.AttrFault.String("server"),
	})
	wantAttrs(t, attempts[1], []attribute.KeyValue{
		couponkitotel.AttrAttempt.Int(2),
		couponkitotel.AttrHTTPStatus.Int(200),
		couponkitotel.AttrAmbiguous.Bool(false),
	}, couponkitotel.AttrFault)
	if attempts[0].Status().Code != codes.Error || attempts[1].Status().Code != codes.Unset || calls[0].Status().Code != codes.Unset {
		t.Errorf("statuses: attempts %v, %v; call %v", attempts[0].Status(), attempts[1].Status(), calls[0].Status())
	}
	// Each attempt's HTTP request carried that attempt's span.
	seen := seer.seen()
	if len(seen) != 2 {
		t.Fatalf("%d requests, want 2", len(seen))
	}
	for i, a := range attempts {
		if a.Parent().SpanID() != calls[0].SpanContext().SpanID() {
			t.Errorf("attempt %d is not a child of the call span", i+1)
		}
		if seen[i].SpanID() != a.SpanContext().SpanID() {
			t.Errorf("request %d was sent under span %s, want the attempt's %s", i+1, seen[i].SpanID(), a.SpanContext().SpanID())
		}
	}

	// A refusal: a definite vendor answer, not retried.
	_, err = c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "order-1", Channel: zvcmstest.DefaultChannel,
		CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{used.CardID}})
	var ce *couponkit.Error
	if !errors.As(err, &ce) || ce.Fault != couponkit.FaultClient {
		t.Fatalf("refusal: %v", err)
	}
	refused := h.spansNamed("zvcms.writeOffCoupon")
	if len(refused) != 1 {
		t.Fatalf("%d writeOffCoupon spans", len(refused))
	}
	wantAttrs(t, refused[0], []attribute.KeyValue{
		couponkitotel.AttrClass.String("keyed"),
		couponkitotel.AttrFault.String("client"),
		couponkitotel.AttrOutcomeUnknown.Bool(false),
		couponkitotel.AttrAttempts.Int(1),
	})
	if st := refused[0].Status(); st.Code != codes.Error || st.Description != err.Error() {
		t.Errorf("refusal status %+v, want %q", st, err)
	}
	ra := h.spansNamed("zvcms.writeOffCoupon attempt")
	if len(ra) != 1 {
		t.Fatalf("%d refused attempt spans, want 1", len(ra))
	}
	wantAttrs(t, ra[0], []attribute.KeyValue{
		couponkitotel.AttrVendorCode.String(ce.Code),
		couponkitotel.AttrFault.String("client"),
		couponkitotel.AttrAmbiguous.Bool(false),
	})

	// A redemption whose answer is lost after the vendor applied it, twice:
	// the outcome is unknown.
	srv.DropNextAfterWrite()
	srv.DropNextAfterWrite()
	_, err = c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "order-2", Channel: zvcmstest.DefaultChannel,
		CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{fresh.CardID}})
	if !errors.Is(err, couponkit.ErrUnknownOutcome) {
		t.Fatalf("lost answer: %v", err)
	}
	lost := h.spansNamed("zvcms.writeOffCoupon")
	if len(lost) != 2 {
		t.Fatalf("%d writeOffCoupon spans, want 2", len(lost))
	}
	wantAttrs(t, lost[1], []attribute.KeyValue{
		couponkitotel.AttrKeyName.String("bizId"),
		couponkitotel.AttrKey.String("order-2"),
		couponkitotel.AttrOutcomeUnknown.Bool(true),
		couponkitotel.AttrFault.String("server"),
		couponkitotel.AttrAttempts.Int(2),
	})
	la := h.spansNamed("zvcms.writeOffCoupon attempt")[1:]
	if len(la) != 2 {
		t.Fatalf("%d lost attempt spans, want 2", len(la))
	}
	for _, a := range la {
		wantAttrs(t, a, []attribute.KeyValue{couponkitotel.AttrAmbiguous.Bool(true), couponkitotel.AttrKey.String("order-2")},
			couponkitotel.AttrHTTPStatus)
	}

	m := h.metrics(t)
	v := couponkitotel.AttrVendor.String("zvcms")
	read, write := couponkitotel.AttrOperation.String("getCustomerCoupons"), couponkitotel.AttrOperation.String("writeOffCoupon")
	ok := couponkitotel.AttrOutcome.String("ok")
	for _, tc := range []struct {
		metric string
		attrs  []attribute.KeyValue
		want   int64
	}{
		{couponkitotel.MetricCalls, []attribute.KeyValue{v, read, ok}, 1},
		{couponkitotel.MetricAttempts, []attribute.KeyValue{v, read, ok}, 1},
		{couponkitotel.MetricAttempts, []attribute.KeyValue{v, read, couponkitotel.AttrOutcome.String("error"), couponkitotel.AttrFault.String("server")}, 1},
		{couponkitotel.MetricCalls, []attribute.KeyValue{v, write, couponkitotel.AttrOutcome.String("error"), couponkitotel.AttrFault.String("client")}, 1},
		{couponkitotel.MetricCalls, []attribute.KeyValue{v, write, couponkitotel.AttrOutcome.String("unknown"), couponkitotel.AttrFault.String("server")}, 1},
		{couponkitotel.MetricAttempts, []attribute.KeyValue{v, write, couponkitotel.AttrOutcome.String("unknown"), couponkitotel.AttrFault.String("server")}, 2},
	} {
		if n := sumPoint(t, m[tc.metric], tc.attrs...); n != tc.want {
			t.Errorf("%s %v = %d, want %d", tc.metric, tc.attrs, n, tc.want)
		}
	}
	if d := histPoint(t, m[couponkitotel.MetricCallDuration], v, read, ok); d.Count != 1 || d.Sum <= 0 {
		t.Errorf("read call duration: count %d sum %v", d.Count, d.Sum)
	}
}
