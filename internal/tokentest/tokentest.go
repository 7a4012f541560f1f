// Package tokentest is what the token tests of the vendor packages that
// act for an authorized user (taobaofilm, suning) share: a token.Refreshing
// source over a fake's token, the two clocks of a refresh test, and a
// refresh under load.
package tokentest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/leakcheck"
	"github.com/couponkit/couponkit/token"
)

// Refreshing returns a token.Refreshing source on clock whose MemoryStore
// holds first (a token the fake issued), refreshed with refresh (another
// client's Refresher), and the store.
func Refreshing(t testing.TB, first *oauth2.Token, refresh token.RefreshFunc, clock couponkit.Clock) (*token.Refreshing, *token.MemoryStore) {
	t.Helper()
	store := &token.MemoryStore{}
	require.NoError(t, store.Save(context.Background(), first))
	src, err := token.NewRefreshing(token.Config{Store: store, Refresh: refresh, Clock: clock})
	require.NoError(t, err)
	return src, store
}

// EachClock runs test as two subtests, each checked for goroutines left
// running: "shared clock", with the client on the fake's clock (it
// refreshes ahead, and the calls in flight are refused and sent again), and
// "only the fake's clock moves", with the client's clock standing still
// (only the fake knows the token expired: every call is refused and renews
// it). Both clocks start at start.
func EachClock(t *testing.T, start time.Time, test func(t *testing.T, fakeClock, clientClock *couponkittest.Clock)) {
	for _, shared := range []bool{true, false} {
		name := map[bool]string{true: "shared clock", false: "only the fake's clock moves"}[shared]
		t.Run(name, func(t *testing.T) {
			leakcheck.Check(t)
			fakeClock := couponkittest.NewClock(start)
			clientClock := fakeClock
			if !shared {
				clientClock = couponkittest.NewClock(start)
			}
			test(t, fakeClock, clientClock)
		})
	}
}

// Load is a token refresh under load: Rounds rounds of Workers goroutines
// making Each calls each.
type Load struct {
	Rounds, Workers, Each int
}

// Calls is how many calls Run makes.
func (l Load) Calls() int { return l.Rounds * l.Workers * l.Each }

// Run makes the calls with call. In each round, once a third of the
// round's calls have reached fake, expire runs (it moves the fake's clock
// past the token's expiry), so that the token expires mid-round; the round
// ends when its calls have, so that a straggler of one expiry does not meet
// the next (real lifetimes of hours keep them apart too). Every call must
// succeed.
func (l Load) Run(t testing.TB, ctx context.Context, fake couponkittest.Fake, call func(context.Context) error, expire func()) {
	t.Helper()
	errs := make(chan error, l.Calls())
	for range l.Rounds {
		start := fake.RequestCount()
		var wg sync.WaitGroup
		for range l.Workers {
			wg.Go(func() {
				for range l.Each {
					errs <- call(ctx)
				}
			})
		}
		require.NoError(t, fake.WaitRequests(ctx, start+l.Workers*l.Each/3))
		expire()
		wg.Wait()
	}
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
