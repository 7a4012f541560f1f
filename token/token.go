package token

import (
	"context"
	"errors"

	"golang.org/x/oauth2"
)

// Store keeps one token (access token, refresh token and expiry) across
// restarts and, when shared, across processes. A [Refreshing] source loads
// it before it refreshes and saves the rotated token at once, so that the
// next process (or the next start of this one) uses the new refresh token,
// never the one the vendor already consumed. Implementations are safe for
// concurrent use.
type Store interface {
	// Load returns the stored token, or an error matching [ErrNoToken]
	// when none was saved.
	Load(ctx context.Context) (*oauth2.Token, error)
	// Save replaces the stored token with tok.
	Save(ctx context.Context, tok *oauth2.Token) error
}

// ErrNoToken is returned by a Store's Load when it holds no token, and by a
// [Refreshing] source that has none to give (its Store is empty and
// Config.Initial is nil).
var ErrNoToken = errors.New("couponkit/token: no token stored")

// Locker serializes refreshes across processes: a [Refreshing] source with
// one refreshes only while it holds the lock, and, once it holds it, loads
// the Store again before refreshing, because another process may have
// refreshed while it waited. The Redis module's TokenStore is one.
type Locker interface {
	// Lock returns once the caller holds the lock, or with ctx's error.
	Lock(ctx context.Context) (Lease, error)
}

// Lease is a held lock.
type Lease interface {
	// Fence is the lease's fencing token: it grows with every lease the
	// Locker grants, so a [FencedStore] can refuse the save of a holder
	// whose lease ended and was granted again (a process that stalled past
	// its lease).
	Fence() int64
	// Unlock releases the lock if this lease still holds it.
	Unlock(ctx context.Context) error
}

// FencedStore is a Store that can refuse a save made under an older lease
// than the newest it saved under. A [Refreshing] source with a Locker saves
// through SaveFenced when its Store is one.
type FencedStore interface {
	Store
	// SaveFenced saves tok unless a save under a greater fence came first;
	// then it saves nothing and returns an error matching [ErrStaleLease].
	SaveFenced(ctx context.Context, tok *oauth2.Token, fence int64) error
}

// ErrStaleLease is returned by a [FencedStore] for a save under a lease
// older than the newest save's.
var ErrStaleLease = errors.New("couponkit/token: a save under a newer lease came first")

// RefreshFunc exchanges a refresh token for a new token: the vendor's
// refresh call (taobaofilm.Client.Refresher, suning.Client.Refresher). The
// token it returns carries the new refresh token when the vendor rotates it,
// or none when the vendor keeps the old one (the source then keeps it too).
type RefreshFunc func(ctx context.Context, refreshToken string) (*oauth2.Token, error)

// ContextSource is a TokenSource that takes the caller's context. The vendor
// clients use TokenContext with each call's context when a source has it
// (a [Refreshing] source does), and Token otherwise.
type ContextSource interface {
	oauth2.TokenSource
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// Renewer is a TokenSource that can replace a token the vendor refused as
// expired before its Expiry said so (its clock is ahead of ours, or the
// user revoked the grant). The vendor clients call Renew with the refused
// token once per refused call; a [Refreshing] source refreshes once however
// many calls ask, and answers every later Renew of the same token with the
// new one.
type Renewer interface {
	oauth2.TokenSource
	Renew(ctx context.Context, expired *oauth2.Token) (*oauth2.Token, error)
}

// Static returns a source of one fixed access token that never expires
// and is never refreshed: what taobaofilm.Config.Session and
// suning.Config.AccessToken have always meant.
func Static(accessToken string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: accessToken})
}

// Unavailable is the error of a vendor call that was not sent because its
// access token could not be had: the source failed (a refresh refused, a
// store out of reach). Vendor clients return it inside a *couponkit.Error
// with couponkit.FaultAuth; it matches [ErrUnavailable]. It does not unwrap
// to the source's error, whose outcome (such as an unknown outcome of the
// refresh) is not the call's: nothing of the call was sent. Cause is that
// error, for inspection.
type Unavailable struct {
	// Cause is the source's error.
	Cause error
}

// Error says that no token could be had, and why.
func (e *Unavailable) Error() string {
	return "no access token: " + e.Cause.Error()
}

// Is reports whether target is ErrUnavailable.
func (e *Unavailable) Is(target error) bool { return target == ErrUnavailable }

// ErrUnavailable is matched by an [Unavailable] error.
var ErrUnavailable = errors.New("couponkit/token: no access token")
