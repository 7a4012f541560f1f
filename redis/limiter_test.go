package couponkitredis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	couponkitredis "github.com/couponkit/couponkit/redis"
)

// uniqueKey is a quota key of this test alone, so that tests (and test runs
// sharing one Redis) never meet.
func uniqueKey(t *testing.T) string {
	return "test:" + t.Name() + ":" + strconv.FormatInt(time.Now().UnixNano(), 36)
}

func newClient(t *testing.T, addr string) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func newLimiter(t *testing.T, rdb redis.UniversalClient, cfg couponkitredis.LimiterConfig) *couponkitredis.Limiter {
	t.Helper()
	l, err := couponkitredis.NewLimiter(rdb, cfg)
	require.NoError(t, err)
	return l
}

func redisTime(t *testing.T) time.Time {
	t.Helper()
	now, err := newClient(t, redisAddr).Time(context.Background()).Result()
	require.NoError(t, err)
	return now
}

// manualClock stands still until a Sleep, which moves it by the time slept
// and returns at once.
type manualClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(max(d, 0))
	return ctx.Err()
}

func (c *manualClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// signalClock is the system clock, and reports each Sleep as it starts.
type signalClock struct {
	couponkit.SystemClock
	sleeping chan time.Duration
}

func (c signalClock) Sleep(ctx context.Context, d time.Duration) error {
	select {
	case c.sleeping <- d:
	default:
	}
	return c.SystemClock.Sleep(ctx, d)
}

// quotaFigures checks the grants of a run against the quota and returns the
// grants of each worker in the window where every worker was running.
//
// From a fresh key at Redis time s, GCRA lets through at most
// perSecond×(t−s)+burst requests by time t, and every counted grant came
// before deadline (its Redis TIME, read after the grant, was before it). In
// the window from the last worker's start to the deadline the quota was
// always in demand, so nearly all of it should have been taken.
func quotaFigures(t *testing.T, reps []workerReport, s, deadline time.Time, perSecond float64, burst int) (perWorker []int) {
	t.Helper()
	var total int
	var lastStart int64
	for _, r := range reps {
		total += len(r.Grants)
		lastStart = max(lastStart, r.Start)
	}
	allowed := math.Floor(perSecond*deadline.Sub(s).Seconds()) + float64(burst)
	t.Logf("run: %d grants in %v of Redis time from a fresh key; quota %.0f (%.0f/s × %v + burst %d)",
		total, deadline.Sub(s), allowed, perSecond, deadline.Sub(s), burst)
	assert.LessOrEqual(t, float64(total), allowed, "the shared quota was exceeded")

	window := deadline.Sub(time.UnixMicro(lastStart))
	require.Greater(t, window, time.Second, "the last worker started too late to measure anything")
	inWindow := 0
	for _, r := range reps {
		n := 0
		for _, g := range r.Grants {
			if g >= lastStart {
				n++
			}
		}
		perWorker = append(perWorker, n)
		inWindow += n
	}
	want := perSecond * window.Seconds()
	t.Logf("all %d workers running: %d grants in %v, %.1f%% of the %.1f allowed; per worker min %d max %d (fair share %.1f): %v",
		len(reps), inWindow, window, 100*float64(inWindow)/want, want, slices.Min(perWorker), slices.Max(perWorker), want/float64(len(reps)), perWorker)
	assert.GreaterOrEqual(t, float64(inWindow), 0.8*want, "the quota was not used")
	return perWorker
}

// Eight goroutines, each with its own connection and Limiter on one key,
// share 50 requests a second between them.
func TestQuotaSharedByGoroutines(t *testing.T) {
	const perSecond, burst, workers = 50, 5, 8
	key := uniqueKey(t)
	require.NoError(t, newLimiter(t, newClient(t, redisAddr), couponkitredis.LimiterConfig{Key: key, PerSecond: perSecond}).Reset(context.Background()))
	s := redisTime(t)
	deadline := s.Add(2 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	reps, err := runWorkers(ctx, workers, key, perSecond, burst, deadline)
	require.NoError(t, err)
	perWorker := quotaFigures(t, reps, s, deadline, perSecond, burst)
	assert.Positive(t, slices.Min(perWorker), "a worker was starved: %v", perWorker)
}

// Two processes of four workers each share 50 requests a second: the test
// binary runs itself twice as a child (see childMain).
func TestQuotaSharedByProcesses(t *testing.T) {
	const perSecond, burst, procs, workers = 50, 5, 2, 4
	key := uniqueKey(t)
	require.NoError(t, newLimiter(t, newClient(t, redisAddr), couponkitredis.LimiterConfig{Key: key, PerSecond: perSecond}).Reset(context.Background()))
	s := redisTime(t)
	deadline := s.Add(2500 * time.Millisecond) // 2 s of measure once the children run
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	outs := make([]bytes.Buffer, procs)
	errs := make([]bytes.Buffer, procs)
	cmds := make([]*exec.Cmd, procs)
	for i := range procs {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(),
			childEnv+"=1",
			"REDIS_ADDR="+redisAddr,
			childKeyEnv+"="+key,
			childRateEnv+"="+strconv.Itoa(perSecond),
			childBurstEnv+"="+strconv.Itoa(burst),
			childWorkersEnv+"="+strconv.Itoa(workers),
			childDeadlineEnv+"="+strconv.FormatInt(deadline.UnixMicro(), 10))
		cmd.Stdout, cmd.Stderr = &outs[i], &errs[i]
		require.NoError(t, cmd.Start())
		cmds[i] = cmd
	}
	var reps []workerReport
	perProc := make([]int, procs)
	for i, cmd := range cmds {
		require.NoError(t, cmd.Wait(), "child %d: %s", i, errs[i].String())
		var got []workerReport
		require.NoError(t, json.Unmarshal(outs[i].Bytes(), &got), "child %d printed %q", i, outs[i].String())
		require.Len(t, got, workers)
		for _, r := range got {
			perProc[i] += len(r.Grants)
		}
		reps = append(reps, got...)
	}
	t.Logf("grants per process: %v", perProc)
	perWorker := quotaFigures(t, reps, s, deadline, perSecond, burst)
	assert.Positive(t, slices.Min(perWorker), "a worker was starved: %v", perWorker)
	for i, n := range perProc {
		assert.Positive(t, n, "process %d was starved", i)
	}
}

// A pause recorded by one limiter holds back every other limiter of the key
// until its end: on a manual clock the waiter sleeps exactly to the end.
func TestPauseIsSharedManualClock(t *testing.T) {
	key := uniqueKey(t)
	t0 := time.UnixMilli(1_700_000_000_000)
	clk := &manualClock{now: t0}
	cfg := couponkitredis.LimiterConfig{Key: key, PerSecond: 100, Burst: 10, Clock: clk}
	throttled := newLimiter(t, newClient(t, redisAddr), cfg)
	other := newLimiter(t, newClient(t, redisAddr), cfg)
	ctx := context.Background()
	t.Cleanup(func() { _ = throttled.Reset(ctx) })
	require.NoError(t, throttled.Reset(ctx))

	until, err := other.PausedUntil(ctx)
	require.NoError(t, err)
	assert.True(t, until.IsZero(), "no pause yet")

	end := t0.Add(5 * time.Second)
	require.NoError(t, throttled.PauseUntil(ctx, end))
	require.NoError(t, throttled.PauseUntil(ctx, t0.Add(time.Second)), "an earlier end")
	require.NoError(t, throttled.PauseUntil(ctx, t0.Add(-time.Second)), "an end already past")
	until, err = other.PausedUntil(ctx)
	require.NoError(t, err)
	assert.Equal(t, end, until, "a pause is only ever extended")

	require.NoError(t, other.Wait(ctx))
	assert.Equal(t, []time.Duration{5 * time.Second}, clk.Sleeps(), "Wait slept out the pause and no more")
	assert.False(t, clk.Now().Before(end))

	end = end.Add(1500 * time.Microsecond) // not a whole millisecond: stored rounded up
	require.NoError(t, throttled.PauseUntil(ctx, end))
	until, err = other.PausedUntil(ctx)
	require.NoError(t, err)
	assert.Equal(t, end.Truncate(time.Millisecond).Add(time.Millisecond), until)
	require.NoError(t, other.Wait(ctx))
	assert.False(t, clk.Now().Before(end), "Wait returned at %v, before the pause's end %v", clk.Now(), end)

	ttl, err := newClient(t, redisAddr).PTTL(ctx, "couponkit:{"+key+"}:pause").Result()
	require.NoError(t, err)
	assert.Greater(t, ttl, time.Duration(0), "the pause key expires")
	assert.LessOrEqual(t, ttl, 3*time.Second)
}

// On the system clock, four clients of the key waiting when another records
// a pause all return after its end.
func TestPauseIsSharedSystemClock(t *testing.T) {
	key := uniqueKey(t)
	ctx := context.Background()
	throttled := newLimiter(t, newClient(t, redisAddr), couponkitredis.LimiterConfig{Key: key, PerSecond: 100, Burst: 10})
	t.Cleanup(func() { _ = throttled.Reset(ctx) })
	require.NoError(t, throttled.Reset(ctx))
	end := time.Now().Add(300 * time.Millisecond)
	require.NoError(t, throttled.PauseUntil(ctx, end))

	returned := make([]time.Time, 4)
	var wg sync.WaitGroup
	for i := range returned {
		l := newLimiter(t, newClient(t, redisAddr), couponkitredis.LimiterConfig{Key: key, PerSecond: 100, Burst: 10})
		wg.Go(func() {
			assert.NoError(t, l.Wait(ctx))
			returned[i] = time.Now()
		})
	}
	wg.Wait()
	for i, r := range returned {
		assert.False(t, r.Before(end), "client %d returned %v before the pause's end", i, end.Sub(r))
	}
}

// A Wait whose context ends, while it waits for the quota or for a pause,
// returns ctx's error at once.
func TestWaitCancel(t *testing.T) {
	key := uniqueKey(t)
	ctx := context.Background()
	clk := signalClock{sleeping: make(chan time.Duration, 1)}
	l := newLimiter(t, newClient(t, redisAddr), couponkitredis.LimiterConfig{Key: key, PerSecond: 0.001, Clock: clk}) // one request in 1000 s
	t.Cleanup(func() { _ = l.Reset(ctx) })
	require.NoError(t, l.Reset(ctx))

	done, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, l.Wait(done), context.Canceled)

	require.NoError(t, l.Wait(ctx), "the burst")
	waitCancelled := func(what string) {
		t.Helper()
		wctx, cancel := context.WithCancel(ctx)
		errc := make(chan error, 1)
		go func() { errc <- l.Wait(wctx) }()
		d := <-clk.sleeping
		assert.Greater(t, d, 100*time.Second, "%s: Wait sleeps", what)
		cancel()
		assert.ErrorIs(t, <-errc, context.Canceled, what)
	}
	waitCancelled("waiting for the quota")

	require.NoError(t, l.Reset(ctx))
	require.NoError(t, l.PauseUntil(ctx, time.Now().Add(time.Hour)))
	waitCancelled("waiting out a pause")

	dctx, dcancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer dcancel()
	assert.ErrorIs(t, l.Wait(dctx), context.DeadlineExceeded, "a deadline ends a Wait too")
}

// Redis stops in the middle of a run and comes back: a fail-closed limiter
// refuses with ErrUnavailable, a fail-open one falls back to its in-process
// limiter, neither tries Redis again before the probe interval, and both use
// Redis again once it is back.
func TestRedisRestart(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("this test restarts a redis-server of its own: %v; %s", err, installHint)
	}
	dir := t.TempDir()
	srv, err := startServer(0, dir)
	require.NoError(t, err)
	t.Cleanup(func() { srv.stop() })
	ctx := context.Background()
	// One dial and no retries, so that the refused connection itself is the error.
	rdb := redis.NewClient(&redis.Options{Addr: srv.addr(), MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = rdb.Close() })
	var sent atomic.Int64
	rdb.AddHook(countHook{&sent})
	key := uniqueKey(t)
	clk := &manualClock{now: time.Unix(1_700_000_000, 0)}
	closed := newLimiter(t, rdb, couponkitredis.LimiterConfig{Key: key, PerSecond: 1000, Burst: 1000, Clock: clk})
	fallback := &countingLimiter{}
	open := newLimiter(t, rdb, couponkitredis.LimiterConfig{Key: key, PerSecond: 1000, Burst: 1000, FailOpen: true, Fallback: fallback, Clock: clk})
	openDefault := newLimiter(t, rdb, couponkitredis.LimiterConfig{Key: key, PerSecond: 10, Burst: 1, FailOpen: true, Clock: clk})
	// A client with go-redis's defaults (five dials, three retries) is cut
	// short by the Timeout.
	slow := newLimiter(t, newClient(t, srv.addr()), couponkitredis.LimiterConfig{Key: key, PerSecond: 1000, Timeout: 100 * time.Millisecond})

	require.NoError(t, closed.Wait(ctx))
	require.NoError(t, open.Wait(ctx))
	require.NoError(t, slow.Wait(ctx))
	assert.Zero(t, fallback.n.Load(), "Redis is up: no fallback")

	srv.stop()

	err = closed.Wait(ctx)
	require.ErrorIs(t, err, couponkitredis.ErrUnavailable, "fail closed")
	var opErr *net.OpError
	assert.ErrorAs(t, err, &opErr, "the Redis error is wrapped: %v", err)
	assert.Contains(t, err.Error(), key)
	t.Logf("fail closed: %v", err)
	before := sent.Load()
	assert.Equal(t, err, closed.Wait(ctx), "within the probe interval: the same error")
	_, perr := closed.PausedUntil(ctx)
	assert.Equal(t, err, perr)
	assert.Equal(t, err, closed.PauseUntil(ctx, clk.Now().Add(time.Second)))
	assert.Equal(t, before, sent.Load(), "within the probe interval Redis is not tried")

	err = slow.Wait(ctx)
	require.ErrorIs(t, err, couponkitredis.ErrUnavailable)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	t.Logf("fail closed, go-redis defaults: %v", err)

	require.NoError(t, open.Wait(ctx), "fail open")
	require.NoError(t, open.Wait(ctx))
	assert.EqualValues(t, 2, fallback.n.Load(), "fail open waits on the fallback")

	// The default fallback is this process's own limiter of the same rate.
	require.NoError(t, openDefault.Wait(ctx))
	require.NoError(t, openDefault.Wait(ctx))
	assert.Equal(t, []time.Duration{100 * time.Millisecond}, clk.Sleeps(), "10/s with a burst of 1, in-process")

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, closed.Wait(cctx), context.Canceled, "a done context wins over the outage")

	srv, err = startServer(srv.port, dir)
	require.NoError(t, err)

	assert.ErrorIs(t, closed.Wait(ctx), couponkitredis.ErrUnavailable, "Redis is back, but the probe interval is not over")
	require.NoError(t, clk.Sleep(ctx, couponkitredis.DefaultProbeInterval))
	require.NoError(t, closed.Wait(ctx), "Redis is back")
	require.NoError(t, open.Wait(ctx))
	assert.EqualValues(t, 2, fallback.n.Load(), "Redis is back: no fallback")
	require.NoError(t, closed.PauseUntil(ctx, clk.Now().Add(time.Second)))
	until, err := open.PausedUntil(ctx)
	require.NoError(t, err)
	assert.False(t, until.IsZero())
}

// countHook counts the commands sent through a client.
type countHook struct{ n *atomic.Int64 }

func (h countHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

func (h countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

type countingLimiter struct{ n atomic.Int64 }

func (c *countingLimiter) Wait(ctx context.Context) error {
	c.n.Add(1)
	return ctx.Err()
}

func TestNewChecksConfig(t *testing.T) {
	rdb := newClient(t, redisAddr)
	for _, tc := range []struct {
		name string
		rdb  redis.UniversalClient
		cfg  couponkitredis.LimiterConfig
	}{
		{"no client", nil, couponkitredis.LimiterConfig{Key: "k", PerSecond: 1}},
		{"no key", rdb, couponkitredis.LimiterConfig{PerSecond: 1}},
		{"no rate", rdb, couponkitredis.LimiterConfig{Key: "k"}},
		{"negative rate", rdb, couponkitredis.LimiterConfig{Key: "k", PerSecond: -1}},
		{"NaN rate", rdb, couponkitredis.LimiterConfig{Key: "k", PerSecond: math.NaN()}},
		{"rate below a thousandth", rdb, couponkitredis.LimiterConfig{Key: "k", PerSecond: 0.0001}},
	} {
		_, err := couponkitredis.NewLimiter(tc.rdb, tc.cfg)
		assert.Error(t, err, tc.name)
	}
	l, err := couponkitredis.NewLimiter(rdb, couponkitredis.LimiterConfig{Key: "taobaofilm:1", PerSecond: 2.5})
	require.NoError(t, err)
	assert.Equal(t, "taobaofilm:1", l.Key())
}

// A fractional rate is kept exactly: 2.5 a second with a burst of 1 lets one
// request through every 400 ms.
func TestFractionalRate(t *testing.T) {
	key := uniqueKey(t)
	ctx := context.Background()
	clk := signalClock{sleeping: make(chan time.Duration, 1)}
	l := newLimiter(t, newClient(t, redisAddr), couponkitredis.LimiterConfig{Key: key, PerSecond: 2.5, Clock: clk})
	t.Cleanup(func() { _ = l.Reset(ctx) })
	require.NoError(t, l.Reset(ctx))
	require.NoError(t, l.Wait(ctx))
	require.NoError(t, l.Wait(ctx))
	d := <-clk.sleeping
	assert.Greater(t, d, 300*time.Millisecond)
	assert.LessOrEqual(t, d, 400*time.Millisecond)
}
