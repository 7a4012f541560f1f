package sign

import (
	"slices"
	"strings"
)

// Param is one name/value pair of a request to be signed.
type Param struct{ Key, Value string }

// SortParams sorts p by Key in ASCII (byte) order, in place. The sort is
// stable: params with equal keys keep their relative order.
func SortParams(p []Param) {
	slices.SortStableFunc(p, cmpParam)
}

func cmpParam(a, b Param) int { return strings.Compare(a.Key, b.Key) }

// sortedView returns params sorted by key. It returns params itself when it
// is already sorted and a sorted copy otherwise; params is never modified.
func sortedView(params []Param) []Param {
	if slices.IsSortedFunc(params, cmpParam) {
		return params
	}
	s := slices.Clone(params)
	SortParams(s)
	return s
}

const upperHexDigits = "0123456789ABCDEF"

// upperHex returns the uppercase hex encoding of a digest of at most 32 bytes.
func upperHex(sum []byte) string {
	var out [64]byte
	for i, b := range sum {
		out[2*i] = upperHexDigits[b>>4]
		out[2*i+1] = upperHexDigits[b&0x0f]
	}
	return string(out[:2*len(sum)])
}
