package token

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/leakcheck"
)

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

// vendor issues tokens as a vendor's token endpoint does: each refresh
// token works once (rotation), tokens live ttl on the clock. gate, when
// set, holds every refresh until it is closed, so that callers pile up.
type vendor struct {
	clock *couponkittest.Clock
	ttl   time.Duration
	gate  chan struct{}

	mu       sync.Mutex
	n        int
	live     map[string]bool // refresh tokens not used yet
	calls    int             // refresh calls
	refused  int             // refresh calls with a used or unknown refresh token
	failNext error
}

func newVendor(clock *couponkittest.Clock) *vendor {
	return &vendor{clock: clock, ttl: time.Hour, live: map[string]bool{}}
}

// issue returns a new token pair.
func (v *vendor) issue() *oauth2.Token {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.issueLocked()
}

func (v *vendor) issueLocked() *oauth2.Token {
	v.n++
	rt := fmt.Sprintf("r%d", v.n)
	v.live[rt] = true
	return &oauth2.Token{AccessToken: fmt.Sprintf("a%d", v.n), RefreshToken: rt, TokenType: "Bearer", Expiry: v.clock.Now().Add(v.ttl)}
}

func (v *vendor) refresh(ctx context.Context, rt string) (*oauth2.Token, error) {
	if v.gate != nil {
		select {
		case <-v.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.calls++
	if err := v.failNext; err != nil {
		v.failNext = nil
		return nil, err
	}
	if !v.live[rt] {
		v.refused++
		return nil, errors.New("refresh token used twice or unknown")
	}
	delete(v.live, rt)
	return v.issueLocked(), nil
}

func (v *vendor) counts() (calls, refused int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.calls, v.refused
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newSource(t *testing.T, v *vendor, cfg Config) *Refreshing {
	t.Helper()
	cfg.Refresh = v.refresh
	cfg.Clock = v.clock
	if cfg.Logger == nil {
		cfg.Logger = quiet()
	}
	r, err := NewRefreshing(cfg)
	require.NoError(t, err)
	return r
}

// gated makes r's callers report when they wait for a round, and v's
// refreshes wait until all n of them do, so that the n callers overlap.
func gated(r *Refreshing, v *vendor, n int) {
	v.gate = make(chan struct{})
	var waiting atomic.Int64
	r.waiting = func() {
		if waiting.Add(1) == int64(n) {
			close(v.gate)
		}
	}
}

// all runs n goroutines of f at once and returns their tokens.
func all(n int, f func() (*oauth2.Token, error)) ([]string, []error) {
	toks, errs := make([]string, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tok, err := f()
			errs[i] = err
			if tok != nil {
				toks[i] = tok.AccessToken
			}
		})
	}
	wg.Wait()
	return toks, errs
}

func TestFreshTokenIsServedWithoutRefresh(t *testing.T) {
	leakcheck.Check(t)
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &MemoryStore{}
	require.NoError(t, store.Save(context.Background(), v.issue()))
	r := newSource(t, v, Config{Store: store})
	for range 3 {
		tok, err := r.TokenContext(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "a1", tok.AccessToken)
	}
	calls, _ := v.counts()
	assert.Zero(t, calls)
}

// Sixteen goroutines find the token within the margin of its expiry at
// once: one refresh, and every one gets the new token.
func TestSixteenCallersRefreshOnce(t *testing.T) {
	leakcheck.Check(t)
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &MemoryStore{}
	require.NoError(t, store.Save(context.Background(), v.issue()))
	r := newSource(t, v, Config{Store: store, Margin: 5 * time.Minute})
	tok, err := r.TokenContext(context.Background())
	require.NoError(t, err)
	require.Equal(t, "a1", tok.AccessToken)

	clock.Advance(56 * time.Minute) // 4 minutes before the expiry: within the margin
	gated(r, v, 16)
	toks, errs := all(16, func() (*oauth2.Token, error) { return r.TokenContext(context.Background()) })
	for i := range 16 {
		require.NoError(t, errs[i])
		assert.Equal(t, "a2", toks[i], "caller %d", i)
	}
	calls, refused := v.counts()
	assert.Equal(t, 1, calls, "one refresh for sixteen callers")
	assert.Zero(t, refused)
	assert.Equal(t, int64(1), r.Refreshes())
	saved, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "a2", saved.AccessToken)
	assert.Equal(t, "r2", saved.RefreshToken, "the rotated refresh token is saved")
	assert.True(t, saved.Expiry.Equal(clock.Now().Add(time.Hour)))
}

// The vendor refuses the token although its Expiry is an hour away:
// sixteen Renews of it share one refresh, and a later Renew of the same
// token gets the new one without refreshing again.
func TestRenewOfARefusedTokenRefreshesOnce(t *testing.T) {
	leakcheck.Check(t)
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &MemoryStore{}
	first := v.issue()
	require.NoError(t, store.Save(context.Background(), first))
	r := newSource(t, v, Config{Store: store})
	tok, err := r.Token()
	require.NoError(t, err)
	require.Equal(t, "a1", tok.AccessToken)

	gated(r, v, 16)
	toks, errs := all(16, func() (*oauth2.Token, error) { return r.Renew(context.Background(), first) })
	for i := range 16 {
		require.NoError(t, errs[i])
		assert.Equal(t, "a2", toks[i])
	}
	tok, err = r.Renew(context.Background(), first)
	require.NoError(t, err)
	assert.Equal(t, "a2", tok.AccessToken)
	calls, refused := v.counts()
	assert.Equal(t, 1, calls)
	assert.Zero(t, refused)
}

// Each expiry refreshes once, with the refresh token the previous refresh
// rotated: the vendor refuses any refresh token used twice, so a refresh
// with a stale one would fail here.
func TestRotatedRefreshTokenIsUsedNext(t *testing.T) {
	leakcheck.Check(t)
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := NewFileStore(t.TempDir() + "/token.json")
	r := newSource(t, v, Config{Store: store, Initial: v.issue()})
	for i := 1; i <= 4; i++ {
		tok, err := r.Token()
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("a%d", i), tok.AccessToken)
		clock.Advance(time.Hour) // past the expiry: the next Token refreshes
	}
	calls, refused := v.counts()
	assert.Equal(t, 3, calls)
	assert.Zero(t, refused)
	saved, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "r4", saved.RefreshToken)

	// A new process on the same file starts from the rotated token.
	r2 := newSource(t, v, Config{Store: store})
	tok, err := r2.Token()
	require.NoError(t, err)
	assert.Equal(t, "a5", tok.AccessToken, "the saved token expired an hour ago: refreshed with r4")
	_, refused = v.counts()
	assert.Zero(t, refused)
}

// Initial is used while the store is empty, and is not written to it until
// it is refreshed.
func TestInitialIsNotSavedUntilRefreshed(t *testing.T) {
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &MemoryStore{}
	r := newSource(t, v, Config{Store: store, Initial: v.issue()})
	tok, err := r.Token()
	require.NoError(t, err)
	assert.Equal(t, "a1", tok.AccessToken)
	_, err = store.Load(context.Background())
	assert.ErrorIs(t, err, ErrNoToken)

	empty := newSource(t, v, Config{Store: &MemoryStore{}})
	_, err = empty.Token()
	assert.ErrorIs(t, err, ErrNoToken)
}

// A refresh that fails while the token has not expired leaves callers the
// old token, and the next try waits RetryDelay on the clock; once the token
// has expired, the failure is the callers'.
func TestFailedRefreshKeepsTheLiveToken(t *testing.T) {
	leakcheck.Check(t)
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &MemoryStore{}
	require.NoError(t, store.Save(context.Background(), v.issue()))
	r := newSource(t, v, Config{Store: store})
	_, err := r.Token()
	require.NoError(t, err)

	clock.Advance(57 * time.Minute) // within the margin
	v.failNext = errors.New("gateway timeout")
	tok, err := r.Token()
	require.NoError(t, err)
	assert.Equal(t, "a1", tok.AccessToken, "the refresh failed, the token still works")
	tok, err = r.Token()
	require.NoError(t, err)
	assert.Equal(t, "a1", tok.AccessToken)
	calls, _ := v.counts()
	assert.Equal(t, 1, calls, "no second try before RetryDelay")

	clock.Advance(RetryDelay)
	tok, err = r.Token()
	require.NoError(t, err)
	assert.Equal(t, "a2", tok.AccessToken)
	calls, _ = v.counts()
	assert.Equal(t, 2, calls)

	clock.Advance(2 * time.Hour) // a2 expired
	v.failNext = errors.New("gateway timeout")
	_, err = r.Token()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "gateway timeout")
	assert.NotContains(t, err.Error(), "a2")
}

// A caller that stops waiting does not stop the round: the token it
// refreshed is saved for the others.
func TestCancelledCallerDoesNotAbandonTheRefresh(t *testing.T) {
	leakcheck.Check(t)
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &MemoryStore{}
	require.NoError(t, store.Save(context.Background(), v.issue()))
	r := newSource(t, v, Config{Store: store})
	clock.Advance(2 * time.Hour)
	v.gate = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() {
		_, err := r.TokenContext(ctx)
		errc <- err
	}()
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
	close(v.gate)
	tok, err := r.Token() // joins the round still running, or finds its token
	require.NoError(t, err)
	assert.Equal(t, "a2", tok.AccessToken)
	calls, _ := v.counts()
	assert.Equal(t, 1, calls)
	saved, _ := store.Load(context.Background())
	assert.Equal(t, "r2", saved.RefreshToken)
}

// memLocker is a Locker of one process, for tests: a one-slot semaphore
// and a fence counter.
type memLocker struct {
	slot  chan struct{}
	fence atomic.Int64
	locks atomic.Int64
}

func newMemLocker() *memLocker { return &memLocker{slot: make(chan struct{}, 1)} }

type memLease struct {
	l     *memLocker
	fence int64
}

func (l *memLocker) Lock(ctx context.Context) (Lease, error) {
	select {
	case l.slot <- struct{}{}:
		l.locks.Add(1)
		return &memLease{l, l.fence.Add(1)}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (m *memLease) Fence() int64                 { return m.fence }
func (m *memLease) Unlock(context.Context) error { <-m.l.slot; return nil }

// Two sources sharing a store and a lock, as two processes would: sixteen
// callers across both, the token expired, refresh once in all; the source
// that waited for the lock finds the other's token in the store.
func TestTwoSourcesWithALockerRefreshOnce(t *testing.T) {
	leakcheck.Check(t)
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &MemoryStore{}
	require.NoError(t, store.Save(context.Background(), v.issue()))
	lock := newMemLocker()
	a := newSource(t, v, Config{Store: store, Locker: lock})
	b := newSource(t, v, Config{Store: store, Locker: lock})
	for _, s := range []*Refreshing{a, b} {
		_, err := s.Token()
		require.NoError(t, err)
	}
	clock.Advance(time.Hour)
	gated(a, v, 16)
	b.waiting = a.waiting // sixteen callers in all wait before any refresh
	var n atomic.Int64
	toks, errs := all(16, func() (*oauth2.Token, error) {
		if n.Add(1)%2 == 0 {
			return a.Token()
		}
		return b.Token()
	})
	for i := range 16 {
		require.NoError(t, errs[i])
		assert.Equal(t, "a2", toks[i])
	}
	calls, refused := v.counts()
	assert.Equal(t, 1, calls, "one refresh across both sources")
	assert.Zero(t, refused)
	assert.Equal(t, int64(1), a.Refreshes()+b.Refreshes())
}

// Without a locker, two processes may both refresh; the vendor refuses the
// second use of the refresh token, and the loser takes the winner's token
// from the store instead of failing.
func TestRefusedRefreshGivesWayToTheStoredToken(t *testing.T) {
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &MemoryStore{}
	require.NoError(t, store.Save(context.Background(), v.issue()))
	loser := newSource(t, v, Config{Store: &racingStore{Store: store, v: v}})
	clock.Advance(time.Hour)
	tok, err := loser.Token()
	require.NoError(t, err)
	assert.Equal(t, "a2", tok.AccessToken, "the other process's token")
	_, refused := v.counts()
	assert.Equal(t, 1, refused, "this process's refresh was refused")
}

// racingStore lets another process refresh (and save) right after this
// one loaded the store, once.
type racingStore struct {
	Store
	v    *vendor
	once sync.Once
}

func (s *racingStore) Load(ctx context.Context) (*oauth2.Token, error) {
	tok, err := s.Store.Load(ctx)
	s.once.Do(func() {
		other, rerr := s.v.refresh(ctx, tok.RefreshToken)
		if rerr == nil {
			_ = s.Store.Save(ctx, other)
		}
	})
	return tok, err
}

// fencedStore refuses saves under a fence older than the newest.
type fencedStore struct {
	MemoryStore
	fence int64
}

func (f *fencedStore) SaveFenced(ctx context.Context, tok *oauth2.Token, fence int64) error {
	if fence < f.fence {
		return ErrStaleLease
	}
	f.fence = fence
	return f.Save(ctx, tok)
}

// A holder whose lease was granted again (it stalled past it) cannot
// overwrite the newer holder's token: its save is refused, and it takes the
// stored token.
func TestStaleLeaseDoesNotOverwrite(t *testing.T) {
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &fencedStore{}
	require.NoError(t, store.Save(context.Background(), v.issue()))
	lock := newMemLocker()
	r := newSource(t, v, Config{Store: store, Locker: lock})
	clock.Advance(time.Hour)
	newer := &oauth2.Token{AccessToken: "newer", RefreshToken: "rn", Expiry: clock.Now().Add(time.Hour)}
	r.refresh = func(ctx context.Context, rt string) (*oauth2.Token, error) {
		tok, err := v.refresh(ctx, rt)
		// Meanwhile a newer lease saved its token.
		store.fence = 99
		_ = store.Save(ctx, newer)
		return tok, err
	}
	tok, err := r.Token()
	require.NoError(t, err)
	assert.Equal(t, "newer", tok.AccessToken)
	saved, _ := store.Load(context.Background())
	assert.Equal(t, "newer", saved.AccessToken)
}

// A token saved without an expiry is never refreshed on the clock, only
// when the vendor refuses it.
func TestTokenWithoutExpiryIsRefreshedOnlyWhenRefused(t *testing.T) {
	clock := couponkittest.NewClock(t0)
	v := newVendor(clock)
	store := &MemoryStore{}
	require.NoError(t, store.Save(context.Background(), &oauth2.Token{AccessToken: "forever", RefreshToken: "r0"}))
	v.live["r0"] = true
	r := newSource(t, v, Config{Store: store})
	clock.Advance(1000 * time.Hour)
	tok, err := r.Token()
	require.NoError(t, err)
	assert.Equal(t, "forever", tok.AccessToken)
	tok, err = r.Renew(context.Background(), tok)
	require.NoError(t, err)
	assert.Equal(t, "a1", tok.AccessToken)
}

func TestConfigIsChecked(t *testing.T) {
	_, err := NewRefreshing(Config{})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Refresh", ve.Field)
	_, err = NewRefreshing(Config{Refresh: newVendor(couponkittest.NewClock(t0)).refresh, Margin: -time.Second})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Margin", ve.Field)
}

func TestStatic(t *testing.T) {
	tok, err := Static("fixed").Token()
	require.NoError(t, err)
	assert.Equal(t, "fixed", tok.AccessToken)
	assert.True(t, tok.Expiry.IsZero())
}

func TestUnavailable(t *testing.T) {
	err := error(&Unavailable{Cause: errors.New("refresh refused")})
	assert.ErrorIs(t, err, ErrUnavailable)
	assert.Equal(t, "no access token: refresh refused", err.Error())
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
}
