package jobs

import (
	"context"
	"errors"
	"sync"

	"github.com/couponkit/couponkit"
)

// An item is journaled sent right before its request leaves, not before the
// client waits for its turn: the SDK waits on the rate limiter (and on a
// vendor's throttle pause) inside the call, and an item killed during that
// wait was never sent. The runner puts a sendHook into the context of
// Kind.Send; the client's Observer calls it from AttemptStart, which the
// client calls after those waits, right before the attempt goes out.

type hookKey struct{}

// sendHook journals one item sent, once, at the first attempt of its write.
type sendHook struct {
	mark   func() error
	cancel context.CancelFunc

	mu     sync.Mutex
	marked bool
	closed bool // Send returned: no attempt may start any more
	err    error
}

var errSendReturned = errors.New("an attempt started after its item's Send returned")

// fire journals the item sent (the first time). When that fails the item's
// context is cancelled, so the attempt does not go out.
func (h *sendHook) fire() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.err != nil:
		return h.err
	case h.marked:
		return nil
	case h.closed:
		h.cancel()
		return errSendReturned
	}
	if h.err = h.mark(); h.err != nil {
		h.cancel()
		return h.err
	}
	h.marked = true
	return nil
}

// result closes the hook and reports whether the item was journaled sent,
// or the error that kept it from being sent.
func (h *sendHook) result() (marked bool, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	return h.marked, h.err
}

// Sending journals the item of ctx (a Kind.Send context) sent. The
// Observer calls it before each attempt of a write; a Kind whose request
// does not go through an observed couponkit client calls it itself right
// before sending. Only the first call journals; a non-nil error means the
// item could not be journaled and must not be sent (ctx is then cancelled).
// Outside a Send it does nothing.
func Sending(ctx context.Context) error {
	if h, ok := ctx.Value(hookKey{}).(*sendHook); ok {
		return h.fire()
	}
	return nil
}

// Observer is the couponkit.Observer of the clients a job sends through: at
// each attempt of a write (a Keyed or Unsafe call) it journals the item
// being sent, after the client's waits on its limiter and throttle pause.
// Reads (the checks of --resume, the listings before a zvcms issue) are
// not journaled.
type Observer struct{}

// CallStart implements couponkit.Observer.
func (Observer) CallStart(ctx context.Context, _ couponkit.CallInfo) context.Context { return ctx }

// AttemptStart implements couponkit.Observer: it journals the item sent
// before a write's attempt. If that fails, the item's context is cancelled
// and the attempt does not leave.
func (Observer) AttemptStart(ctx context.Context, a couponkit.AttemptInfo) context.Context {
	if a.Class != couponkit.ClassRead {
		_ = Sending(ctx)
	}
	return ctx
}

// AttemptEnd implements couponkit.Observer.
func (Observer) AttemptEnd(context.Context, couponkit.AttemptInfo) {}

// CallEnd implements couponkit.Observer.
func (Observer) CallEnd(context.Context, couponkit.CallInfo) {}
