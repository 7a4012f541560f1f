package token

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
)

// Defaults of [Config].
const (
	// DefaultMargin is how long before its Expiry a token is refreshed.
	DefaultMargin = 5 * time.Minute
	// DefaultTimeout bounds one refresh round: loading the Store, waiting
	// for the Locker, the refresh call and the save.
	DefaultTimeout = time.Minute
	// RetryDelay is how long, on the Clock, a source keeps using a token
	// that has not expired yet after a refresh of it failed, before it
	// tries again.
	RetryDelay = 10 * time.Second
)

// Config configures a [Refreshing] source.
type Config struct {
	// Refresh is the vendor's refresh call. Required.
	Refresh RefreshFunc
	// Store keeps the token. Default: a new [MemoryStore] (one process,
	// lost at exit: give a [FileStore] or the Redis module's TokenStore to
	// keep the rotated refresh token).
	Store Store
	// Initial is the token used while the Store holds none, such as the
	// answer of taobaofilm.Client.CreateToken. It is not saved until it is
	// refreshed. Nil: the Store must hold a token.
	Initial *oauth2.Token
	// Locker, when set, makes the refresh once per fleet: see [Locker].
	// Without it, processes sharing a Store may refresh the same token at
	// once, and the vendor refuses the second use of a rotated refresh
	// token.
	Locker Locker
	// Margin is how long before its Expiry a token is refreshed; default
	// [DefaultMargin]. A token without an Expiry is refreshed only when the
	// vendor refuses it as expired.
	Margin time.Duration
	// Clock tells the time a token's Expiry is compared with. Default: the
	// system clock. Give the clients' clock (couponkit.WithClock).
	Clock couponkit.Clock
	// Timeout bounds one refresh round (real time); default
	// [DefaultTimeout]. A round runs to its end even when the caller that
	// started it stops waiting, so that a refresh that may have consumed
	// the refresh token is always saved.
	Timeout time.Duration
	// Logger receives the one failure a source cannot return: a refreshed
	// token that could not be saved (it is used in this process, and saved
	// at the next refresh). Default: slog.Default(). No token is logged.
	Logger *slog.Logger
}

// Refreshing is a token source that refreshes its token a margin before
// it expires, once per process at a time and, with a Locker, once per
// fleet; it implements oauth2.TokenSource, [ContextSource] and [Renewer].
//
// A caller whose token is fresh (more than Margin before its Expiry, on the
// Clock) gets it at once. Otherwise one refresh round runs for every caller
// that needs one, in its own goroutine bounded by Config.Timeout:
//
//  1. load the Store (a restart, or another process, may hold a newer
//     token): a fresh token there is used as it is;
//  2. with a Locker, take the lock and load the Store again: another
//     process may have refreshed while this one waited;
//  3. refresh with the stored refresh token (Config.Initial's while the
//     Store is empty), keep the old refresh token when the vendor returns
//     none, and save the new token, through SaveFenced with the lease's
//     fence when the Store is a [FencedStore];
//  4. release the lock.
//
// If the refresh fails while the token has not expired yet, callers keep
// it and the next round starts [RetryDelay] later; once it has expired,
// they get the error. A refresh the vendor refuses after another process
// consumed the same refresh token gives way to the token that process saved.
//
// Renew(ctx, expired) is for a token the vendor refused as expired: the
// source drops it, and every Renew of the same token shares one round that
// does not accept it back from the Store. Refreshing starts no goroutine
// but its rounds, each of which ends within Config.Timeout.
type Refreshing struct {
	refresh RefreshFunc
	store   Store
	initial *oauth2.Token
	locker  Locker
	margin  time.Duration
	timeout time.Duration
	clock   couponkit.Clock
	log     *slog.Logger

	refreshes atomic.Int64

	mu      sync.Mutex
	cur     *oauth2.Token
	flight  *flight
	retryAt time.Time // after a failed round, none starts before this while cur is alive

	// waiting, when set (tests), is called by each caller about to wait
	// for a round.
	waiting func()
}

// flight is one refresh round and what it gave.
type flight struct {
	stale string // the access token the round must not return ("" for none)
	done  chan struct{}
	tok   *oauth2.Token
	err   error
}

// NewRefreshing returns a refreshing source of cfg. It loads nothing until
// a token is asked for.
func NewRefreshing(cfg Config) (*Refreshing, error) {
	if cfg.Refresh == nil {
		return nil, couponkit.Invalid("Refresh", "is required: the vendor's refresh call, such as taobaofilm.Client.Refresher()")
	}
	if cfg.Margin < 0 {
		return nil, couponkit.Invalid("Margin", "must not be negative")
	}
	if cfg.Store == nil {
		cfg.Store = &MemoryStore{}
	}
	if cfg.Margin == 0 {
		cfg.Margin = DefaultMargin
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = couponkit.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Refreshing{
		refresh: cfg.Refresh, store: cfg.Store, initial: clone(cfg.Initial), locker: cfg.Locker,
		margin: cfg.Margin, timeout: cfg.Timeout, clock: cfg.Clock, log: cfg.Logger,
	}, nil
}

// Token returns a fresh token (oauth2.TokenSource); it is TokenContext with
// context.Background().
func (r *Refreshing) Token() (*oauth2.Token, error) { return r.TokenContext(context.Background()) }

// TokenContext returns a fresh token, refreshing it first when it is within
// Margin of its Expiry. ctx bounds the wait, not the refresh round, which
// completes for the other callers. The token returned is shared: do not
// modify it.
func (r *Refreshing) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	return r.get(ctx, "")
}

// Renew returns a token other than expired, which the vendor refused as
// expired: the one a concurrent Renew (or another process, through the
// Store) already got, or a new one from one refresh round.
func (r *Refreshing) Renew(ctx context.Context, expired *oauth2.Token) (*oauth2.Token, error) {
	if expired == nil || expired.AccessToken == "" {
		return r.get(ctx, "")
	}
	return r.get(ctx, expired.AccessToken)
}

// Refreshes returns how many refresh calls this source has made, failed
// ones included.
func (r *Refreshing) Refreshes() int64 { return r.refreshes.Load() }

// get returns a fresh token other than stale.
func (r *Refreshing) get(ctx context.Context, stale string) (*oauth2.Token, error) {
	for round := 0; ; round++ {
		r.mu.Lock()
		now := r.clock.Now()
		if c := r.cur; c != nil {
			switch {
			case c.AccessToken == stale:
				r.cur = nil // refused: nobody gets it again
			case r.fresh(c, now):
				r.mu.Unlock()
				return c, nil
			case alive(c, now) && now.Before(r.retryAt):
				r.mu.Unlock()
				return c, nil
			}
		}
		f := r.flight
		if f == nil {
			f = &flight{stale: stale, done: make(chan struct{})}
			r.flight = f
			go r.run(context.WithoutCancel(ctx), f)
		}
		wait := r.waiting
		r.mu.Unlock()
		if wait != nil {
			wait()
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err != nil {
			r.mu.Lock()
			c, now := r.cur, r.clock.Now()
			r.mu.Unlock()
			if c != nil && c.AccessToken != stale && alive(c, now) {
				return c, nil
			}
			return nil, f.err
		}
		if f.tok.AccessToken != stale || f.stale == stale || round > 0 {
			return f.tok, nil
		}
		// The round was another caller's and gave back the token this one
		// was refused: one more round, for this caller.
	}
}

// run is one refresh round.
func (r *Refreshing) run(ctx context.Context, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	tok, err := r.obtain(ctx, f.stale)
	r.mu.Lock()
	if err == nil {
		r.cur, r.retryAt = tok, time.Time{}
	} else {
		r.retryAt = r.clock.Now().Add(RetryDelay)
	}
	r.flight = nil
	f.tok, f.err = tok, err
	close(f.done)
	r.mu.Unlock()
}

// errNoRefreshToken is the error of a round that must refresh a token
// without a refresh token.
var errNoRefreshToken = errors.New("couponkit/token: the token must be refreshed, but it has no refresh token")

// obtain returns a fresh token other than stale: the Store's, or a new one.
func (r *Refreshing) obtain(ctx context.Context, stale string) (*oauth2.Token, error) {
	st, err := r.load(ctx)
	if err != nil {
		return nil, err
	}
	if r.usable(st, stale) {
		return st, nil
	}
	var lease Lease
	if r.locker != nil {
		if lease, err = r.locker.Lock(ctx); err != nil {
			return nil, fmt.Errorf("couponkit/token: lock: %w", err)
		}
		defer func() { _ = lease.Unlock(context.WithoutCancel(ctx)) }()
		if st, err = r.load(ctx); err != nil {
			return nil, err
		}
		if r.usable(st, stale) {
			return st, nil
		}
	}
	switch {
	case st == nil:
		return nil, ErrNoToken
	case st.RefreshToken == "":
		return nil, errNoRefreshToken
	}
	r.refreshes.Add(1)
	nt, err := r.refresh(ctx, st.RefreshToken)
	if err != nil {
		// Another process may have used this refresh token first (no
		// Locker, or a lease that ended): the Store then has its token.
		if again, lerr := r.load(ctx); lerr == nil && again != nil && again.RefreshToken != st.RefreshToken && r.usable(again, stale) {
			return again, nil
		}
		return nil, fmt.Errorf("couponkit/token: refresh: %w", err)
	}
	if nt == nil || nt.AccessToken == "" {
		return nil, errors.New("couponkit/token: the refresh returned no access token")
	}
	nt = clone(nt)
	if nt.RefreshToken == "" {
		nt.RefreshToken = st.RefreshToken // the vendor did not rotate it
	}
	if err := r.save(ctx, nt, lease); err != nil {
		if errors.Is(err, ErrStaleLease) {
			if again, lerr := r.load(ctx); lerr == nil && r.usable(again, stale) {
				return again, nil
			}
		}
		r.log.ErrorContext(ctx, "couponkit/token: the refreshed token could not be saved; this process uses it and saves it at its next refresh", "err", err.Error())
	}
	return nt, nil
}

// load returns the stored token, Config.Initial while the Store holds
// none, or nil.
func (r *Refreshing) load(ctx context.Context) (*oauth2.Token, error) {
	st, err := r.store.Load(ctx)
	switch {
	case errors.Is(err, ErrNoToken):
		return clone(r.initial), nil
	case err != nil:
		return nil, fmt.Errorf("couponkit/token: load: %w", err)
	}
	return st, nil
}

// save saves tok, under lease's fence when the Store takes one.
func (r *Refreshing) save(ctx context.Context, tok *oauth2.Token, lease Lease) error {
	if fs, ok := r.store.(FencedStore); ok && lease != nil {
		return fs.SaveFenced(ctx, tok, lease.Fence())
	}
	return r.store.Save(ctx, tok)
}

// usable reports whether t is a fresh token other than stale.
func (r *Refreshing) usable(t *oauth2.Token, stale string) bool {
	return t != nil && t.AccessToken != "" && t.AccessToken != stale && r.fresh(t, r.clock.Now())
}

// fresh reports whether t is more than the margin away from its Expiry at
// now (a token without an Expiry always is).
func (r *Refreshing) fresh(t *oauth2.Token, now time.Time) bool {
	return t.Expiry.IsZero() || now.Before(t.Expiry.Add(-r.margin))
}

// alive reports whether t has not expired at now.
func alive(t *oauth2.Token, now time.Time) bool {
	return t.Expiry.IsZero() || now.Before(t.Expiry)
}
