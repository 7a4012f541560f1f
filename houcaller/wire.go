package houcaller

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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

const lowerHex = "0123456789abcdef"

// appendJSONString appends s as a JSON string exactly as encoding/json does
// without HTML escaping: '"', '\\' and control characters escaped, invalid
// UTF-8 as \ufffd, U+2028 and U+2029 escaped, everything else as is.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', lowerHex[b>>4], lowerHex[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', lowerHex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
