package transport

import (
	"context"
	"testing"

	"github.com/couponkit/couponkit"

	"github.com/couponkit/couponkit/internal/benchkit"
)

// pipelineAllocBudget is the most allocations one read through the pipeline
// may make on an in-memory transport with a 1 KiB answer, per framing. Each
// sits a little above the measured figure (40, 41, 44 when written), so a
// regression fails here; lower them when the pipeline gets cheaper.
var pipelineAllocBudget = map[benchkit.Encoding]float64{benchkit.Fixed: 42, benchkit.Chunked: 43, benchkit.Gzip: 46}

func TestPipelineAllocations(t *testing.T) {
	answer := answerOf(1 << 10)
	for _, enc := range benchkit.Encodings {
		sdk, hand, bare := sides(t, benchkit.NewRoundTripper(answer, enc), "http://bench.invalid/op", answer)
		run := func(f func() error) float64 {
			return testing.AllocsPerRun(200, func() {
				if err := f(); err != nil {
					t.Fatal(err)
				}
			})
		}
		s, h, r := run(sdk), run(hand), run(bare)
		t.Logf("%s: sdk %.0f, hand-written %.0f, bare resty %.0f allocations", enc, s, h, r)
		if s > pipelineAllocBudget[enc] {
			t.Errorf("%s: the pipeline made %.0f allocations, over its budget of %.0f", enc, s, pipelineAllocBudget[enc])
		}
		if s > h+10 {
			t.Errorf("%s: the pipeline made %.0f allocations, more than the hand-written call's %.0f + 10", enc, s, h)
		}
		if s > r {
			t.Errorf("%s: the pipeline made %.0f allocations, more than bare resty's %.0f", enc, s, r)
		}
	}
}

// TestInvokeAllocations: a call through an Endpoint costs at most one
// allocation more than the same call through Do (the invocation that holds
// the call and what its attempts are built from).
func TestInvokeAllocations(t *testing.T) {
	answer := []byte(`{"ok":true,"data":{}}`)
	c := New("bench", couponkit.ResolveOptions(couponkit.WithTransport(benchkit.NewRoundTripper(answer, benchkit.Fixed))))
	defer c.Close()
	ep := jsonEndpoint(c, "http://bench.invalid")
	body := []byte(`{"Key":"K","Body":"x"}`)
	call := &Call{Operation: "query", URL: "http://bench.invalid/query", Class: Safe,
		Build: func(int) (Payload, error) { return Payload{Body: body, ContentType: "application/json"}, nil },
		Check: func(r *Response) error { _, err := ep.Open(opRead, "", "x", r); return err }}
	ctx := context.Background()
	viaDo := testing.AllocsPerRun(200, func() {
		if _, err := c.Do(ctx, call); err != nil {
			t.Fatal(err)
		}
	})
	viaInvoke := testing.AllocsPerRun(200, func() {
		if _, err := ep.Invoke(ctx, opRead, "", "x", nil); err != nil {
			t.Fatal(err)
		}
	})
	frame := testing.AllocsPerRun(200, func() { _, _ = ep.Frame(opRead, 1, "", "x") })
	t.Logf("Do %.0f, Invoke %.0f allocations, of which Frame %.0f", viaDo, viaInvoke, frame)
	if viaInvoke > viaDo+frame+1 {
		t.Errorf("Invoke made %.0f allocations, more than Do's %.0f + its Frame's %.0f + 1", viaInvoke, viaDo, frame)
	}
}
