package testclock

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestClock(t *testing.T) {
	t0 := time.Unix(100, 0)
	c := New(t0)
	assert.Equal(t, t0, c.Now())
	assert.Equal(t, t0, c.Now(), "no Step: the time stands still")
	assert.NoError(t, c.Sleep(context.Background(), 2*time.Second))
	assert.Equal(t, t0.Add(2*time.Second), c.Now())
	c.MinAdvance = time.Minute
	assert.NoError(t, c.Sleep(context.Background(), 0))
	assert.Equal(t, t0.Add(2*time.Second+time.Minute), c.Now())
	assert.Equal(t, []time.Duration{2 * time.Second, 0}, c.Sleeps())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, c.Sleep(ctx, time.Hour), context.Canceled)

	s := New(t0)
	s.Step = time.Millisecond
	assert.Equal(t, t0, s.Now())
	assert.Equal(t, t0.Add(time.Millisecond), s.Now())
}
