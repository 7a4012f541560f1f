// Package money holds the check that an amount fits what a vendor can carry
// in yuan. The public API takes couponkit.Fen everywhere; yuan is an
// encoding detail of each vendor package, written by internal/wiretype.
package money

import "github.com/couponkit/couponkit"

// MaxYuanDigits is the most integer digits of a yuan amount that
// couponkit.ParseYuan reads back, and so the most any vendor package writes.
const MaxYuanDigits = 16

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
