package zvcms_test

import (
	"testing"

	"github.com/couponkit/couponkit/internal/benchkit"
)

// allocBudget is the most allocations one call of each benchmark case may
// make over an in-memory transport with a fixed-length answer. Each sits a
// little above the figure measured when it was written (with and without
// -race), so a regression fails here; lower them when a call gets cheaper.
var allocBudget = map[string]float64{
	"op=GetCustomerCoupons/coupons=1":   70,  // 64 (65 under -race); 91 with encoding/json decoding
	"op=GetCustomerCoupons/coupons=20":  92,  // 84 (86); 343 before
	"op=GetCustomerCoupons/coupons=200": 275, // 264 (266); 2686 before
	"op=WriteOffCoupon":                 75,  // 68 (70) reading the vendor's bizId and cardIdList; 65 (66) without; 73 before
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
