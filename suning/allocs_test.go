package suning_test

import (
	"runtime"
	"testing"

	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// allocBudget is the most allocations one typed call may make on an
// in-memory transport, per operation and framing. Each sits a little above
// the figure measured when it was set (with and without -race), so a
// regression fails here; lower them when the client gets cheaper.
var allocBudget = map[string]map[benchkit.Encoding]float64{
	"create": {benchkit.Fixed: 84, benchkit.Chunked: 85, benchkit.Gzip: 88},
	"query":  {benchkit.Fixed: 95, benchkit.Chunked: 96, benchkit.Gzip: 99},
}

// byteBudget is the most bytes one typed call may allocate on an in-memory
// transport with a fixed-length answer: a little above the figure measured
// when it was set (12.9 KB for Create, whose request body is about 2.4 KB;
// 9.7 KB for Query). A request body copied on its way out again would
// exceed it.
var byteBudget = map[string]uint64{"create": 14_000, "query": 10_800}

// bytesPerRun is testing.AllocsPerRun for bytes.
func bytesPerRun(runs int, f func()) uint64 {
	f() // warm up, as AllocsPerRun does
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
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
			sdk, hand, bare := benchSides(t, op, benchkit.NewRoundTripper(answer, enc), "http://bench.invalid"+suningtest.GatewayPath, a)
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
			if enc == benchkit.Fixed {
				n := bytesPerRun(100, func() {
					if err := sdk(); err != nil {
						t.Fatal(err)
					}
				})
				t.Logf("%s %s: sdk %d bytes", op, enc, n)
				if n > byteBudget[op] {
					t.Errorf("%s: %d bytes allocated, over the budget of %d", op, n, byteBudget[op])
				}
			}
			if s > h+10 {
				t.Errorf("%s %s: %.0f allocations, more than the hand-written call's %.0f + 10", op, enc, s, h)
			}
		}
	}
}
