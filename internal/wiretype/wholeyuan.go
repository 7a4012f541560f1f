package wiretype

import (
	"errors"
	"strconv"

	"github.com/couponkit/couponkit"
)

// WholeYuan is an amount in whole yuan written as a JSON string of digits
// without decimals: 399900 fen is "3999", as Suning's samples write prices.
// An amount that is not a whole number of yuan cannot be written so and
// fails Marshal: a request's validate method refuses it first, naming the
// Go field. It reads what [Yuan] reads (a string or a number with at most
// two decimals); "" reads as 0. Its value is held in fen:
// couponkit.Fen(y) is the amount.
//
// Unlike the other types, it is written through encoding.TextMarshaler
// only, not json.Marshaler: encoding/json writes a TextMarshaler's text as
// a JSON string as it stands, where it scans a MarshalJSON's output once
// more (about 100 ns a value: a tenth of Suning's request encoding, which
// holds six prices).
type WholeYuan couponkit.Fen

// errNotWhole is the error of an amount with fen.
var errNotWhole = errors.New("not a whole number of yuan")

// AppendText appends the amount in yuan without decimals, such as 3999. An
// amount with fen is an error.
func (y WholeYuan) AppendText(b []byte) ([]byte, error) {
	if y%100 != 0 {
		return nil, errors.New(errNotWhole.Error() + ": " + couponkit.Fen(y).Yuan())
	}
	return strconv.AppendInt(b, int64(y/100), 10), nil
}

// MarshalText returns the amount in yuan without decimals, such as 3999;
// encoding/json writes it as the JSON string "3999".
func (y WholeYuan) MarshalText() ([]byte, error) { return y.AppendText(make([]byte, 0, 20)) }

// UnmarshalJSON reads a yuan amount from a JSON string or number; null
// leaves y as it is.
func (y *WholeYuan) UnmarshalJSON(b []byte) error {
	f, null, err := yuanJSON(b)
	if err == nil && !null {
		*y = WholeYuan(f)
	}
	return err
}

// UnmarshalText reads a yuan amount with at most two decimals; "" is 0.
func (y *WholeYuan) UnmarshalText(b []byte) error {
	f, err := yuanText(b)
	if err == nil {
		*y = WholeYuan(f)
	}
	return err
}
