package ebuy

import (
	"time"

	"github.com/couponkit/couponkit"
)

// NotifyClaimPrefix is the start of the key under which NewNotifyHandler
// claims a notification in its couponkit.ClaimStore: the key is the prefix
// followed by the notification's uuid.
const NotifyClaimPrefix = "ebuy:notify:"

// DefaultNotifyLease is how long a NewNotifyHandler delivery holds a
// notification's claim by default (see WithNotifyLease).
const DefaultNotifyLease = 5 * time.Minute

// NotifyClaimKey returns the claim key of the notification uuid:
// NotifyClaimPrefix + uuid.
func NotifyClaimKey(uuid string) string { return NotifyClaimPrefix + uuid }

// WithClaimStore sets where the handler claims each notification before
// calling its function, so that the function runs once per uuid across every
// handler sharing the store (default: a couponkit.NewMemoryClaimStore of
// couponkit.DefaultMemoryClaims, one per handler, which de-duplicates within
// the handler only). Use the Redis or PostgreSQL module's store for handlers
// in several processes behind one URL.
//
// A delivery claims NotifyClaimKey(uuid) with a lease (WithNotifyLease) on
// the handler's clock. The delivery that acquires the claim calls the
// function: nil completes the claim and acknowledges; anything else releases
// it and answers 503, so that the next delivery calls the function again. A
// delivery that finds the uuid done is acknowledged without calling the
// function; one that finds it claimed by a lease that has not ended gets 503
// (e-Buy sends it again); one that finds the lease ended (its holder died)
// claims it and calls the function. A store that cannot be reached gets 503.
//
// The function's context carries the claim (couponkit.HeldClaimFrom), so
// that it can complete the claim in the same transaction as its own effect
// (the PostgreSQL module's CompleteTx) for an effect applied exactly once.
//
// nil turns claims off: every delivery calls the function, except that
// deliveries arriving while the same uuid is being handled by this handler
// wait for that handling.
func WithClaimStore(s couponkit.ClaimStore) NotifyOption {
	return func(o *notifyOptions) { o.store = s }
}

// WithNotifyLease sets how long a delivery holds a notification's claim
// (default DefaultNotifyLease), measured on the handler's clock
// (WithNotifyClock). It must be longer than the function's longest run: once
// it ends, another delivery claims the uuid and calls the function while the
// first call may still be running. WithHandlerTimeout bounds what e-Buy
// waits, not the function's run. A holder that dies (its process killed)
// blocks the uuid until its lease ends. d ≤ 0 keeps the default.
func WithNotifyLease(d time.Duration) NotifyOption {
	return func(o *notifyOptions) {
		if d > 0 {
			o.lease = d
		}
	}
}
