package couponkittest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/stretchr/testify/assert"
)

var _ couponkit.Clock = (*couponkittest.Clock)(nil)

func TestClock(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(100, 0)
	c := couponkittest.NewClock(t0)
	assert.Equal(t, t0, c.Now())
	assert.Equal(t, t0, c.Now(), "no Step: the time stands still")
	assert.NoError(t, c.Sleep(context.Background(), 2*time.Second))
	assert.Equal(t, t0.Add(2*time.Second), c.Now())
	c.MinAdvance = time.Minute
	assert.NoError(t, c.Sleep(context.Background(), 0))
	assert.Equal(t, t0.Add(2*time.Second+time.Minute), c.Now())
	c.Advance(time.Hour)
	assert.Equal(t, t0.Add(2*time.Second+time.Minute+time.Hour), c.Now())
	assert.Equal(t, []time.Duration{2 * time.Second, 0}, c.Sleeps(), "Advance records no wait")
	c.Set(t0)
	assert.Equal(t, t0, c.Now(), "Set may move the time back")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, c.Sleep(ctx, time.Hour), context.Canceled)

	s := couponkittest.NewClock(t0)
	s.Step = time.Millisecond
	assert.Equal(t, t0, s.Now())
	assert.Equal(t, t0.Add(time.Millisecond), s.Now())
}

func TestClockConcurrent(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(0, 0)
	c := couponkittest.NewClock(t0)
	const n = 50
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_ = c.Sleep(context.Background(), time.Second)
			c.Advance(time.Second)
			_ = c.Now()
			_ = c.Sleeps()
		})
	}
	wg.Wait()
	assert.Equal(t, t0.Add(2*n*time.Second), c.Now())
	assert.Len(t, c.Sleeps(), n)
}

func ExampleClock() {
	clk := couponkittest.NewClock(time.Date(2024, 5, 17, 9, 0, 0, 0, time.UTC))
	// A retrying client waits on the clock: the wait returns at once and the
	// time moves on by it.
	_ = clk.Sleep(context.Background(), 3*time.Second)
	clk.Advance(time.Minute)
	fmt.Println(clk.Now().Format(time.TimeOnly), clk.Sleeps())
	// Output: 09:01:03 [3s]
}
