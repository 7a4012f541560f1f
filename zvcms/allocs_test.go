package zvcms_test

import (
	"testing"

	"github.com/couponkit/couponkit/internal/benchkit"
)

// allocBudget is the most allocations one call of each benchmark case may
// make over an in-memory transport with a fixed-length answer. Each sits a
// little above the figure measured when it was written (with and without
// -race), so a regression fails here; lower them when a call gets cheaper.
//
// The typed calls (encoding/json into wire structs) allocate more than the
// hand decoder and encoder they replaced did: every text field of a coupon
// is its own string (five a coupon, where the hand decoder made one and
// shared the customer's and channel's with the coupon before), and the
// params and answer go through encoding/json. The hand-written call
// (encoding/json into plain structs) makes twice as many for a list.
var allocBudget = map[string]float64{
	"op=GetCustomerCoupons/coupons=1":   76,   // 72 (74 under -race); 64 (65) with the hand decoder
	"op=GetCustomerCoupons/coupons=20":  178,  // 172 (173); 84 (86) with the hand decoder
	"op=GetCustomerCoupons/coupons=200": 1085, // 1075 (1078); 264 (266) with the hand decoder
	"op=WriteOffCoupon":                 76,   // 73 (78); 68 (70) with the hand encoder and decoder
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
