package taobaofilm

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
)

// The message loop: consume a batch, hand each message to the caller's
// function under a claim of its id, confirm those handled in one call, and
// pull again (at once after a full batch, after the poll interval
// otherwise). Everything runs in the caller's goroutine: the loop starts
// none.

// Defaults of HandleMessages.
const (
	// DefaultPollInterval is how long HandleMessages waits after a batch
	// smaller than it asked for (an empty queue included) before it pulls
	// again. TOP's consume page asks callers not to pull in a tight loop
	// when nothing comes back; 5 s is the pull interval of the tmc.js
	// consumer.
	DefaultPollInterval = 5 * time.Second
	// DefaultMessageLease is how long a delivery holds a message's claim
	// by default (see WithMessageLease).
	DefaultMessageLease = 5 * time.Minute
	// MessageClaimPrefix is the start of the key under which HandleMessages
	// claims a message: the prefix followed by the message's id in decimal.
	MessageClaimPrefix = "taobaofilm:tmc:"
)

// MessageClaimKey returns the claim key of the message id:
// MessageClaimPrefix + id.
func MessageClaimKey(id int64) string { return MessageClaimPrefix + strconv.FormatInt(id, 10) }

// HandleMessagesRequest configures [Client.HandleMessages].
type HandleMessagesRequest struct {
	// Group is the user group pulled (group_name); empty is the default
	// group.
	Group string
	// BatchSize is the most messages one pull takes (quantity), from
	// MinConsumeQuantity to MaxConsumeQuantity; 0 leaves it to TOP
	// (DefaultConsumeQuantity).
	BatchSize int
	// PollInterval is the wait, on the client's clock, after a pull that
	// brought fewer messages than BatchSize (or DefaultConsumeQuantity); 0 is
	// DefaultPollInterval.
	PollInterval time.Duration
}

// HandleOption configures HandleMessages.
type HandleOption func(*handleOptions)

type handleOptions struct {
	store couponkit.ClaimStore
	lease time.Duration
}

// WithClaimStore sets where HandleMessages claims each message before
// calling its function, so that the function runs once per message id
// across every loop sharing the store (default: a
// couponkit.NewMemoryClaimStore of couponkit.DefaultMemoryClaims, one per
// call of HandleMessages, which de-duplicates the ids this loop handled
// recently). Use the Redis or PostgreSQL module's store for consumers in
// several processes pulling one group.
//
// A delivery claims MessageClaimKey(id) with a lease (WithMessageLease) on
// the client's clock. The delivery that acquires it calls the function:
// nil completes the claim and confirms the message; anything else releases
// it and leaves the message unconfirmed, so that TMC hands it out again and
// the function is called again. A delivery that finds the id done confirms
// it without calling the function (its confirm was lost); one that finds it
// claimed by a lease that has not ended leaves it to its holder, unconfirmed;
// one that finds the lease ended (its holder died) claims it and calls the
// function. A store that cannot be reached leaves the message unconfirmed.
//
// The function's context carries the claim (couponkit.HeldClaimFrom), so
// that it can complete the claim in the same transaction as its own effect
// (the PostgreSQL module's CompleteTx).
//
// nil turns claims off: every delivery calls the function.
func WithClaimStore(s couponkit.ClaimStore) HandleOption {
	return func(o *handleOptions) { o.store = s }
}

// WithMessageLease sets how long a delivery holds a message's claim
// (default DefaultMessageLease), on the client's clock. It must be longer
// than the function's longest run: once it ends, another delivery of the
// message claims it and calls the function while the first call may still
// be running. d ≤ 0 keeps the default.
func WithMessageLease(d time.Duration) HandleOption {
	return func(o *handleOptions) {
		if d > 0 {
			o.lease = d
		}
	}
}

// HandleMessages pulls the messages of req.Group and hands each to fn, one
// at a time in the order TOP hands them out, until ctx ends or a pull or a
// confirm fails for good. A message is confirmed only after fn returned nil
// for it; the ids one pull brought are confirmed together, in one
// ConfirmMessages call, after the last of them was handled. A message for
// which fn returned an error (or panicked: the panic goes on after its
// claim is released) is not confirmed, and TMC hands it out again after
// its delay, to be handed to fn again. Delivery is at least once: a
// message whose confirm is lost, or that comes back while fn still runs
// elsewhere, is de-duplicated by its id (see WithClaimStore), and fn runs
// again only when the claim store has forgotten the id or its lease ended.
//
// After a pull that brought fewer messages than asked for, the loop waits
// req.PollInterval on the client's clock (a couponkit.WithClock clock, so
// tests need not wait). A pull that fails with a retryable fault
// (couponkit.Fault.Retryable: throttling, a server fault, after the
// client's own retries) does not end the loop: it waits the poll interval
// and pulls again. Nor does a confirm that fails so, or whose outcome is
// unknown: its messages come back, found done, and are confirmed then
// without a call of fn. Any other failure (a refused session or signature,
// a group TOP does not know, is_success false) is returned.
//
// When ctx ends, the messages of the batch not yet handed to fn are left
// unconfirmed, those handled are confirmed with a context that is not
// cancelled (bounded by the client's timeout and retries), and the loop
// returns ctx's error. HandleMessages starts no goroutine. fn must not be
// nil.
func (c *Client) HandleMessages(ctx context.Context, req *HandleMessagesRequest, fn func(context.Context, *Message) error, opts ...HandleOption) error {
	if req == nil {
		return couponkit.Invalid("HandleMessagesRequest", "is nil")
	}
	if fn == nil {
		return couponkit.Invalid("fn", "is nil")
	}
	switch {
	case req.BatchSize != 0 && (req.BatchSize < MinConsumeQuantity || req.BatchSize > MaxConsumeQuantity):
		return couponkit.Invalid("BatchSize", "want 0 (TOP's default) or %d to %d, got %d", MinConsumeQuantity, MaxConsumeQuantity, req.BatchSize)
	case req.PollInterval < 0:
		return couponkit.Invalid("PollInterval", "is negative")
	}
	if err := checkGroup(req.Group); err != nil {
		return err
	}
	pull := &ConsumeMessagesRequest{Group: req.Group, Quantity: req.BatchSize}
	o := handleOptions{store: couponkit.NewMemoryClaimStore(couponkit.DefaultMemoryClaims), lease: DefaultMessageLease}
	for _, f := range opts {
		f(&o)
	}
	l := &messageLoop{c: c, fn: fn, o: o, group: req.Group, interval: req.PollInterval}
	if l.interval == 0 {
		l.interval = DefaultPollInterval
	}
	want := req.BatchSize
	if want == 0 {
		want = DefaultConsumeQuantity
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := c.ConsumeMessages(ctx, pull)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !couponkit.FaultOf(err).Retryable() {
				return err
			}
			if err := c.clock.Sleep(ctx, l.interval); err != nil {
				return err
			}
			continue
		}
		handled, stop := l.handle(ctx, res.Messages)
		if err := l.confirm(ctx, handled); err != nil {
			return err
		}
		if stop != nil {
			return stop
		}
		if len(res.Messages) < want {
			if err := c.clock.Sleep(ctx, l.interval); err != nil {
				return err
			}
		}
	}
}

// messageLoop is one HandleMessages call.
type messageLoop struct {
	c        *Client
	fn       func(context.Context, *Message) error
	o        handleOptions
	group    string
	interval time.Duration
}

// handle hands the messages of one pull to fn and returns the ids to
// confirm: those fn returned nil for, and those found done. stop is ctx's
// error when it ended before every message was handled.
func (l *messageLoop) handle(ctx context.Context, msgs []Message) (confirm []int64, stop error) {
	for i := range msgs {
		if err := ctx.Err(); err != nil {
			return confirm, err
		}
		if l.one(ctx, &msgs[i]) {
			confirm = append(confirm, msgs[i].ID)
		}
	}
	return confirm, nil
}

// one handles one message under its claim and reports whether it is to be
// confirmed.
func (l *messageLoop) one(ctx context.Context, m *Message) (ok bool) {
	s := l.o.store
	if s == nil {
		return l.fn(ctx, m) == nil
	}
	key := MessageClaimKey(m.ID)
	c, err := s.Claim(ctx, key, l.o.lease, l.c.clock.Now())
	switch {
	case err != nil:
		return false
	case c.State == couponkit.ClaimDone:
		return true
	case c.State != couponkit.ClaimAcquired || c.Token == "":
		return false // held elsewhere: its holder confirms it
	}
	bg := context.WithoutCancel(ctx)
	defer func() {
		if !ok {
			_ = s.Release(bg, key, c.Token)
		}
	}()
	if err := l.fn(couponkit.WithHeldClaim(ctx, couponkit.HeldClaim{Store: s, Key: key, Token: c.Token}), m); err != nil {
		return false
	}
	// An error (the store down, or the lease ended and the id claimed
	// again) cannot undo fn's effect: the message is confirmed all the
	// same.
	_ = s.Complete(bg, key, c.Token, l.c.clock.Now())
	return true
}

// confirm confirms ids (at most one pull's, so at most MaxConsumeQuantity,
// which is MaxConfirmIDs) with a context that is not cancelled. A failure
// whose fault is retryable, or whose outcome is unknown, is left to TMC's
// redelivery; any other is returned.
func (l *messageLoop) confirm(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := l.c.ConfirmMessages(context.WithoutCancel(ctx), &ConfirmMessagesRequest{Group: l.group, IDs: ids})
	if err == nil || errors.Is(err, couponkit.ErrUnknownOutcome) || couponkit.FaultOf(err).Retryable() {
		return nil
	}
	return err
}
