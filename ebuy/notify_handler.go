package ebuy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// DefaultMaxNotifyBytes bounds a notification body the handler reads.
const DefaultMaxNotifyBytes = 1 << 20

// ErrNotifyTimeout is the cause (context.Cause) of the cancellation of the
// context a NewNotifyHandler function receives when WithHandlerTimeout's
// deadline passes. It matches context.DeadlineExceeded.
var ErrNotifyTimeout = fmt.Errorf("ebuy: notification handler timed out: %w", context.DeadlineExceeded)

type notifyOptions struct {
	ack      func(Event) (contentType string, body []byte)
	maxBytes int64
	unsigned UnsignedPolicy
	window   time.Duration
	store    couponkit.ClaimStore
	lease    time.Duration
	timeout  time.Duration
	clock    couponkit.Clock
}

// NotifyOption configures NewNotifyHandler.
type NotifyOption func(*notifyOptions)

// WithAck replaces the acknowledgement body. e-Buy does not document the
// body it expects (an open point); the default is a signed success envelope
// (see NewNotifyHandler). f receives the event being acknowledged.
func WithAck(f func(ev Event) (contentType string, body []byte)) NotifyOption {
	return func(o *notifyOptions) { o.ack = f }
}

// WithMaxNotifyBytes bounds the body the handler reads (default
// DefaultMaxNotifyBytes); a larger body gets 413.
func WithMaxNotifyBytes(n int64) NotifyOption { return func(o *notifyOptions) { o.maxBytes = n } }

// WithUnsigned sets what the handler does with a notification without a
// sign: RefuseUnsigned() (the default), ConfirmUnsigned(client) or
// AcceptUnsigned().
func WithUnsigned(p UnsignedPolicy) NotifyOption { return func(o *notifyOptions) { o.unsigned = p } }

// WithReplayWindow refuses (400) a notification not yet handled whose time
// is more than d from the handler's clock, in the past or the future. The
// notification's time is its Event.Timestamp (the envelope's timestamp, or
// the flat layout's createDate); a flat notification that carries neither
// (the status-change page 6ea9a, the void page's revision with verifyScene)
// is timed by its latest item time (VerifyDate or UpdateTime), and one
// without any time passes unchecked. The window is off by default (d ≤ 0):
// e-Buy does not publish how long it keeps re-sending an unacknowledged
// notification, nor whether a re-sent notification carries its first
// timestamp, so any window could refuse genuine retries for ever.
// De-duplication by uuid is on regardless.
func WithReplayWindow(d time.Duration) NotifyOption { return func(o *notifyOptions) { o.window = d } }

// WithHandlerTimeout bounds the time e-Buy waits for the handler's function
// (default: no bound). When d passes, the function's context is cancelled
// (cause ErrNotifyTimeout) and e-Buy is answered 503 at once, so a blocked
// function does not hold e-Buy's connection; the function's result still
// counts when it returns (nil completes the notification's claim).
func WithHandlerTimeout(d time.Duration) NotifyOption {
	return func(o *notifyOptions) { o.timeout = d }
}

// WithNotifyClock sets the clock of the replay window, the handler timeout,
// the claims' leases and the acknowledgement's timestamp (default
// couponkit.SystemClock).
func WithNotifyClock(c couponkit.Clock) NotifyOption { return func(o *notifyOptions) { o.clock = c } }

// NewNotifyHandler returns an http.Handler for e-Buy's notifications
// (verifyCodeNotify, verifyVoidNotify, code status changes, makeNotify),
// in every layout
// e-Buy's pages print (see ReadNotification). For each request it checks, in
// order:
//   - the method: POST, else 405;
//   - the Content-Type: JSON (application/json or application/…+json),
//     else 415;
//   - the size: WithMaxNotifyBytes, else 413;
//   - the shape (uuid, numeric timestamp, no '&' or '=' in a top-level string
//     value; see ReadNotification), else 400, before any sign is trusted;
//   - the sign under secret: a sign that does not verify gets 401 under every
//     policy; a notification without a sign is refused with 401 unless
//     WithUnsigned says otherwise (default RefuseUnsigned(): e-Buy's pages mark
//     the sign optional or leave it out, so decide which risk you take;
//     ConfirmUnsigned checks each unsigned event against the code's history
//     and answers 403 what it does not show);
//   - de-duplication by uuid: deliveries of a uuid that arrive while this
//     handler handles it wait for that handling and get its answer; then
//     the uuid is claimed (WithClaimStore): done before, it is acknowledged
//     again without calling fn; claimed elsewhere by a lease that has not
//     ended, 503; a store that cannot be reached, 503;
//   - the replay window (WithReplayWindow, off by default), else 400.
//
// Then it calls fn with the request's context (bounded by
// WithHandlerTimeout, and carrying the claim) and answers:
//   - fn returned nil: 200 with the acknowledgement, by default a signed
//     envelope {"action":…,"appId":…,"sign":…,"signType":"sha256",
//     "success":true,"timestamp":…,"uuid":…} echoing the notification's
//     action, appId and uuid (assumed; change it with WithAck); the claim is
//     completed;
//   - anything else: 503, and the claim is released so that the next
//     delivery calls fn again. That is fn returning an error (its text is
//     not sent) or panicking, the WithHandlerTimeout deadline passing, and
//     the request's context ending for any other reason (e-Buy hung up, a
//     middleware's deadline): the handler never answers 2xx, nor leaves the
//     status to net/http's default 200, for a notification fn has not
//     handled. When fn returns nil after its answer was sent, the claim is
//     still completed, and the next delivery is acknowledged.
//
// The failure bodies are {"success":false,"errorCode":…,"errorMessage":…}.
// The handler panics if secret is empty or fn is nil.
func NewNotifyHandler(secret string, fn func(ctx context.Context, ev Event) error, opts ...NotifyOption) http.Handler {
	if secret == "" || fn == nil {
		panic("ebuy: NewNotifyHandler needs a secret and a function")
	}
	o := notifyOptions{maxBytes: DefaultMaxNotifyBytes, store: couponkit.NewMemoryClaimStore(couponkit.DefaultMemoryClaims),
		lease: DefaultNotifyLease, clock: couponkit.SystemClock{}}
	for _, f := range opts {
		f(&o)
	}
	if o.clock == nil {
		o.clock = couponkit.SystemClock{}
	}
	if o.ack == nil {
		o.ack = func(ev Event) (string, []byte) { return "application/json", signedAck(ev, secret, o.clock.Now()) }
	}
	return &notifyHandler{secret: secret, fn: fn, o: o, flights: make(map[string]*flight)}
}

type notifyHandler struct {
	secret string
	fn     func(context.Context, Event) error
	o      notifyOptions

	mu      sync.Mutex
	flights map[string]*flight // uuid → its handling under way
}

// flight is one handling of a uuid; done is closed when res is set.
type flight struct {
	done chan struct{}
	res  reply
}

// reply is the outcome of a handling: ok (acknowledge) or a failure answer.
type reply struct {
	ok         bool
	status     int
	code, text string
}

// The failure answers of a notification that was not handled: all 503, so
// that e-Buy sends it again.
var (
	replyHandlerFailed = reply{status: http.StatusServiceUnavailable, code: ErrCodeSystem, text: "notification not handled; retry later"}
	replyTimeout       = reply{status: http.StatusServiceUnavailable, code: ErrCodeSystem, text: "notification handling timed out; retry later"}
	replyEnded         = reply{status: http.StatusServiceUnavailable, code: ErrCodeSystem, text: "request ended before the notification was handled; retry later"}
	replyHeld          = reply{status: http.StatusServiceUnavailable, code: "IN_PROGRESS", text: "notification being handled elsewhere; retry later"}
	replyStoreDown     = reply{status: http.StatusServiceUnavailable, code: ErrCodeSystem, text: "notification claim store unavailable; retry later"}
)

func (h *notifyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		notifyFail(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "POST only")
		return
	}
	if !jsonMedia(r.Header.Get("Content-Type")) {
		notifyFail(w, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.o.maxBytes+1))
	if err != nil {
		notifyFail(w, http.StatusBadRequest, "READ_ERROR", "cannot read body")
		return
	}
	if int64(len(body)) > h.o.maxBytes {
		notifyFail(w, http.StatusRequestEntityTooLarge, "TOO_LARGE", "body larger than "+strconv.FormatInt(h.o.maxBytes, 10)+" bytes")
		return
	}
	ev, err := ReadNotification(body, h.secret, AllowUnsigned())
	switch {
	case errors.Is(err, ErrNotificationSignature):
		notifyFail(w, http.StatusUnauthorized, ErrCodeSignInvalid, "signature wrong")
		return
	case err != nil:
		notifyFail(w, http.StatusBadRequest, ErrCodeParamInvalid, "not an e-Buy notification")
		return
	case !ev.Signed && !h.o.unsigned.accept && h.o.unsigned.confirm == nil:
		notifyFail(w, http.StatusUnauthorized, ErrCodeSignInvalid, "unsigned notifications are refused")
		return
	}
	ctx, cancel := h.deadline(r.Context())
	defer cancel(nil)

	h.mu.Lock()
	f, waiting := h.flights[ev.UUID]
	if !waiting {
		f = &flight{done: make(chan struct{})}
		h.flights[ev.UUID] = f
	}
	h.mu.Unlock()
	if !waiting {
		go h.handle(ctx, f, *ev)
	}
	select {
	case <-f.done:
		h.write(w, f.res, *ev)
	case <-ctx.Done():
		select {
		case <-f.done: // finished at the same moment: its answer stands
			h.write(w, f.res, *ev)
		default:
			// Not handled (yet): never an acknowledgement. If fn returns
			// nil later, the claim is completed then.
			if errors.Is(context.Cause(ctx), ErrNotifyTimeout) {
				h.write(w, replyTimeout, *ev)
			} else {
				h.write(w, replyEnded, *ev)
			}
		}
	}
}

// handle runs the handling of ev's uuid and publishes its outcome in f.
func (h *notifyHandler) handle(ctx context.Context, f *flight, ev Event) {
	held, res, proceed := h.claim(ctx, ev.UUID)
	if proceed {
		if held != nil {
			ctx = couponkit.WithHeldClaim(ctx, *held)
		}
		res = h.run(ctx, ev)
	}
	// The claim is settled whatever became of the request, before anyone
	// is answered: a success is recorded before the flight is removed, so
	// that no delivery finds the uuid neither under way nor done; a
	// failure is released after, so that once it is released no delivery
	// joins the failed flight, and the next one calls fn.
	bg := context.WithoutCancel(ctx)
	if held != nil && res.ok {
		// An error (the store down, or the lease ended and the uuid
		// claimed again) cannot undo fn's effect: e-Buy is acknowledged
		// all the same.
		_ = held.Store.Complete(bg, held.Key, held.Token, h.o.clock.Now())
	}
	h.mu.Lock()
	delete(h.flights, ev.UUID)
	h.mu.Unlock()
	if held != nil && !res.ok {
		_ = held.Store.Release(bg, held.Key, held.Token)
	}
	f.res = res
	close(f.done)
}

// claim claims uuid in the store. proceed reports that fn is to be called:
// under held, the claim acquired, or without a claim when there is no
// store. Otherwise res is the answer to give: the acknowledgement of a uuid
// done, or a failure.
func (h *notifyHandler) claim(ctx context.Context, uuid string) (held *couponkit.HeldClaim, res reply, proceed bool) {
	s := h.o.store
	if s == nil {
		return nil, reply{}, true
	}
	key := NotifyClaimKey(uuid)
	c, err := s.Claim(ctx, key, h.o.lease, h.o.clock.Now())
	switch {
	case err != nil:
		return nil, replyStoreDown, false
	case c.State == couponkit.ClaimAcquired && c.Token != "":
		return &couponkit.HeldClaim{Store: s, Key: key, Token: c.Token}, reply{}, true
	case c.State == couponkit.ClaimDone:
		return nil, reply{ok: true}, false
	case c.State == couponkit.ClaimHeld:
		return nil, replyHeld, false
	}
	return nil, replyStoreDown, false
}

// run checks the replay window and the unsigned policy, and calls fn.
func (h *notifyHandler) run(ctx context.Context, ev Event) (res reply) {
	if h.o.window > 0 {
		if at := replayTime(ev); !at.IsZero() {
			if d := h.o.clock.Now().Sub(at); d > h.o.window || d < -h.o.window {
				return reply{status: http.StatusBadRequest, code: "TIMESTAMP_OUT_OF_WINDOW", text: "timestamp outside the replay window"}
			}
		}
	}
	if !ev.Signed && h.o.unsigned.confirm != nil {
		err := h.o.unsigned.confirm.check(ctx, &ev)
		switch {
		case errors.Is(err, errNotConfirmed):
			return reply{status: http.StatusForbidden, code: "NOT_CONFIRMED", text: "the code's history does not show this notification"}
		case err != nil:
			return reply{status: http.StatusServiceUnavailable, code: ErrCodeSystem, text: "cannot confirm the notification now; retry later"}
		}
		ev.Confirmed = true
	}
	defer func() {
		if recover() != nil {
			res = replyHandlerFailed
		}
	}()
	if err := h.fn(ctx, ev); err != nil {
		return replyHandlerFailed
	}
	return reply{ok: true}
}

// replayTime is the time the replay window checks: the notification's
// timestamp (or createDate), else its latest item time, else zero (no
// check).
func replayTime(ev Event) time.Time {
	if !ev.Timestamp.IsZero() {
		return ev.Timestamp
	}
	var at time.Time
	for _, it := range ev.Items {
		for _, t := range [...]time.Time{it.VerifyDate, it.UpdateTime} {
			if t.After(at) {
				at = t
			}
		}
	}
	return at
}

// deadline returns ctx bounded by the handler timeout, if any: cancelled
// with cause ErrNotifyTimeout when the handler's clock says it passed.
func (h *notifyHandler) deadline(ctx context.Context) (context.Context, context.CancelCauseFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	if h.o.timeout > 0 {
		go func() {
			if h.o.clock.Sleep(ctx, h.o.timeout) == nil {
				cancel(ErrNotifyTimeout)
			}
		}()
	}
	return ctx, cancel
}

func (h *notifyHandler) write(w http.ResponseWriter, res reply, ev Event) {
	if !res.ok {
		notifyFail(w, res.status, res.code, res.text)
		return
	}
	ct, ack := h.o.ack(ev)
	if ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(ack)
}

// jsonMedia reports whether a Content-Type is JSON: application/json or
// application/…+json, any parameters. A missing Content-Type is not JSON
// (e-Buy's pages require application/json, and a browser's cross-site
// simple request can omit it).
func jsonMedia(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// signedAck is the default acknowledgement: a signed success envelope echoing
// the notification's action, appId and uuid.
func signedAck(ev Event, secret string, now time.Time) []byte {
	b, _ := wire.Signed([]wire.Field{
		wire.Str("action", ev.Action),
		wire.Str("appId", ev.AppID),
		wire.Str("signType", wire.SignType),
		wire.Raw("success", []byte("true")),
		wire.Raw("timestamp", strconv.AppendInt(nil, now.UnixMilli(), 10)),
		wire.Str("uuid", ev.UUID),
	}, secret)
	return b
}

func notifyFail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b := []byte(`{"errorCode":`)
	b = jsonx.AppendString(b, code)
	b = append(b, `,"errorMessage":`...)
	b = jsonx.AppendString(b, msg)
	b = append(b, `,"success":false}`...)
	_, _ = w.Write(b)
}
