package wiretype

import (
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
)

// CheckYear returns a *couponkit.ValidationError naming field when t, in
// Beijing time, falls outside the years 0000–9999 that [Time] and
// [CompactTime] can write. The zero time passes (it is written empty).
func CheckYear(field string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if y := t.In(cntime.Location()).Year(); y < 0 || y > 9999 {
		return couponkit.Invalid(field, "must fall in the years 0000–9999 in Beijing time, got year %d", y)
	}
	return nil
}

// CheckDigits returns a *couponkit.ValidationError naming field when s
// cannot go on the wire as [Digits]: one or more ASCII digits without a
// leading zero. Empty passes when optional (leave it out with omitempty).
func CheckDigits(field, s string, optional bool) error {
	if s == "" && optional {
		return nil
	}
	if !validDigits(s) {
		return couponkit.Invalid(field, "must be a decimal number without sign or leading zero, such as 383933091455959041")
	}
	return nil
}
