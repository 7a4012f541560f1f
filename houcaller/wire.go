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
	switch {
	case n == 0:
		return time.Time{}, nil
	case n > -1e11 && n < 1e11:
		return time.Unix(n, 0).In(cntime.Location()), nil
	default:
		return cntime.FromMilli(n), nil
	}
}
