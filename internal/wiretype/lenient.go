package wiretype

import (
	"errors"
	"strconv"

	"github.com/couponkit/couponkit/internal/jsonx"
)

// Bool is a flag a vendor writes as a JSON bool, a string or a number: true,
// "true" (any case), 1 and "1" are true; false, "false", 0, "0" and "" are
// false. Anything else is an error, so that a flag nobody can read is never
// taken for false. It is written as a JSON bool.
type Bool bool

// MarshalJSON writes true or false.
func (v Bool) MarshalJSON() ([]byte, error) { return strconv.AppendBool(nil, bool(v)), nil }

// AppendText appends true or false.
func (v Bool) AppendText(b []byte) ([]byte, error) { return strconv.AppendBool(b, bool(v)), nil }

// MarshalText returns true or false.
func (v Bool) MarshalText() ([]byte, error) { return v.AppendText(nil) }

// UnmarshalJSON reads a bool, a string or a number; null leaves v as it is.
func (v *Bool) UnmarshalJSON(b []byte) error {
	text, _, null, err := scalar(b)
	if err != nil || null {
		return err
	}
	return v.UnmarshalText(text)
}

// UnmarshalText reads true, false, 1, 0 (any case) or "" (false).
func (v *Bool) UnmarshalText(b []byte) error {
	switch {
	case len(b) == 0, string(b) == "0", equalFold(b, "false"):
		*v = false
	case string(b) == "1", equalFold(b, "true"):
		*v = true
	default:
		return errors.New("not a bool: " + quote(b))
	}
	return nil
}

// equalFold reports whether b is word in any case; word is lower-case ASCII.
func equalFold(b []byte, word string) bool {
	if len(b) != len(word) {
		return false
	}
	for i := range b {
		if c := b[i] | 0x20; c != word[i] {
			return false
		}
	}
	return true
}

// Int is an integer a vendor writes as a JSON number or a string ("0", "951");
// "" reads as 0. A fraction, an exponent or a value outside int64 is an
// error. It is written as a JSON number.
type Int int64

// MarshalJSON writes the integer as a JSON number.
func (v Int) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, int64(v), 10), nil }

// AppendText appends the integer in decimal.
func (v Int) AppendText(b []byte) ([]byte, error) { return strconv.AppendInt(b, int64(v), 10), nil }

// MarshalText returns the integer in decimal.
func (v Int) MarshalText() ([]byte, error) { return v.AppendText(nil) }

// UnmarshalJSON reads a number or a string; null leaves v as it is.
func (v *Int) UnmarshalJSON(b []byte) error {
	n, null, err := intJSON(b, "int")
	if err == nil && !null {
		*v = Int(n)
	}
	return err
}

// UnmarshalText reads a decimal integer; "" is 0.
func (v *Int) UnmarshalText(b []byte) error {
	n, err := intText(b, "int")
	if err == nil {
		*v = Int(n)
	}
	return err
}

// Text is text a vendor writes as a JSON string, number or bool (an id sent
// as 383933091455959041 by one platform and "383933091455959041" by
// another): a number or a bool reads as its JSON text, null as "". It is
// written as a JSON string. It is jsonx.Flex, which envelope flags use.
type Text = jsonx.Flex

// Digits is a decimal number held as text (an id too long for a float, or
// one the Go API keeps as a string) that goes on the wire as a JSON number,
// where the vendor's page types the field int: Digits("383933091455959041")
// is written 383933091455959041. It must be one or more ASCII digits without
// a leading zero (or "0"); anything else fails Marshal, so validate it first
// with [CheckDigits]. It reads a JSON number that is a non-negative integer,
// or a string of digits; "" and null read as "". Use omitempty to leave an
// empty one out.
type Digits string

// MarshalJSON writes the digits as a JSON number.
func (d Digits) MarshalJSON() ([]byte, error) {
	if !validDigits(string(d)) {
		return nil, errors.New("not a decimal number without a leading zero: " + strconv.Quote(string(d)))
	}
	return []byte(d), nil
}

// AppendText appends the digits.
func (d Digits) AppendText(b []byte) ([]byte, error) { return append(b, d...), nil }

// MarshalText returns the digits.
func (d Digits) MarshalText() ([]byte, error) { return d.AppendText(nil) }

// UnmarshalJSON reads a non-negative integer number or a string of digits;
// null leaves d as it is.
func (d *Digits) UnmarshalJSON(b []byte) error {
	text, _, null, err := scalar(b)
	if err != nil || null {
		return err
	}
	return d.UnmarshalText(text)
}

// UnmarshalText reads a string of digits; "" is "".
func (d *Digits) UnmarshalText(b []byte) error {
	if len(b) > 0 && !allDigits(b) {
		return errors.New("not a string of digits: " + quote(b))
	}
	*d = Digits(b)
	return nil
}

// validDigits reports whether s is a JSON integer without sign: "0", or
// digits without a leading zero.
func validDigits(s string) bool {
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
