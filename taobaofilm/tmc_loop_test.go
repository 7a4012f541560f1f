package taobaofilm_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/leakcheck"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// tmcStart is the instant the message tests start at.
var tmcStart = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

// stopClock is the manual clock of a loop test, shared by the client and
// the fake: a wait (the loop's poll interval, a retry's backoff) moves the
// time at once, and cancels the loop's context first when stop says the
// test has seen what it waits for, or after maxWaits waits (a loop that
// never gets there then fails its test instead of running on).
type stopClock struct {
	*couponkittest.Clock
	stop   func() bool
	cancel context.CancelFunc
}

const maxWaits = 1000

func (c *stopClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.cancel != nil && (c.stop() || len(c.Sleeps()) >= maxWaits) {
		c.cancel()
	}
	return c.Clock.Sleep(ctx, d)
}

// tmcFake starts an in-memory fake on clk with a session, and a client of
// it with opts.
func tmcFake(t *testing.T, clk couponkit.Clock, cfg taobaofilmtest.Config, opts ...couponkit.Option) (*taobaofilmtest.Server, *taobaofilm.Client) {
	t.Helper()
	cfg.Clock, cfg.InMemory, cfg.Session = clk, true, "sess-1"
	srv := newFake(t, cfg)
	c, err := taobaofilm.NewClient(srv.ClientConfig(), append([]couponkit.Option{srv.ClientOption(), couponkit.WithClock(clk)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return srv, c
}

// confirms returns the s_message_ids of every confirm the fake received.
func confirms(srv *taobaofilmtest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.API == taobaofilm.MethodConfirmMessages {
			out = append(out, taobaofilmtest.Params(r).Get("s_message_ids"))
		}
	}
	return out
}

func ids(v ...int64) string {
	s := make([]string, len(v))
	for i, id := range v {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// A message is confirmed only after fn returned nil for it: the batch's
// good ones in one confirm, the failed one not at all until TMC hands it
// out again (after the fake's delay, on the manual clock) and fn returns
// nil; the waits are the poll interval.
func TestHandleMessagesConfirmsOnlyAfterNil(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &stopClock{Clock: couponkittest.NewClock(tmcStart)}
	srv, c := tmcFake(t, clk, taobaofilmtest.Config{})
	a := srv.Publish("", "t_A", `{"n":1}`)
	b := srv.Publish("", "t_B", `{"n":2}`)
	d := srv.Publish("", "t_C", `{"n":3}`)
	clk.stop = func() bool { return len(srv.Confirmed("")) == 3 }
	clk.cancel = cancel

	type call struct {
		id int64
		at time.Time
	}
	var calls []call
	err := c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{PollInterval: 30 * time.Second}, func(_ context.Context, m *taobaofilm.Message) error {
		calls = append(calls, call{m.ID, clk.Now()})
		if m.ID == b && len(calls) == 2 {
			return errors.New("not now")
		}
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	require.Len(t, calls, 4)
	assert.Equal(t, []int64{a, b, d, b}, []int64{calls[0].id, calls[1].id, calls[2].id, calls[3].id})
	assert.GreaterOrEqual(t, calls[3].at.Sub(calls[1].at), taobaofilmtest.DefaultRedeliveryDelay, "b came back after the fake's delay")
	assert.Equal(t, []string{ids(a, d), ids(b)}, confirms(srv))
	assert.Equal(t, []int64{a, d, b}, srv.Confirmed(""))
	assert.Empty(t, srv.Queue(""))
	for _, s := range clk.Sleeps() {
		assert.Equal(t, 30*time.Second, s)
	}
}

// At least once, de-duplicated: a message whose confirm was lost (every
// attempt answered 502, an unknown outcome that does not end the loop)
// comes back; its id is done in the claim store, so it is confirmed
// without calling fn again.
func TestHandleMessagesDeduplicatesARedelivery(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &stopClock{Clock: couponkittest.NewClock(tmcStart)}
	srv, c := tmcFake(t, clk, taobaofilmtest.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
	x := srv.Publish("", "t_X", `{}`)
	clk.stop = func() bool { return len(srv.Confirmed("")) == 1 }
	clk.cancel = cancel
	// The first consume passes; both attempts of the first confirm fail.
	srv.Inject(couponkittest.Fault{},
		couponkittest.Fault{Status: http.StatusBadGateway, Body: []byte("<html>502</html>")},
		couponkittest.Fault{Status: http.StatusBadGateway, Body: []byte("<html>502</html>")})
	n := 0
	err := c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{}, func(context.Context, *taobaofilm.Message) error {
		n++
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, n, "fn ran once")
	assert.Equal(t, []string{ids(x), ids(x), ids(x)}, confirms(srv), "two lost attempts, then the confirm of the redelivery")
	assert.Equal(t, []int64{x}, srv.Confirmed(""))
}

// Two consumers share a claim store: a message redelivered while the first
// one's fn still runs (its lease longer than TMC's delay) is left to it by
// the second, unconfirmed, and fn runs once in the fleet.
func TestHandleMessagesFleetRunsFnOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base := couponkittest.NewClock(tmcStart)
	store := couponkit.NewMemoryClaimStore(0)
	lease := taobaofilm.WithMessageLease(2 * taobaofilmtest.DefaultRedeliveryDelay)
	clkA := &stopClock{Clock: base}
	srv, a := tmcFake(t, clkA, taobaofilmtest.Config{})
	clkB := &stopClock{Clock: base}
	b, err := taobaofilm.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithClock(clkB))
	require.NoError(t, err)
	defer b.Close()
	x := srv.Publish("", "t_X", `{}`)
	clkA.stop = func() bool { return len(srv.Confirmed("")) == 1 }
	clkA.cancel = cancel

	var runs []string
	err = a.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{}, func(context.Context, *taobaofilm.Message) error {
		runs = append(runs, "a")
		// While a's fn runs, TMC's delay passes and b is handed x.
		bctx, bcancel := context.WithCancel(context.Background())
		defer bcancel()
		clkB.stop = func() bool { q := srv.Queue(""); return len(q) == 1 && q[0].Deliveries == 2 }
		clkB.cancel = bcancel
		berr := b.HandleMessages(bctx, &taobaofilm.HandleMessagesRequest{}, func(context.Context, *taobaofilm.Message) error {
			runs = append(runs, "b")
			return nil
		}, taobaofilm.WithClaimStore(store), lease)
		require.ErrorIs(t, berr, context.Canceled)
		assert.Empty(t, confirms(srv), "b leaves x to its holder")
		return nil
	}, taobaofilm.WithClaimStore(store), lease)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []string{"a"}, runs)
	assert.Equal(t, []string{ids(x)}, confirms(srv))
	assert.Equal(t, []int64{x}, srv.Confirmed(""))
}

// Cancelling the context stops the loop within the batch: the messages
// not handed to fn yet stay unconfirmed (in flight, to come back), the one
// handled is confirmed all the same, and no goroutine is left.
func TestHandleMessagesStopsOnCancel(t *testing.T) {
	leakcheck.Check(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := couponkittest.NewClock(tmcStart)
	srv, c := tmcFake(t, clk, taobaofilmtest.Config{})
	first := srv.Publish("", "t_A", `{}`)
	srv.Publish("", "t_B", `{}`)
	srv.Publish("", "t_C", `{}`)
	var seen []int64
	err := c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{BatchSize: 10}, func(_ context.Context, m *taobaofilm.Message) error {
		seen = append(seen, m.ID)
		cancel()
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []int64{first}, seen)
	assert.Equal(t, []string{ids(first)}, confirms(srv))
	q := srv.Queue("")
	require.Len(t, q, 2)
	for _, m := range q {
		assert.Equal(t, 1, m.Deliveries)
		assert.Equal(t, tmcStart.Add(taobaofilmtest.DefaultRedeliveryDelay), m.InFlightUntil)
	}
	assert.Equal(t, "10", taobaofilmtest.Params(srv.Requests()[0]).Get("quantity"))
}

// A pull that fails with a server fault after the client's retries does
// not end the loop: it waits and pulls again. A refusal that retrying
// cannot cure (a bad signature) ends it with that error, nothing handled.
func TestHandleMessagesPullFailures(t *testing.T) {
	t.Parallel()
	t.Run("server fault", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		clk := &stopClock{Clock: couponkittest.NewClock(tmcStart)}
		srv, c := tmcFake(t, clk, taobaofilmtest.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
		x := srv.Publish("", "t_X", `{}`)
		clk.stop = func() bool { return len(srv.Confirmed("")) == 1 }
		clk.cancel = cancel
		srv.FailNext("isp.remote-service-timeout", "远程服务调用超时")
		srv.FailNext("isp.remote-service-timeout", "远程服务调用超时")
		var seen []int64
		err := c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{}, func(_ context.Context, m *taobaofilm.Message) error {
			seen = append(seen, m.ID)
			return nil
		})
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, []int64{x}, seen)
		assert.Contains(t, clk.Sleeps(), taobaofilm.DefaultPollInterval, "the loop waited after the failed pull")
	})
	t.Run("bad signature", func(t *testing.T) {
		t.Parallel()
		clk := couponkittest.NewClock(tmcStart)
		srv, c := tmcFake(t, clk, taobaofilmtest.Config{})
		srv.Publish("", "t_X", `{}`)
		srv.FailNextError(taobaofilmtest.Error{Code: 25, Message: "Invalid Signature"})
		err := c.HandleMessages(context.Background(), &taobaofilm.HandleMessagesRequest{}, func(context.Context, *taobaofilm.Message) error {
			t.Error("fn called")
			return nil
		})
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "25", ce.Code)
		assert.Equal(t, couponkit.FaultAuth, ce.Fault)
		assert.Equal(t, 1, srv.RequestCount())
	})
}

// A message whose fn panics is released, not confirmed, and the panic goes
// on; the next loop gets it again after the delay and runs fn, whose
// context carries the message's claim.
func TestHandleMessagesPanicReleasesTheClaim(t *testing.T) {
	t.Parallel()
	clk := &stopClock{Clock: couponkittest.NewClock(tmcStart)}
	srv, c := tmcFake(t, clk, taobaofilmtest.Config{})
	x := srv.Publish("", "t_X", `{}`)
	store := couponkit.NewMemoryClaimStore(0)
	func() {
		defer func() { assert.Equal(t, "boom", recover()) }()
		_ = c.HandleMessages(context.Background(), &taobaofilm.HandleMessagesRequest{}, func(context.Context, *taobaofilm.Message) error {
			panic("boom")
		}, taobaofilm.WithClaimStore(store))
	}()
	assert.Empty(t, confirms(srv))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk.stop = func() bool { return len(srv.Confirmed("")) == 1 }
	clk.cancel = cancel
	var seen []int64
	err := c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{}, func(fctx context.Context, m *taobaofilm.Message) error {
		held, ok := couponkit.HeldClaimFrom(fctx)
		require.True(t, ok, "fn's context carries the claim")
		assert.Equal(t, taobaofilm.MessageClaimKey(x), held.Key)
		assert.Same(t, store, held.Store)
		seen = append(seen, m.ID)
		return nil
	}, taobaofilm.WithClaimStore(store))
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []int64{x}, seen)
	assert.True(t, slices.Equal([]int64{x}, srv.Confirmed("")))
}

// After a full batch the loop pulls again at once; it waits its poll
// interval only after a batch smaller than it asked for.
func TestHandleMessagesWaitsOnlyAfterAShortBatch(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &stopClock{Clock: couponkittest.NewClock(tmcStart)}
	srv, c := tmcFake(t, clk, taobaofilmtest.Config{})
	for range 10 {
		srv.Publish("", "t", `{}`)
	}
	clk.stop = func() bool { return len(srv.Confirmed("")) == 10 }
	clk.cancel = cancel
	err := c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{BatchSize: 10}, func(context.Context, *taobaofilm.Message) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
	var apis []string
	for _, r := range srv.Requests() {
		apis = append(apis, r.API)
	}
	assert.Equal(t, []string{taobaofilm.MethodConsumeMessages, taobaofilm.MethodConfirmMessages, taobaofilm.MethodConsumeMessages}, apis)
	assert.Equal(t, []time.Duration{taobaofilm.DefaultPollInterval}, clk.Sleeps())
}
