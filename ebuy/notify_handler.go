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
	store    NotifyStore
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
// sign: RefuseUnsigned (the default), ConfirmUnsigned(client) or
// AcceptUnsigned.
func WithUnsigned(p UnsignedPolicy) NotifyOption { return func(o *notifyOptions) { o.unsigned = p } }

// WithReplayWindow refuses (400) a notification not yet handled whose
// timestamp is more than d from the handler's clock, in the past or the
// future. It is off by default (d ≤ 0): e-Buy does not publish how long it
// keeps re-sending an unacknowledged notification, nor whether a re-sent
// notification carries its first timestamp, so any window could refuse
// genuine retries for ever. De-duplication by uuid is on regardless.
func WithReplayWindow(d time.Duration) NotifyOption { return func(o *notifyOptions) { o.window = d } }

// WithNotifyStore sets the store of handled uuids (default
// NewMemoryNotifyStore(DefaultNotifyStoreSize), one per handler). nil turns
// the store off: only concurrent deliveries of a uuid are then merged.
func WithNotifyStore(s NotifyStore) NotifyOption { return func(o *notifyOptions) { o.store = s } }

// WithHandlerTimeout bounds the time the handler's function has (default: no
// bound). When d passes, the function's context is cancelled (cause
// ErrNotifyTimeout) and e-Buy is answered 503 at once, so a blocked function
// does not hold e-Buy's connection; the function's result still counts when
// it returns (nil marks the notification handled).
func WithHandlerTimeout(d time.Duration) NotifyOption {
	return func(o *notifyOptions) { o.timeout = d }
}

// WithNotifyClock sets the clock of the replay window, the handler timeout
// and the acknowledgement's timestamp (default couponkit.SystemClock).
func WithNotifyClock(c couponkit.Clock) NotifyOption { return func(o *notifyOptions) { o.clock = c } }

// NewNotifyHandler returns an http.Handler for e-Buy's notifications
// (verifyCodeNotify, verifyVoidNotify, code status changes), in every layout
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
//     WithUnsigned says otherwise (default RefuseUnsigned: e-Buy's pages mark
//     the sign optional or leave it out, so decide which risk you take;
//     ConfirmUnsigned checks each unsigned event against the code's history
//     and answers 403 what it does not show);
//   - de-duplication by uuid: a notification whose handling succeeded before
//     (WithNotifyStore) is acknowledged again without calling fn; deliveries
//     of a uuid that arrive while it is being handled wait for that handling
//     and get its answer, so fn runs once;
//   - the replay window (WithReplayWindow, off by default), else 400.
//
// Then it calls fn with the request's context (bounded by
// WithHandlerTimeout) and answers:
//   - fn returned nil: 200 with the acknowledgement, by default a signed
//     envelope {"action":…,"appId":…,"sign":…,"signType":"sha256",
//     "success":true,"timestamp":…,"uuid":…} echoing the notification's
//     action, appId and uuid (assumed; change it with WithAck); the uuid is
//     recorded as handled;
//   - fn returned an error or panicked: 500 (its text is not sent), nothing
//     is recorded, and the next delivery calls fn again;
//   - the deadline passed first: 503.
//
// The failure bodies are {"success":false,"errorCode":…,"errorMessage":…}.
// The handler panics if secret is empty or fn is nil.
func NewNotifyHandler(secret string, fn func(ctx context.Context, ev Event) error, opts ...NotifyOption) http.Handler {
	if secret == "" || fn == nil {
		panic("ebuy: NewNotifyHandler needs a secret and a function")
	}
	o := notifyOptions{maxBytes: DefaultMaxNotifyBytes, store: NewMemoryNotifyStore(DefaultNotifyStoreSize), clock: couponkit.SystemClock{}}
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

var (
	replyHandlerFailed = reply{status: http.StatusInternalServerError, code: ErrCodeSystem, text: "notification not handled; retry later"}
	replyTimeout       = reply{status: http.StatusServiceUnavailable, code: ErrCodeSystem, text: "notification handling timed out; retry later"}
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
	ev, err := ReadNotification(body, h.secret)
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
		if errors.Is(context.Cause(ctx), ErrNotifyTimeout) {
			h.write(w, replyTimeout, *ev)
		}
		// Otherwise e-Buy went away: there is no one to answer.
	}
}

// handle runs the handling of ev's uuid and publishes its outcome in f.
func (h *notifyHandler) handle(ctx context.Context, f *flight, ev Event) {
	res := h.run(ctx, ev)
	if res.ok && h.o.store != nil {
		// Recorded before the flight ends, so that no delivery finds the
		// uuid neither under way nor handled.
		_ = h.o.store.MarkHandled(context.WithoutCancel(ctx), ev.UUID)
	}
	h.mu.Lock()
	delete(h.flights, ev.UUID)
	h.mu.Unlock()
	f.res = res
	close(f.done)
}

func (h *notifyHandler) run(ctx context.Context, ev Event) (res reply) {
	if h.o.store != nil {
		done, err := h.o.store.Handled(ctx, ev.UUID)
		if err != nil {
			return reply{status: http.StatusServiceUnavailable, code: ErrCodeSystem, text: "notification store unavailable; retry later"}
		}
		if done {
			return reply{ok: true}
		}
	}
	if h.o.window > 0 {
		if d := h.o.clock.Now().Sub(ev.Timestamp); d > h.o.window || d < -h.o.window {
			return reply{status: http.StatusBadRequest, code: "TIMESTAMP_OUT_OF_WINDOW", text: "timestamp outside the replay window"}
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
