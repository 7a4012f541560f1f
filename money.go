package couponkit

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Fen is an exact amount of money in fen (1/100 yuan). Vendors that send money
// in fen use it as a number; vendors that send yuan use [Fen.Yuan], so 11.22
// yuan goes on the wire as "11.22" and never passes through a float.
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

// Yuan is an exact amount of money written in yuan on the wire: it marshals to
// a JSON string with two decimals ("11.22") and unmarshals from a JSON string
// or number with at most two decimals. Its value is held in fen.
type Yuan Fen

// Fen returns the amount in fen.
func (y Yuan) Fen() Fen { return Fen(y) }

// String returns the amount in yuan with two decimals.
func (y Yuan) String() string { return Fen(y).Yuan() }

// MarshalJSON writes the amount as a JSON string in yuan, such as "11.22".
func (y Yuan) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 24)
	b = append(b, '"')
	b = Fen(y).AppendYuan(b)
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
	f, err := ParseYuan(s)
	if err != nil {
		return err
	}
	*y = Yuan(f)
	return nil
}
