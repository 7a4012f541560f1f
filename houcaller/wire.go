package houcaller

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// flexInt is an integer sent as a JSON number or string; null and "" are 0.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	if v, ok := plainInt(b); ok {
		*n = flexInt(v)
		return nil
	}
	var f jsonx.Flex
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	v, err := parseInt(string(f))
	if err != nil {
		return err
	}
	*n = flexInt(v)
	return nil
}

var errInt = errors.New("houcaller: not an integer")

func parseInt(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Some Java serializers write integral longs as 12.0.
		if whole, frac, ok := strings.Cut(s, "."); ok && strings.Trim(frac, "0") == "" {
			if v, err = strconv.ParseInt(whole, 10, 64); err == nil {
				return v, nil
			}
		}
		return 0, errInt
	}
	return v, nil
}

// stamp is a vendor time: epoch milliseconds as a number or a string
// [likely], epoch seconds when the value is below 10^11 (before 1973 in
// milliseconds), or "yyyy-MM-dd HH:mm:ss" Beijing time. null, "" and 0 are the
// zero time.
type stamp time.Time

func (t *stamp) UnmarshalJSON(b []byte) error {
	if n, ok := plainInt(b); ok {
		*t = stamp(fromEpoch(n))
		return nil
	}
	var f jsonx.Flex
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	v, err := parseStamp(string(f))
	if err != nil {
		return err
	}
	*t = stamp(v)
	return nil
}

func parseStamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) == len(cntime.Layout) && s[4] == '-' {
		return cntime.Parse(s)
	}
	n, err := parseInt(s)
	if err != nil {
		return time.Time{}, errors.New("houcaller: not a time")
	}
	return fromEpoch(n), nil
}

// fromEpoch is the time of an integer vendor time: 0 is the zero time,
// values below 10^11 in magnitude are epoch seconds, others milliseconds.
func fromEpoch(n int64) time.Time {
	switch {
	case n == 0:
		return time.Time{}
	case n > -1e11 && n < 1e11:
		return time.Unix(n, 0).In(cntime.Location())
	default:
		return cntime.FromMilli(n)
	}
}

// plainInt reads the common forms of an integer without allocating: a JSON
// number or a JSON string holding only an optional '-' and 1 to 18 digits.
// Anything else (null, "", fractions, exponents, escapes, longer values)
// reports false, for the general path.
func plainInt(b []byte) (int64, bool) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// civil is a vendor time of the coupon endpoints: anything stamp reads, or a
// day "yyyy-MM-dd", read as its midnight in Beijing.
type civil time.Time

func (t *civil) UnmarshalJSON(b []byte) error {
	if len(b) == len(cntime.DateLayout)+2 && b[0] == '"' && b[5] == '-' {
		d, err := cntime.ParseDate(string(b[1 : len(b)-1]))
		if err != nil {
			return err
		}
		*t = civil(d)
		return nil
	}
	return (*stamp)(t).UnmarshalJSON(b)
}
