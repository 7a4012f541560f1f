package couponkit

import (
	"errors"
	"strconv"
	"strings"
)

// Fen is an exact amount of money in fen (1/100 yuan): every amount in every
// vendor package's Go API is a Fen, whatever the vendor writes on the wire.
// Vendors that send money in fen send the number; vendors that send yuan
// write it with two decimals (11.22 yuan goes on the wire as "11.22"), so an
// amount never passes through a float. An amount a vendor cannot carry (too
// many digits, negative where the vendor forbids it) is a *ValidationError
// before anything is sent.
type Fen int64

// Yuan formats f in yuan with exactly two decimals: Fen(1122).Yuan() == "11.22".
func (f Fen) Yuan() string {
	return string(f.AppendYuan(nil))
}

// AppendYuan appends f in yuan with two decimals to dst.
func (f Fen) AppendYuan(dst []byte) []byte {
	v := int64(f)
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	dst = strconv.AppendInt(dst, v/100, 10)
	c := v % 100
	return append(dst, '.', byte('0'+c/10), byte('0'+c%10))
}

// String returns f in yuan, as Yuan does.
func (f Fen) String() string { return f.Yuan() }

var errYuan = errors.New("not a yuan amount with at most two decimals")

// ParseYuan parses a decimal yuan amount ("11.22", "5", "0.5", "-3.10") into
// fen exactly. More than two decimals, more than 16 integer digits, exponents,
// and anything but digits, one point and a leading sign are errors.
func ParseYuan(s string) (Fen, error) {
	neg := false
	t := s
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	} else if strings.HasPrefix(t, "+") {
		t = t[1:]
	}
	whole, frac, hasPoint := strings.Cut(t, ".")
	if whole == "" || len(whole) > 16 || (hasPoint && (frac == "" || len(frac) > 2)) {
		return 0, errYuan
	}
	var v int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, errYuan
		}
		v = v*10 + int64(c-'0')
	}
	for i := 0; i < 2; i++ {
		d := int64(0)
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, errYuan
			}
			d = int64(c - '0')
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return Fen(v), nil
}
