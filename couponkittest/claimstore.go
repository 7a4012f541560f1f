package couponkittest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
)

// RunClaimStoreTests checks that a [couponkit.ClaimStore] keeps the
// contract every store of this repository keeps: claim, hold, complete,
// release, the end of a lease on the caller's clock, stale holders, and one
// winner among claimants racing for a key. open returns the store under
// test; it may return the same store every time. The keys used are fresh
// (a random prefix), so a store with keys of earlier runs in it passes.
func RunClaimStoreTests(t *testing.T, open func(t *testing.T) couponkit.ClaimStore) {
	t.Helper()
	ctx := context.Background()
	prefix := "couponkittest:" + couponkit.NewClaimToken()[:12] + ":"
	t0 := time.Date(2024, 5, 17, 10, 0, 0, 0, time.UTC)
	const lease = time.Minute

	claim := func(t *testing.T, s couponkit.ClaimStore, key string, now time.Time) couponkit.Claim {
		t.Helper()
		c, err := s.Claim(ctx, key, lease, now)
		if err != nil {
			t.Fatalf("Claim(%q) at %v: %v", key, now, err)
		}
		return c
	}
	want := func(t *testing.T, c couponkit.Claim, state couponkit.ClaimState, until time.Time) {
		t.Helper()
		if c.State != state {
			t.Fatalf("claim state %v, want %v", c.State, state)
		}
		if !c.Until.Equal(until) {
			t.Fatalf("claim until %v, want %v", c.Until, until)
		}
		if (state == couponkit.ClaimAcquired) != (c.Token != "") {
			t.Fatalf("claim %v with token %q", c.State, c.Token)
		}
	}

	t.Run("acquire hold complete", func(t *testing.T) {
		s, key := open(t), prefix+"a"
		first := claim(t, s, key, t0)
		want(t, first, couponkit.ClaimAcquired, t0.Add(lease))
		want(t, claim(t, s, key, t0.Add(lease-time.Millisecond)), couponkit.ClaimHeld, t0.Add(lease))
		if err := s.Complete(ctx, key, first.Token, t0.Add(time.Second)); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		want(t, claim(t, s, key, t0.Add(time.Second)), couponkit.ClaimDone, time.Time{})
		want(t, claim(t, s, key, t0.Add(24*time.Hour)), couponkit.ClaimDone, time.Time{})
		if err := s.Complete(ctx, key, first.Token, t0.Add(2*time.Second)); err != nil {
			t.Fatalf("Complete again: %v", err)
		}
		if err := s.Complete(ctx, key, "not-the-holder", t0.Add(2*time.Second)); !errors.Is(err, couponkit.ErrClaimLost) {
			t.Fatalf("Complete by another of a key done: %v, want ErrClaimLost", err)
		}
		if err := s.Release(ctx, key, first.Token); err != nil {
			t.Fatalf("Release after Complete: %v", err)
		}
		want(t, claim(t, s, key, t0.Add(3*time.Second)), couponkit.ClaimDone, time.Time{})
	})

	t.Run("release lets the next claimant in", func(t *testing.T) {
		s, key := open(t), prefix+"r"
		first := claim(t, s, key, t0)
		if err := s.Release(ctx, key, "not-the-holder"); err != nil {
			t.Fatalf("Release by a stranger: %v", err)
		}
		want(t, claim(t, s, key, t0.Add(time.Second)), couponkit.ClaimHeld, t0.Add(lease))
		if err := s.Release(ctx, key, first.Token); err != nil {
			t.Fatalf("Release: %v", err)
		}
		second := claim(t, s, key, t0.Add(2*time.Second))
		want(t, second, couponkit.ClaimAcquired, t0.Add(2*time.Second+lease))
		if second.Token == first.Token {
			t.Fatalf("a new claim reuses the token %q", first.Token)
		}
		if err := s.Complete(ctx, key, first.Token, t0.Add(3*time.Second)); !errors.Is(err, couponkit.ErrClaimLost) {
			t.Fatalf("Complete by the released holder: %v, want ErrClaimLost", err)
		}
		want(t, claim(t, s, key, t0.Add(4*time.Second)), couponkit.ClaimHeld, t0.Add(2*time.Second+lease))
	})

	t.Run("an ended lease is claimed again", func(t *testing.T) {
		s, key := open(t), prefix+"e"
		dead := claim(t, s, key, t0)
		want(t, claim(t, s, key, t0.Add(lease).Add(-time.Millisecond)), couponkit.ClaimHeld, t0.Add(lease))
		next := claim(t, s, key, t0.Add(lease))
		want(t, next, couponkit.ClaimAcquired, t0.Add(2*lease))
		if next.Token == dead.Token {
			t.Fatalf("a new claim reuses the token %q", dead.Token)
		}
		// The first holder was only late: it can neither complete nor
		// release the new holder's claim.
		if err := s.Complete(ctx, key, dead.Token, t0.Add(lease+time.Second)); !errors.Is(err, couponkit.ErrClaimLost) {
			t.Fatalf("Complete by the holder whose lease ended: %v, want ErrClaimLost", err)
		}
		if err := s.Release(ctx, key, dead.Token); err != nil {
			t.Fatalf("Release by the holder whose lease ended: %v", err)
		}
		want(t, claim(t, s, key, t0.Add(lease+2*time.Second)), couponkit.ClaimHeld, t0.Add(2*lease))
		if err := s.Complete(ctx, key, next.Token, t0.Add(lease+3*time.Second)); err != nil {
			t.Fatalf("Complete by the new holder: %v", err)
		}
		want(t, claim(t, s, key, t0.Add(10*lease)), couponkit.ClaimDone, time.Time{})
		if err := s.Complete(ctx, key, dead.Token, t0.Add(10*lease)); !errors.Is(err, couponkit.ErrClaimLost) {
			t.Fatalf("Complete by the holder whose lease ended, after the new one completed: %v, want ErrClaimLost", err)
		}
	})

	t.Run("a lease ended but not claimed again completes", func(t *testing.T) {
		s, key := open(t), prefix+"l"
		slow := claim(t, s, key, t0)
		if err := s.Complete(ctx, key, slow.Token, t0.Add(3*lease)); err != nil {
			t.Fatalf("Complete after the lease, nobody else claiming: %v", err)
		}
		want(t, claim(t, s, key, t0.Add(3*lease)), couponkit.ClaimDone, time.Time{})
	})

	t.Run("complete without a claim", func(t *testing.T) {
		s, key, token := open(t), prefix+"c", couponkit.NewClaimToken()
		if err := s.Complete(ctx, key, token, t0); err != nil {
			t.Fatalf("Complete of a key never claimed: %v", err)
		}
		want(t, claim(t, s, key, t0), couponkit.ClaimDone, time.Time{})
		if err := s.Complete(ctx, key, token, t0); err != nil {
			t.Fatalf("Complete again: %v", err)
		}
	})

	t.Run("keys are independent", func(t *testing.T) {
		s := open(t)
		a := claim(t, s, prefix+"i1", t0)
		want(t, a, couponkit.ClaimAcquired, t0.Add(lease))
		want(t, claim(t, s, prefix+"i2", t0), couponkit.ClaimAcquired, t0.Add(lease))
		if err := s.Complete(ctx, prefix+"i1", a.Token, t0); err != nil {
			t.Fatal(err)
		}
		want(t, claim(t, s, prefix+"i2", t0), couponkit.ClaimHeld, t0.Add(lease))
		want(t, claim(t, s, prefix+"i3", t0), couponkit.ClaimAcquired, t0.Add(lease))
	})

	t.Run("one winner among claimants at once", func(t *testing.T) {
		s, key := open(t), prefix+"w"
		const n = 16
		states := make([]couponkit.ClaimState, n)
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				c, err := s.Claim(ctx, key, lease, t0)
				states[i], errs[i] = c.State, err
			})
		}
		close(start)
		wg.Wait()
		acquired := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("claimant %d: %v", i, errs[i])
			}
			switch states[i] {
			case couponkit.ClaimAcquired:
				acquired++
			case couponkit.ClaimHeld:
			default:
				t.Fatalf("claimant %d: %v", i, states[i])
			}
		}
		if acquired != 1 {
			t.Fatalf("%d of %d claimants acquired the key at once, want 1", acquired, n)
		}
	})
}
