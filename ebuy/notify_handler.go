package ebuy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// DefaultMaxNotifyBytes bounds a notification body the handler reads.
const DefaultMaxNotifyBytes = 1 << 20

type notifyOptions struct {
	ack      func(Event) (contentType string, body []byte)
	maxBytes int64
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

// NewNotifyHandler returns an http.Handler for e-Buy's notifications
// (verifyCodeNotify, verifyVoidNotify, code status changes). For each POST it
// verifies the sign under secret and decodes the event (ParseNotification),
// calls fn with the request's context, and acknowledges:
//   - fn returned nil: 200 with the acknowledgement, by default a signed
//     envelope {"action":…,"appId":…,"sign":…,"signType":"sha256",
//     "success":true,"timestamp":…,"uuid":…} echoing the notification's
//     action, appId and uuid (assumed; change it with WithAck);
//   - a missing or wrong sign: 401, and fn is not called; a body that is not
//     an envelope: 400; a method other than POST: 405;
//   - fn returned an error: 500 (its text is not sent), so e-Buy retries.
//
// The failure bodies are {"success":false,"errorCode":…,"errorMessage":…}.
// fn may be called again for the same notification (same Event.UUID) when
// e-Buy retries. The handler panics if secret is empty or fn is nil.
func NewNotifyHandler(secret string, fn func(ctx context.Context, ev Event) error, opts ...NotifyOption) http.Handler {
	if secret == "" || fn == nil {
		panic("ebuy: NewNotifyHandler needs a secret and a function")
	}
	o := notifyOptions{maxBytes: DefaultMaxNotifyBytes}
	for _, f := range opts {
		f(&o)
	}
	if o.ack == nil {
		o.ack = func(ev Event) (string, []byte) { return "application/json", signedAck(ev, secret, time.Now()) }
	}
	return &notifyHandler{secret: secret, fn: fn, o: o}
}

type notifyHandler struct {
	secret string
	fn     func(context.Context, Event) error
	o      notifyOptions
}

func (h *notifyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		notifyFail(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "POST only")
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
	ev, err := ParseNotification(body, h.secret)
	switch {
	case errors.Is(err, ErrNotificationSignature):
		notifyFail(w, http.StatusUnauthorized, ErrCodeSignInvalid, "signature missing or wrong")
		return
	case err != nil:
		notifyFail(w, http.StatusBadRequest, ErrCodeParamInvalid, "not an e-Buy notification")
		return
	}
	if err := h.fn(r.Context(), *ev); err != nil {
		notifyFail(w, http.StatusInternalServerError, ErrCodeSystem, "notification not handled; retry later")
		return
	}
	ct, ack := h.o.ack(*ev)
	if ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(ack)
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
