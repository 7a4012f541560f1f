package couponkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// ClaimState is what [ClaimStore.Claim] found.
type ClaimState int

// Claim states.
const (
	// ClaimAcquired: the caller now holds the key until its lease ends. It
	// does the work, then calls Complete (the work is done) or Release (it
	// failed, so that the next claimant does it).
	ClaimAcquired ClaimState = iota + 1
	// ClaimDone: the work of the key was completed before. Nothing is to be
	// done; the key's event may be acknowledged.
	ClaimDone
	// ClaimHeld: another holder claimed the key and its lease has not
	// ended. The caller neither does the work nor acknowledges it; it asks
	// the sender to try again later.
	ClaimHeld
)

// String returns "acquired", "done" or "held".
func (s ClaimState) String() string {
	switch s {
	case ClaimAcquired:
		return "acquired"
	case ClaimDone:
		return "done"
	case ClaimHeld:
		return "held"
	}
	return "ClaimState(" + strconv.Itoa(int(s)) + ")"
}

// Claim is the answer of [ClaimStore.Claim].
type Claim struct {
	// State is what the store found.
	State ClaimState
	// Token identifies this holder (ClaimAcquired only). Complete and
	// Release need it, so that a holder whose lease ended and whose key was
	// claimed again cannot complete or release the new holder's claim.
	Token string
	// Until is the end of the lease, on the clock of the claimant that took
	// it: the caller's own (ClaimAcquired) or the other holder's
	// (ClaimHeld). Zero for ClaimDone.
	Until time.Time
}

// ErrClaimLost is returned by [ClaimStore.Complete] when another holder
// holds the key or completed it: the caller's lease ended and the key was
// claimed again. The work may then have been done twice; completing the
// claim in the same transaction as the work (the PostgreSQL module's
// CompleteTx) turns this error into a rollback, so that it is applied once.
var ErrClaimLost = errors.New("couponkit: claim lost: the lease ended and another holder claimed the key")

// ClaimStore makes a piece of work keyed by an event's id (a notification's
// uuid, a message's id) run once across every process that shares the
// store: each delivery of the event claims its key with a lease; the one
// that acquires it does the work and completes the claim, or releases it on
// failure so that the next delivery does the work; a delivery that finds
// the key done acknowledges the event without doing the work; one that finds
// it held elsewhere asks the sender to try again; a lease that ended (its
// holder died) can be claimed again.
//
// Leases are measured on the caller's clock, not the store's: Claim is given
// the caller's now and stores the lease's end, now+lease, with the claim; a
// later Claim whose now is at or after that end may take the key. The
// processes sharing a store must therefore have clocks that agree to well
// within a lease; and a test can end a lease by advancing a manual clock
// instead of waiting.
//
// Implementations: [NewMemoryClaimStore] (one process), and the Redis and
// PostgreSQL modules of this repository. Every method is safe for
// concurrent use. An error means the store could not be reached or
// answered wrongly: the caller treats the event as not handled (and, for a
// notification, asks the sender to try again).
type ClaimStore interface {
	// Claim claims key for lease from now: ClaimAcquired with a fresh
	// token when the key is free, or held by a lease that ended at or
	// before now; ClaimDone when it was completed; ClaimHeld, with the
	// holder's lease end, otherwise.
	Claim(ctx context.Context, key string, lease time.Duration, now time.Time) (Claim, error)
	// Complete records key as done by token, at now. It returns nil when
	// key is held by token, was completed by token already, or is not held
	// at all (forgotten, or released); and ErrClaimLost, recording nothing,
	// when another holder holds it or completed it.
	Complete(ctx context.Context, key, token string, now time.Time) error
	// Release frees key if token still holds it, so that the next Claim
	// acquires it at once. It does nothing when token no longer holds the
	// key, or when the key is done.
	Release(ctx context.Context, key, token string) error
}

// NewClaimToken returns a random token for a claim: 32 lowercase hex
// digits. Stores use it for [Claim.Token].
func NewClaimToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// HeldClaim is a claim the caller holds: the store it was taken in, its
// key and its token. A handler that runs a function under a claim puts it
// in the function's context (see [WithHeldClaim]), so that the function can
// complete the claim itself, in the same transaction as its own effect.
type HeldClaim struct {
	// Store is the store holding the claim.
	Store ClaimStore
	// Key is the claimed key, such as "ebuy:notify:" followed by a
	// notification's uuid.
	Key string
	// Token is the holder's token.
	Token string
}

type heldClaimKey struct{}

// WithHeldClaim returns a copy of ctx carrying c.
func WithHeldClaim(ctx context.Context, c HeldClaim) context.Context {
	return context.WithValue(ctx, heldClaimKey{}, c)
}

// HeldClaimFrom returns the claim ctx carries, if any.
func HeldClaimFrom(ctx context.Context) (HeldClaim, bool) {
	c, ok := ctx.Value(heldClaimKey{}).(HeldClaim)
	return c, ok
}
