// Package money holds the wire encodings of couponkit.Fen that vendor
// packages use: yuan written with two decimals ("11.22"), and the checks that
// an amount fits what a vendor can carry. The public API takes couponkit.Fen
// everywhere; yuan is an encoding detail of each vendor package.
package money

import (
	"encoding/json"

	"github.com/couponkit/couponkit"
)

// MaxYuanDigits is the most integer digits of a yuan amount that
// couponkit.ParseYuan reads back, and so the most any vendor package writes.
const MaxYuanDigits = 16

// Yuan is an amount written in yuan on the wire: it marshals to a JSON string
// with two decimals ("11.22") and unmarshals from a JSON string or number
// with at most two decimals. Its value is held in fen.
type Yuan couponkit.Fen

// Fen returns the amount in fen.
func (y Yuan) Fen() couponkit.Fen { return couponkit.Fen(y) }

// String returns the amount in yuan with two decimals.
func (y Yuan) String() string { return couponkit.Fen(y).Yuan() }

// MarshalJSON writes the amount as a JSON string in yuan, such as "11.22".
func (y Yuan) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 24)
	b = append(b, '"')
	b = couponkit.Fen(y).AppendYuan(b)
	return append(b, '"'), nil
}

// UnmarshalJSON reads a yuan amount from a JSON string or number.
func (y *Yuan) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = str
	}
	f, err := couponkit.ParseYuan(s)
	if err != nil {
		return err
	}
	*y = Yuan(f)
	return nil
}

// Check returns a *couponkit.ValidationError naming field when f cannot be
// carried in yuan by a vendor: more than maxDigits integer digits (at most
// MaxYuanDigits; 0 means MaxYuanDigits), or negative when negative is false.
func Check(field string, f couponkit.Fen, maxDigits int, negative bool) error {
	if maxDigits <= 0 || maxDigits > MaxYuanDigits {
		maxDigits = MaxYuanDigits
	}
	if f < 0 && !negative {
		return couponkit.Invalid(field, "must not be negative, got %s yuan", f.Yuan())
	}
	v := int64(f)
	if v < 0 {
		if v == -v { // math.MinInt64
			return couponkit.Invalid(field, "has more than %d integer digits in yuan", maxDigits)
		}
		v = -v
	}
	whole := v / 100
	digits := 1
	for whole >= 10 {
		whole /= 10
		digits++
	}
	if digits > maxDigits {
		return couponkit.Invalid(field, "has more than %d integer digits in yuan", maxDigits)
	}
	return nil
}
