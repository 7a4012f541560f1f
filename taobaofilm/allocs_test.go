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
	"op=ExportPage/codes=10":   110,  // 104 (107 under -race)
	"op=ExportPage/codes=100":  205,  // 197 (203)
	"op=ExportPage/codes=1000": 1110, // 1100 (1105)
	"op=SendCodes":             92,   // 85 (90)
	"op=Call/class=read":       90,   // 82 (87)
	"op=Call/class=write":      92,   // 85 (91)
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
