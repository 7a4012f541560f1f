package couponkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
)

func TestMemoryClaimStoreContract(t *testing.T) {
	t.Parallel()
	shared := couponkit.NewMemoryClaimStore(0)
	couponkittest.RunClaimStoreTests(t, func(*testing.T) couponkit.ClaimStore { return shared })
}

// TestMemoryClaimStoreBounded: the store forgets the least recently used
// done key past its size, and never a key being claimed.
func TestMemoryClaimStoreBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t0 := time.Date(2024, 5, 17, 10, 0, 0, 0, time.UTC)
	s := couponkit.NewMemoryClaimStore(2)
	for _, k := range []string{"a", "b"} {
		require.NoError(t, s.Complete(ctx, k, "", t0))
	}
	c, err := s.Claim(ctx, "a", time.Minute, t0) // a is now the most recently used
	require.NoError(t, err)
	assert.Equal(t, couponkit.ClaimDone, c.State)
	held, err := s.Claim(ctx, "h", time.Minute, t0)
	require.NoError(t, err)
	require.Equal(t, couponkit.ClaimAcquired, held.State)
	require.NoError(t, s.Complete(ctx, "c", "", t0))
	for key, want := range map[string]couponkit.ClaimState{
		"a": couponkit.ClaimDone, "b": couponkit.ClaimAcquired, "c": couponkit.ClaimDone, "h": couponkit.ClaimHeld,
	} {
		c, err := s.Claim(ctx, key, time.Minute, t0)
		require.NoError(t, err)
		assert.Equal(t, want, c.State, key)
	}
	// Two more claims than the size: the ended ones are dropped, not the
	// one still running.
	for _, k := range []string{"x", "y"} {
		c, err := s.Claim(ctx, k, time.Second, t0)
		require.NoError(t, err)
		require.Equal(t, couponkit.ClaimAcquired, c.State, k)
	}
	c, err = s.Claim(ctx, "z", time.Minute, t0.Add(2*time.Second))
	require.NoError(t, err)
	assert.Equal(t, couponkit.ClaimAcquired, c.State)
	c, err = s.Claim(ctx, "h", time.Minute, t0.Add(2*time.Second))
	require.NoError(t, err)
	assert.Equal(t, couponkit.ClaimHeld, c.State, "a running claim is kept")
}

func TestClaimStateString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "acquired", couponkit.ClaimAcquired.String())
	assert.Equal(t, "done", couponkit.ClaimDone.String())
	assert.Equal(t, "held", couponkit.ClaimHeld.String())
	assert.Equal(t, "ClaimState(9)", couponkit.ClaimState(9).String())
}

func TestHeldClaimInContext(t *testing.T) {
	t.Parallel()
	_, ok := couponkit.HeldClaimFrom(context.Background())
	assert.False(t, ok)
	s := couponkit.NewMemoryClaimStore(0)
	want := couponkit.HeldClaim{Store: s, Key: "ebuy:notify:u1", Token: "t1"}
	got, ok := couponkit.HeldClaimFrom(couponkit.WithHeldClaim(context.Background(), want))
	require.True(t, ok)
	assert.Equal(t, want, got)
}

func TestNewClaimToken(t *testing.T) {
	t.Parallel()
	a, b := couponkit.NewClaimToken(), couponkit.NewClaimToken()
	assert.Regexp(t, `^[0-9a-f]{32}$`, a)
	assert.NotEqual(t, a, b)
}
