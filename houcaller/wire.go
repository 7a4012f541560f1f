package houcaller

import (
	"errors"
	"strconv"

	"github.com/couponkit/couponkit/internal/transport"
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

// checkList is the Complete of a listing: the list (name, such as
// "data.list") must be there, empty for none, and has must hold for every
// element, which otherwise lacks member (its key, such as "cardNo").
func checkList[W any](list []W, name, member string, has func(*W) bool) error {
	if list == nil {
		return transport.Missing(name)
	}
	for i := range list {
		if !has(&list[i]) {
			return transport.Missing(member + " of " + name + "[" + strconv.Itoa(i) + "]")
		}
	}
	return nil
}

// convertList converts each element of a listing with conv, in order; nil
// for none.
func convertList[W, T any](list []W, conv func(*W) T) []T {
	if len(list) == 0 {
		return nil
	}
	out := make([]T, len(list))
	for i := range list {
		out[i] = conv(&list[i])
	}
	return out
}
