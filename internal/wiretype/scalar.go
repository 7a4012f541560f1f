package wiretype

import (
	"errors"
	"strconv"

	"github.com/couponkit/couponkit/internal/jsonx"
)

// scalar returns the text of the JSON value b (a string's value, a number's
// or a bool's text), whether it was a string, and whether it was null. An
// object or an array is an error. b is one valid JSON value, as
// encoding/json hands it to an UnmarshalJSON method.
func scalar(b []byte) (text []byte, quoted, null bool, err error) {
	if len(b) == 0 {
		return nil, false, false, errors.New("empty JSON value")
	}
	switch b[0] {
	case 'n':
		return nil, false, true, nil
	case '{', '[':
		return nil, false, false, errors.New("want a string or a number, got " + quote(b))
	}
	text, _ = jsonx.Scalar(b)
	return text, b[0] == '"', false, nil
}

// quote returns the start of b quoted, for error messages.
func quote(b []byte) string {
	if len(b) > 24 {
		return strconv.Quote(string(b[:24])) + "…"
	}
	return strconv.Quote(string(b))
}

// parseInt reads a decimal integer: an optional sign and at least one digit,
// within int64. Leading zeros are allowed (a string may carry them).
func parseInt(b []byte) (int64, bool) {
	neg, d := false, b
	if len(d) > 0 && (d[0] == '-' || d[0] == '+') {
		neg, d = d[0] == '-', d[1:]
	}
	if len(d) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range d {
		if c < '0' || c > '9' || n > (1<<63)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case neg && n <= 1<<63:
		return -int64(n), true
	case !neg && n < 1<<63:
		return int64(n), true
	}
	return 0, false
}

// allDigits reports whether b is one or more ASCII digits.
func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
