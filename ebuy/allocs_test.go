package ebuy_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/internal/testclock"
)

// allocBudget is the most allocations one typed call may make over an
// in-memory transport with a fixed-length answer, per benchmark case. Each
// sits a little above the figure measured when it was written (with and
// without -race), so a regression fails here; lower them when a call gets
// cheaper.
var allocBudget = map[string]float64{
	"op=DeactivateCodes/codes=2":     105,
	"op=DeactivateCodes/codes=200":   1720,
	"op=ActivateCodes/codes=2":       80,
	"op=ActivateCodes/codes=200":     82,
	"op=ActivateCodes/codes=10000":   82,
	"op=UpdateCodeStatus/codes=20":   220,
	"op=UpdateCodeStatus/codes=1000": 10600,
	"op=CodeHistory/records=3":       110,
	"op=CodeHistory/records=300":     2520,
	"op=ProductDetail":               80,
	"op=ThirdBatchMake/codes=20":     180,
	"op=MakeCodes/codes=20":          162,
	"op=CancelRedemption":            80,
	"op=SyncRedemptions":             88,
	"op=CancelSyncedRedemptions":     100,
	"op=VoidMerchantRedemption":      80,
}

// TestAllocations holds every typed call of the benchmarks to its budget and
// to at most the hand-written call's allocations + 10. No t.Parallel:
// AllocsPerRun forbids it.
func TestAllocations(t *testing.T) {
	for _, bc := range benchCases() {
		c, hand, _ := benchSides(t, benchkit.NewRoundTripper(bc.answer, benchkit.Fixed), "http://bench.invalid")
		sdk, hw := bc.sdk(c), bc.hand(hand)
		run := func(f func() error) float64 {
			return testing.AllocsPerRun(20, func() {
				if err := f(); err != nil {
					t.Fatal(err)
				}
			})
		}
		s, h := run(sdk), run(hw)
		budget, ok := allocBudget[bc.name]
		require.True(t, ok, "no budget for %s", bc.name)
		benchkit.Budget(t, bc.name, s, h, budget)
	}
}

// recorder answers every request with answer and keeps the bodies sent.
type recorder struct {
	mu     sync.Mutex
	answer []byte
	bodies []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.bodies = append(r.bodies, string(b))
	r.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(r.answer)), ContentLength: int64(len(r.answer)), Request: req}, nil
}

// TestHandwrittenSendsTheSDKRequest checks that the benchmarks compare like
// with like: on the same clock and uuid, the hand-written call sends the
// very bytes the SDK sends (signature included), and accepts the same
// canned answer.
func TestHandwrittenSendsTheSDKRequest(t *testing.T) {
	for _, bc := range benchCases() {
		sdkRec, handRec := &recorder{answer: bc.answer}, &recorder{answer: bc.answer}
		c, err := ebuy.NewClient(ebuy.Config{Gateway: "http://bench.invalid", AppID: vecApp, AppSecret: vecKey, BrandID: benchBrand, NewKey: vecKeyFunc},
			couponkit.WithTransport(sdkRec), couponkit.WithClock(testclock.New(vecTime)))
		require.NoError(t, err)
		hand := newHWClient(&http.Client{Transport: handRec}, "http://bench.invalid")
		hand.now = func() time.Time { return vecTime }
		require.NoError(t, bc.sdk(c)(), bc.name)
		require.NoError(t, bc.hand(hand)(), bc.name)
		require.NotEmpty(t, sdkRec.bodies, bc.name)
		require.ElementsMatch(t, handRec.bodies, sdkRec.bodies, bc.name)
		require.True(t, strings.Contains(sdkRec.bodies[0], `"sign":"`), bc.name)
		_ = c.Close()
	}
}
