package wiretype

import (
	"errors"
	"strconv"

	"github.com/couponkit/couponkit"
)

// Fen is an amount in fen written as a JSON number: 1122 is 11.22 yuan. It
// reads a number or a string holding an integer ("1122"); "" reads as 0. A
// fraction or an exponent is an error: fen are whole.
type Fen couponkit.Fen

// MarshalJSON writes the amount as a JSON number of fen.
func (f Fen) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, int64(f), 10), nil }

// AppendText appends the amount in fen, such as 1122.
func (f Fen) AppendText(b []byte) ([]byte, error) { return strconv.AppendInt(b, int64(f), 10), nil }

// MarshalText returns the amount in fen, such as 1122.
func (f Fen) MarshalText() ([]byte, error) { return f.AppendText(nil) }

// UnmarshalJSON reads a number or a string of fen; null leaves f as it is.
func (f *Fen) UnmarshalJSON(b []byte) error {
	n, null, err := intJSON(b, "fen")
	if err == nil && !null {
		*f = Fen(n)
	}
	return err
}

// UnmarshalText reads a decimal integer of fen; "" is 0.
func (f *Fen) UnmarshalText(b []byte) error {
	n, err := intText(b, "fen")
	if err == nil {
		*f = Fen(n)
	}
	return err
}

// Yuan is an amount written in yuan as a JSON string with two decimals:
// 1122 fen is "11.22". It reads a string or a number with at most two
// decimals ("11.22", "11.2", "11", 11.22); "" reads as 0. Its value is held
// in fen: couponkit.Fen(y) is the amount.
type Yuan couponkit.Fen

// MarshalJSON writes the amount as a JSON string in yuan, such as "11.22".
func (y Yuan) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 24)
	b = append(b, '"')
	b = couponkit.Fen(y).AppendYuan(b)
	return append(b, '"'), nil
}

// AppendText appends the amount in yuan with two decimals, such as 11.22.
func (y Yuan) AppendText(b []byte) ([]byte, error) { return couponkit.Fen(y).AppendYuan(b), nil }

// MarshalText returns the amount in yuan with two decimals, such as 11.22.
func (y Yuan) MarshalText() ([]byte, error) { return y.AppendText(nil) }

// UnmarshalJSON reads a yuan amount from a JSON string or number; null
// leaves y as it is.
func (y *Yuan) UnmarshalJSON(b []byte) error {
	f, null, err := yuanJSON(b)
	if err == nil && !null {
		*y = Yuan(f)
	}
	return err
}

// UnmarshalText reads a yuan amount with at most two decimals; "" is 0.
func (y *Yuan) UnmarshalText(b []byte) error {
	f, err := yuanText(b)
	if err == nil {
		*y = Yuan(f)
	}
	return err
}

// YuanNumber is an amount written in yuan as a JSON number with two
// decimals: 1122 fen is 11.22 (and 1100 fen is 11.00, exactly as a vendor's
// BigDecimal prints it). It reads what [Yuan] reads.
type YuanNumber couponkit.Fen

// MarshalJSON writes the amount as a JSON number in yuan, such as 11.22.
func (y YuanNumber) MarshalJSON() ([]byte, error) { return couponkit.Fen(y).AppendYuan(nil), nil }

// AppendText appends the amount in yuan with two decimals, such as 11.22.
func (y YuanNumber) AppendText(b []byte) ([]byte, error) { return couponkit.Fen(y).AppendYuan(b), nil }

// MarshalText returns the amount in yuan with two decimals, such as 11.22.
func (y YuanNumber) MarshalText() ([]byte, error) { return y.AppendText(nil) }

// UnmarshalJSON reads a yuan amount from a JSON number or string; null
// leaves y as it is.
func (y *YuanNumber) UnmarshalJSON(b []byte) error {
	f, null, err := yuanJSON(b)
	if err == nil && !null {
		*y = YuanNumber(f)
	}
	return err
}

// UnmarshalText reads a yuan amount with at most two decimals; "" is 0.
func (y *YuanNumber) UnmarshalText(b []byte) error {
	f, err := yuanText(b)
	if err == nil {
		*y = YuanNumber(f)
	}
	return err
}

var errYuan = errors.New("not a yuan amount with at most two decimals")

func yuanJSON(b []byte) (f couponkit.Fen, null bool, err error) {
	text, _, null, err := scalar(b)
	if err != nil || null {
		return 0, null, err
	}
	f, err = yuanText(text)
	return f, false, err
}

// yuanText parses a decimal yuan amount into fen exactly, as
// couponkit.ParseYuan does, without converting b to a string first.
func yuanText(b []byte) (couponkit.Fen, error) {
	if len(b) == 0 {
		return 0, nil
	}
	neg, t := false, b
	if t[0] == '-' || t[0] == '+' {
		neg, t = t[0] == '-', t[1:]
	}
	var v int64
	whole := 0
	for whole < len(t) && t[whole] != '.' {
		c := t[whole]
		if c < '0' || c > '9' || whole == 16 {
			return 0, errors.New(errYuan.Error() + ": " + quote(b))
		}
		v = v*10 + int64(c-'0')
		whole++
	}
	frac := t[whole:]
	if whole == 0 || len(frac) == 1 || len(frac) > 3 {
		return 0, errors.New(errYuan.Error() + ": " + quote(b))
	}
	for i := 1; i < 3; i++ {
		d := int64(0)
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, errors.New(errYuan.Error() + ": " + quote(b))
			}
			d = int64(c - '0')
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return couponkit.Fen(v), nil
}

// intJSON reads an integer from a JSON number or string ("" is 0); what
// names the value in errors.
func intJSON(b []byte, what string) (n int64, null bool, err error) {
	text, _, null, err := scalar(b)
	if err != nil || null {
		return 0, null, err
	}
	n, err = intText(text, what)
	return n, false, err
}

func intText(b []byte, what string) (int64, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, ok := parseInt(b)
	if !ok {
		return 0, errors.New("not an integer of " + what + ": " + quote(b))
	}
	return n, nil
}
