package houcaller_test

import (
	"testing"

	"github.com/couponkit/couponkit/internal/benchkit"
)

// saleAllocBudget is the most allocations one sale may make on an in-memory
// transport, per answer shape and framing. Each sits a little above the
// figure measured when it was set (with and without -race), so a regression
// fails here; lower them when the client gets cheaper.
var saleAllocBudget = map[string]map[benchkit.Encoding]float64{
	"list": {benchkit.Fixed: 65, benchkit.Chunked: 66, benchkit.Gzip: 69}, // 63, 64, 67 when set
	"card": {benchkit.Fixed: 84, benchkit.Chunked: 85, benchkit.Gzip: 88}, // 82, 83, 86 when set
}

// allocsOf is the mean allocations of one call of f.
func allocsOf(t *testing.T, f func() error) float64 {
	t.Helper()
	return testing.AllocsPerRun(100, func() {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSellCardAllocations holds a sale to its allocation budget, and to at
// most the hand-written net/http sale's allocations plus 10. It must not run
// in parallel: testing.AllocsPerRun counts the whole process.
func TestSellCardAllocations(t *testing.T) {
	answers := saleAnswers(t)
	for _, data := range []string{"list", "card"} {
		for _, enc := range benchkit.Encodings {
			sdk, hand, bare := saleSides(t, benchkit.NewRoundTripper(answers[data], enc), "http://bench.invalid", data == "card")
			s, h, r := allocsOf(t, sdk), allocsOf(t, hand), allocsOf(t, bare)
			t.Logf("data=%s %s: sdk %.0f, hand-written %.0f, bare resty %.0f allocations", data, enc, s, h, r)
			if budget := saleAllocBudget[data][enc]; s > budget {
				t.Errorf("data=%s %s: %.0f allocations, over the budget of %.0f", data, enc, s, budget)
			}
			if s > h+10 {
				t.Errorf("data=%s %s: %.0f allocations, more than the hand-written call's %.0f + 10", data, enc, s, h)
			}
		}
	}
}

// TestMemberCouponsAllocations holds the listing of a member's coupons to the
// hand-written call's allocations plus 10, for every list size and framing,
// and the 10-coupon list to its budget. Not parallel (AllocsPerRun).
func TestMemberCouponsAllocations(t *testing.T) {
	answers := couponAnswers(t)
	for _, n := range couponSizes {
		for _, enc := range benchkit.Encodings {
			sdk, hand, _ := couponSides(t, benchkit.NewRoundTripper(answers[n], enc), "http://bench.invalid", n)
			s, h := allocsOf(t, sdk), allocsOf(t, hand)
			t.Logf("coupons=%d %s: sdk %.0f, hand-written %.0f allocations", n, enc, s, h)
			if budget, ok := couponAllocBudget[enc]; ok && n == 10 && s > budget {
				t.Errorf("coupons=%d %s: %.0f allocations, over the budget of %.0f", n, enc, s, budget)
			}
			if s > h+10 {
				t.Errorf("coupons=%d %s: %.0f allocations, more than the hand-written call's %.0f + 10", n, enc, s, h)
			}
		}
	}
}

// couponAllocBudget is the most allocations a listing of 10 coupons may make,
// per framing, a little above the figure measured when it was set.
var couponAllocBudget = map[benchkit.Encoding]float64{benchkit.Fixed: 120, benchkit.Chunked: 121, benchkit.Gzip: 124} // 118, 119, 122 when set
