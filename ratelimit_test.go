package couponkit_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
)

// simClock is a couponkit.Clock for many goroutines: Sleep blocks until the
// time reaches its end, and the time moves only through Advance, which the
// test calls once every goroutine it runs is asleep (see WaitAsleep). Grants
// can then be counted exactly, with no dependence on the machine's speed.
type simClock struct {
	mu      sync.Mutex
	cond    *sync.Cond
	now     time.Time
	waiters []*simWaiter
	sleeps  []time.Duration
}

type simWaiter struct {
	at   time.Time
	wake chan struct{}
}

func newSimClock(now time.Time) *simClock {
	c := &simClock{now: now}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	if d <= 0 {
		c.mu.Unlock()
		return ctx.Err()
	}
	w := &simWaiter{at: c.now.Add(d), wake: make(chan struct{})}
	c.waiters = append(c.waiters, w)
	c.cond.Broadcast()
	c.mu.Unlock()
	select {
	case <-w.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		if i := slices.Index(c.waiters, w); i >= 0 {
			c.waiters = slices.Delete(c.waiters, i, i+1)
		}
		c.cond.Broadcast()
		c.mu.Unlock()
		return ctx.Err()
	}
}

// WaitAsleep blocks until n goroutines are in Sleep (or until running()
// reports fewer than that many are left, re-checked whenever a sleeper
// arrives or leaves).
func (c *simClock) WaitAsleep(running func() int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.waiters) < running() {
		c.cond.Wait()
	}
}

// AdvanceToNext moves the time to the earliest sleeper's end and wakes every
// sleeper whose end has come. It reports false when nobody sleeps.
func (c *simClock) AdvanceToNext() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.waiters) == 0 {
		return false
	}
	next := c.waiters[0].at
	for _, w := range c.waiters[1:] {
		if w.at.Before(next) {
			next = w.at
		}
	}
	c.now = next
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(next) {
			kept = append(kept, w)
		} else {
			close(w.wake)
		}
	}
	c.waiters = kept
	return true
}

func (c *simClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// runSim runs workers goroutines that each Wait on l and count a grant while
// the clock is before end, and returns the grants of each goroutine.
func runSim(t *testing.T, clk *simClock, l couponkit.Limiter, workers int, end time.Time) []int {
	t.Helper()
	counts := make([]int, workers)
	var running atomic.Int64
	running.Store(int64(workers))
	notify := func() { clk.mu.Lock(); clk.cond.Broadcast(); clk.mu.Unlock() }
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			defer func() { running.Add(-1); notify() }()
			for {
				if err := l.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
				if !clk.Now().Before(end) {
					return
				}
				counts[g]++
			}
		})
	}
	for {
		clk.WaitAsleep(func() int { return int(running.Load()) })
		if running.Load() == 0 || !clk.AdvanceToNext() {
			break
		}
	}
	wg.Wait()
	return counts
}

// The default limiter with 16 goroutines sharing 200/s, burst 1, for 500 ms
// of clock time: exactly the 100 requests allowed go through, and every
// goroutine gets its share, because waiters are served in order.
func TestRateLimiterFairAcrossGoroutines(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	clk := newSimClock(t0)
	o := couponkit.ResolveOptions(couponkit.WithRateLimit(200, 1), couponkit.WithClock(clk))
	counts := runSim(t, clk, o.Limiter, 16, t0.Add(500*time.Millisecond))
	total := 0
	for _, n := range counts {
		total += n
	}
	t.Logf("grants %d of 100 allowed; per goroutine min %d max %d: %v", total, slices.Min(counts), slices.Max(counts), counts)
	assert.Equal(t, 100, total, "200/s for 500 ms with a burst of 1")
	// 100 slots dealt in turn to 16 goroutines: 6 or 7 each, and one more
	// for a goroutine that took the burst token and queued again before the
	// others had queued once.
	assert.GreaterOrEqual(t, slices.Min(counts), 6, "per goroutine: %v", counts)
	assert.LessOrEqual(t, slices.Max(counts), 8, "per goroutine: %v", counts)
}

// Burst requests pass at once; the next one waits one interval, and a rate
// of 0 never waits.
func TestRateLimiterBurst(t *testing.T) {
	clk := testclock.New(time.Unix(0, 0))
	l := couponkit.NewRateLimiter(10, 3, clk)
	assert.Equal(t, 10.0, l.PerSecond())
	assert.Equal(t, 3, l.Burst())
	for range 3 {
		require.NoError(t, l.Wait(context.Background()))
	}
	assert.Empty(t, clk.Sleeps(), "the burst passes without waiting")
	require.NoError(t, l.Wait(context.Background()))
	assert.Equal(t, []time.Duration{100 * time.Millisecond}, clk.Sleeps())

	// After a quiet second the bucket is full again, and no fuller.
	require.NoError(t, clk.Sleep(context.Background(), 10*time.Second))
	for range 3 {
		require.NoError(t, l.Wait(context.Background()))
	}
	require.NoError(t, l.Wait(context.Background()))
	assert.Equal(t, []time.Duration{100 * time.Millisecond, 10 * time.Second, 100 * time.Millisecond}, clk.Sleeps())

	u := couponkit.NewRateLimiter(0, 0, clk)
	assert.Equal(t, 0.0, u.PerSecond())
	assert.Equal(t, 1, u.Burst())
	for range 100 {
		require.NoError(t, u.Wait(context.Background()))
	}
	assert.Len(t, clk.Sleeps(), 3, "an unlimited limiter never sleeps")
}

// A Wait whose context ends returns ctx's error at once, and gives its slot
// back: the next waiter waits one interval, not two.
func TestRateLimiterCancel(t *testing.T) {
	t0 := time.Unix(0, 0)
	clk := newSimClock(t0)
	l := couponkit.NewRateLimiter(10, 1, clk)
	require.NoError(t, l.Wait(context.Background()))

	done, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, l.Wait(done), context.Canceled, "a done context is refused before any reservation")

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- l.Wait(ctx) }()
	clk.WaitAsleep(func() int { return 1 })
	cancel() // the clock does not move: only the cancellation can end this Wait
	assert.ErrorIs(t, <-errc, context.Canceled)
	assert.Equal(t, t0, clk.Now())

	go func() { errc <- l.Wait(context.Background()) }()
	clk.WaitAsleep(func() int { return 1 })
	assert.Equal(t, []time.Duration{100 * time.Millisecond, 100 * time.Millisecond}, clk.Sleeps(),
		"the cancelled slot was given back")
	require.True(t, clk.AdvanceToNext())
	require.NoError(t, <-errc)

	// On the system clock too, a cancelled wait (here for an hour) ends at once.
	slow := couponkit.NewRateLimiter(1.0/3600, 1, nil)
	require.NoError(t, slow.Wait(context.Background()))
	ctx, cancel = context.WithCancel(context.Background())
	go func() { errc <- slow.Wait(ctx) }()
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
}

// With the system clock, 16 goroutines taking 100 requests between them at
// 200/s each get a share: nobody is starved. Only counts are asserted.
func TestRateLimiterFairOnSystemClock(t *testing.T) {
	l := couponkit.NewRateLimiter(200, 1, nil)
	const workers, total = 16, 100
	var taken atomic.Int64
	counts := make([]int, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			for {
				if err := l.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
				if taken.Add(1) > total {
					return
				}
				counts[g]++
			}
		})
	}
	wg.Wait()
	sum := 0
	for _, n := range counts {
		sum += n
	}
	t.Logf("per goroutine min %d max %d: %v", slices.Min(counts), slices.Max(counts), counts)
	assert.Equal(t, total, sum)
	assert.GreaterOrEqual(t, slices.Min(counts), 4, "per goroutine: %v (fair share 6.25)", counts)
	assert.LessOrEqual(t, slices.Max(counts), 9, "per goroutine: %v (fair share 6.25)", counts)
}

// A waiter that gives up hands its slot to the waiters behind it: each is
// served one interval earlier than it was promised. Measured on the fake
// time of a synctest bubble, from when the burst was taken.
func TestRateLimiterCancelledSlotGoesToTheNextWaiter(t *testing.T) {
	cases := []struct {
		name      string
		perSecond float64
		burst     int
		// waiters queue in order behind a drained burst; cancel names
		// those that give up, after cancelAt.
		waiters  []string
		cancel   []string
		cancelAt time.Duration
		// want is when each other waiter is served.
		want map[string]time.Duration
	}{
		{name: "2/s burst 1, the first of three gives up at once", perSecond: 2, burst: 1,
			waiters: []string{"A", "B", "C"}, cancel: []string{"A"},
			want: map[string]time.Duration{"B": 500 * time.Millisecond, "C": time.Second}},
		{name: "2/s burst 1, the middle one gives up after 300ms", perSecond: 2, burst: 1,
			waiters: []string{"A", "B", "C", "D"}, cancel: []string{"B"}, cancelAt: 300 * time.Millisecond,
			want: map[string]time.Duration{"A": 500 * time.Millisecond, "C": time.Second, "D": 1500 * time.Millisecond}},
		{name: "10/s burst 3, the second gives up after the first is served", perSecond: 10, burst: 3,
			waiters: []string{"A", "B", "C", "D"}, cancel: []string{"B"}, cancelAt: 150 * time.Millisecond,
			want: map[string]time.Duration{"A": 100 * time.Millisecond, "C": 200 * time.Millisecond, "D": 300 * time.Millisecond}},
		{name: "2/s burst 1, the last gives up: the next arrival gets its slot", perSecond: 2, burst: 1,
			waiters: []string{"A", "B", "C"}, cancel: []string{"C"}, cancelAt: 100 * time.Millisecond,
			want: map[string]time.Duration{"A": 500 * time.Millisecond, "B": time.Second, "late": 1500 * time.Millisecond}},
		{name: "10/s burst 1, every other one of eight gives up", perSecond: 10, burst: 1,
			waiters: []string{"A", "B", "C", "D", "E", "F", "G", "H"}, cancel: []string{"A", "C", "E", "G"}, cancelAt: 50 * time.Millisecond,
			want: map[string]time.Duration{"B": 100 * time.Millisecond, "D": 200 * time.Millisecond, "F": 300 * time.Millisecond, "H": 400 * time.Millisecond}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				l := couponkit.NewRateLimiter(tc.perSecond, tc.burst, nil)
				for range tc.burst {
					require.NoError(t, l.Wait(context.Background()))
				}
				var mu sync.Mutex
				served := map[string]time.Duration{}
				var cancelled []error
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var wg sync.WaitGroup
				wait := func(name string, ctx context.Context) {
					wg.Go(func() {
						err := l.Wait(ctx)
						mu.Lock()
						defer mu.Unlock()
						if err != nil {
							cancelled = append(cancelled, err)
							return
						}
						served[name] = time.Since(start)
					})
					synctest.Wait() // asleep in Wait: the queue order is the start order
				}
				for _, w := range tc.waiters {
					if slices.Contains(tc.cancel, w) {
						wait(w, ctx)
					} else {
						wait(w, context.Background())
					}
				}
				time.Sleep(tc.cancelAt)
				cancel()
				synctest.Wait()
				if _, late := tc.want["late"]; late {
					wait("late", context.Background())
				}
				wg.Wait()
				require.Len(t, cancelled, len(tc.cancel))
				for _, err := range cancelled {
					assert.ErrorIs(t, err, context.Canceled)
				}
				t.Logf("served (from the burst): %v", served)
				assert.Equal(t, tc.want, served)
			})
		})
	}
}
