package houcaller

import (
	"errors"

	"github.com/couponkit/couponkit/internal/wiretype"
)

// yuan is an amount in yuan that the vendor's pages require in an answer
// (the member card's payAmt, "float 必填"; a consumption record's amount,
// scoreAmt and consAmt, which echo the amounts sent): wiretype.Yuan, a JSON
// number or string with at most two decimals, except that the empty string
// is refused instead of read as 0, so that an answer blanking an amount is
// unreadable rather than read as nothing paid. Absent and null are 0, as for
// any wire type.
type yuan wiretype.Yuan

var errEmptyAmount = errors.New(`an amount "" where the vendor's page requires one`)

// UnmarshalJSON reads what wiretype.Yuan reads, but "".
func (y *yuan) UnmarshalJSON(b []byte) error {
	if string(b) == `""` {
		return errEmptyAmount
	}
	return (*wiretype.Yuan)(y).UnmarshalJSON(b)
}
