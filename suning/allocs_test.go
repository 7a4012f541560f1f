package suning_test

import (
	"testing"

	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// allocBudget is the most allocations one typed call may make on an
// in-memory transport, per operation and framing. Each sits a little above
// the figure measured when it was set (with and without -race), so a
// regression fails here; lower them when the client gets cheaper.
var allocBudget = map[string]map[benchkit.Encoding]float64{
	"create": {benchkit.Fixed: 90, benchkit.Chunked: 91, benchkit.Gzip: 94},
	"query":  {benchkit.Fixed: 97, benchkit.Chunked: 98, benchkit.Gzip: 101},
}

// TestAllocations holds each typed call to its allocation budget, and to at
// most the hand-written net/http call's allocations plus 10. It must not run
// in parallel: testing.AllocsPerRun counts the whole process.
func TestAllocations(t *testing.T) {
	a := captureAnswers(t)
	for _, op := range []string{"create", "query"} {
		answer := a.create
		if op == "query" {
			answer = a.query
		}
		for _, enc := range benchkit.Encodings {
			sdk, hand, bare := benchSides(t, op, benchkit.NewRoundTripper(answer, enc), "http://bench.invalid"+suningtest.Path, a)
			run := func(f func() error) float64 {
				return testing.AllocsPerRun(100, func() {
					if err := f(); err != nil {
						t.Fatal(err)
					}
				})
			}
			s, h, r := run(sdk), run(hand), run(bare)
			t.Logf("%s %s: sdk %.0f, hand-written %.0f, bare resty %.0f allocations", op, enc, s, h, r)
			if budget := allocBudget[op][enc]; s > budget {
				t.Errorf("%s %s: %.0f allocations, over the budget of %.0f", op, enc, s, budget)
			}
			if s > h+10 {
				t.Errorf("%s %s: %.0f allocations, more than the hand-written call's %.0f + 10", op, enc, s, h)
			}
		}
	}
}
