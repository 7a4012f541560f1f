package transport

import (
	"regexp"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
)

var secretField = regexp.MustCompile(`"(sign|signInfo|token|session|access_token|accessToken|param|[A-Za-z]*[Ss]ecret|[A-Za-z]*[Kk]ey)"\s*:\s*"[^"]*"`)

// Snapshot returns at most 200 bytes of body, with the values of signature,
// token, session, key and secret fields replaced, for decode-failure messages.
func Snapshot(body []byte) string {
	s := secretField.ReplaceAll(body, []byte(`"$1":"[redacted]"`))
	if len(s) > 200 {
		s = s[:200]
		for len(s) > 0 && !utf8.Valid(s) {
			s = s[:len(s)-1]
		}
		return string(s) + "…"
	}
	return string(s)
}

// DecodeError is the error for a response body that does not decode: Fault
// Unknown (the pipeline turns it into Server on a 5xx), with a redacted snapshot.
func DecodeError(err error, body []byte) *couponkit.Error {
	return &couponkit.Error{Message: "response does not decode: " + err.Error() + ": " + Snapshot(body), Err: err, Fault: couponkit.FaultUnknown}
}
