package sign

import "crypto/subtle"

// Equal reports whether the hex signatures a and b are equal ignoring ASCII
// case. Strings of different lengths are never equal. For equal lengths the
// time taken does not depend on the contents: both strings are lower-cased
// without data-dependent branches and compared with
// [subtle.ConstantTimeCompare].
func Equal(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var sa, sb [128]byte
	la, lb := sa[:0], sb[:0]
	if len(a) > len(sa) {
		la, lb = make([]byte, 0, len(a)), make([]byte, 0, len(b))
	}
	la = appendASCIILower(la, a)
	lb = appendASCIILower(lb, b)
	return subtle.ConstantTimeCompare(la, lb) == 1
}

// appendASCIILower appends s to dst with 'A'-'Z' mapped to 'a'-'z', without
// branching on the bytes of s.
func appendASCIILower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		upper := subtle.ConstantTimeLessOrEq('A', int(c)) & subtle.ConstantTimeLessOrEq(int(c), 'Z')
		dst = append(dst, c|byte(upper<<5))
	}
	return dst
}
