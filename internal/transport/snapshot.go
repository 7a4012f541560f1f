package transport

import (
	"errors"
	"regexp"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
)

// secretField matches a secret member's name and its string value up to
// its closing quote (which stays), also inside JSON text carried in a string
// (TOP's token_result: \"access_token\":\"…\"), and also when the body was
// cut before the value's end.
var secretField = regexp.MustCompile(`\\?"(sign|signInfo|token|session|access_token|accessToken|param|grantCode|password|[A-Za-z_]*[Ss]ecret|[A-Za-z_]*[Kk]ey|[A-Za-z_]*[Tt]oken)\\?"\s*:\s*\\?"[^"\\]*`)

// Snapshot returns at most 200 bytes of body, with the values of signature,
// token, session, key and secret fields replaced (refresh_token and the
// members of JSON text inside a string included), for decode-failure
// messages.
func Snapshot(body []byte) string {
	s := secretField.ReplaceAll(body, []byte(`"$1":"[redacted]`))
	if len(s) > 200 {
		s = s[:200]
		for len(s) > 0 && !utf8.Valid(s) {
			s = s[:len(s)-1]
		}
		return string(s) + "…"
	}
	return string(s)
}

// ErrUnreadable is in the chain of every error made by [Unreadable] and
// [DecodeError]: an answer arrived, but it is not a definite vendor answer.
// The pipeline treats such an answer as ambiguous: a write that may have been
// applied has an unknown outcome.
var ErrUnreadable = errors.New("the answer is not a definite vendor answer")

type unreadable struct {
	cause error
	// body, for a DecodeError, is the answer quoted in the message: the
	// pipeline quotes it again after removing the client's secrets from the
	// whole body, so that no secret cut in two by the quote's end survives.
	body []byte
}

func (u *unreadable) Error() string {
	if u.cause == nil {
		return ErrUnreadable.Error()
	}
	return u.cause.Error()
}
func (u *unreadable) Unwrap() error        { return u.cause }
func (u *unreadable) Is(target error) bool { return target == ErrUnreadable }

// Unreadable is the error for an answer that arrived but is not a definite
// vendor answer (no success flag, a signature that does not verify, an answer
// to another request): Fault Unknown unless fault says otherwise, message as
// given, cause kept.
func Unreadable(fault couponkit.Fault, message string, cause error) *couponkit.Error {
	return &couponkit.Error{Message: message, Fault: fault, Err: &unreadable{cause: cause}}
}

// DecodeError is the error for a response body that does not decode: an
// [Unreadable] answer with Fault Unknown (the pipeline turns it into Server
// on a 5xx) and a redacted snapshot of the body.
func DecodeError(err error, body []byte) *couponkit.Error {
	return &couponkit.Error{Message: decodeMessage(err, Snapshot(body)), Fault: couponkit.FaultUnknown, Err: &unreadable{cause: err, body: body}}
}

func decodeMessage(err error, snapshot string) string {
	return "response does not decode: " + err.Error() + ": " + snapshot
}

// requote rebuilds the message of a DecodeError in e's chain from its body
// with clean applied to the whole body before it is cut to length.
func requote(e *couponkit.Error, clean func(string) string) {
	u, ok := e.Err.(*unreadable)
	if !ok || u.body == nil {
		return
	}
	e.Message = decodeMessage(u.cause, Snapshot([]byte(clean(string(u.body)))))
}

// IsUnreadable reports whether err says an answer was not a definite vendor answer.
func IsUnreadable(err error) bool { return errors.Is(err, ErrUnreadable) }
