package taobaofilm_test

import (
	"testing"

	"github.com/couponkit/couponkit/internal/benchkit"
)

// allocBudget is the most allocations one call of each benchmark case may
// make over an in-memory transport with a fixed-length answer. Each sits a
// little above the figure measured when it was written (with and without
// -race), so a regression fails here; lower them when a call gets cheaper.
var allocBudget = map[string]float64{
	"op=ExportPage/codes=10":   108,  // 103 (108 under -race)
	"op=ExportPage/codes=100":  202,  // 196 (201)
	"op=ExportPage/codes=1000": 1105, // 1099 (1105)
	"op=SendCodes":             84,   // 79 (84)
	"op=Call/class=read":       85,   // 80 (84)
	"op=Call/class=write":      88,   // 83 (88)
}

// TestAllocations holds every call of the benchmarks to its budget and to at
// most the hand-written call's allocations + 10. No t.Parallel:
// AllocsPerRun forbids it.
func TestAllocations(t *testing.T) {
	for _, bc := range benchCases(t) {
		c, hand, _ := benchClient(t, benchkit.NewRoundTripper(bc.answer, benchkit.Fixed), benchURL)
		budget, ok := allocBudget[bc.name]
		if !ok {
			t.Fatalf("no budget for %s", bc.name)
		}
		benchkit.Budget(t, bc.name, benchkit.Allocs(t, 20, bc.sdk(c)), benchkit.Allocs(t, 20, bc.hand(hand)), budget)
	}
}
