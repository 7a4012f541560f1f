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
	"create": {benchkit.Fixed: 84, benchkit.Chunked: 85, benchkit.Gzip: 88},
	"query":  {benchkit.Fixed: 95, benchkit.Chunked: 96, benchkit.Gzip: 99},
}

// byteBudget is the most bytes one typed call may allocate on an in-memory
// transport with a fixed-length answer: a little above the figure measured
// when it was set (12.9 KB for Create, whose request body is about 2.4 KB;
// 9.7 KB for Query). A request body copied on its way out again would
// exceed it.
var byteBudget = map[string]uint64{"create": 14_000, "query": 10_800}

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
			sdk, hand, bare := benchSides(t, op, benchkit.NewRoundTripper(answer, enc), benchkit.MemoryURL+suningtest.GatewayPath, a)
			name := op + " " + enc.String()
			t.Logf("%s: bare resty %.0f allocations", name, benchkit.Allocs(t, 100, bare))
			benchkit.Budget(t, name, benchkit.Allocs(t, 100, sdk), benchkit.Allocs(t, 100, hand), allocBudget[op][enc])
			if enc == benchkit.Fixed {
				n := benchkit.Bytes(t, 100, sdk)
				t.Logf("%s: sdk %d bytes", name, n)
				if n > byteBudget[op] {
					t.Errorf("%s: %d bytes allocated, over the budget of %d", op, n, byteBudget[op])
				}
			}
		}
	}
}
