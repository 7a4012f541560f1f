package taobaofilm_test

import (
	"testing"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/token"
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

// A session from a TokenSource costs a call at most 3 allocations over the
// same call with Config.Session: the request's session (its value and the
// one array of its raw and form spellings) and the attempt's secrets with
// the session among them. The signed string and the form are still built
// once per call. Exact without -race; the detector's dropped pool items
// get benchkit.RaceSlack.
func TestSessionSlotAllocations(t *testing.T) {
	const session = "6201a0b1c2d3e4f5a6b7c8d9e0f1a2b3+/=c4d5e6f7a8b9c0d1e2f3a4b5c6"
	bc := callCase("write")
	allocs := func(cfg taobaofilm.Config) float64 {
		cfg.Gateway, cfg.AppKey, cfg.AppSecret = benchURL, benchAppKey, benchSecret
		c, err := taobaofilm.NewClient(cfg, couponkit.WithTransport(benchkit.NewRoundTripper(bc.answer, benchkit.Fixed)))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return benchkit.Allocs(t, 20, bc.sdk(c))
	}
	fixed := allocs(taobaofilm.Config{Session: session})
	slot := allocs(taobaofilm.Config{TokenSource: token.Static(session)})
	t.Logf("Config.Session %v, TokenSource %v allocations", fixed, slot)
	slack := 0.0
	if benchkit.RaceEnabled {
		slack = benchkit.RaceSlack
	}
	if slot > fixed+3+slack {
		t.Errorf("a call with a TokenSource allocates %v, with Config.Session %v: more than 3 more", slot, fixed)
	}
}
