package sign

import (
	"crypto/sha256"
	"encoding/hex"
)

// EbuyPayload returns the exact text that e-Buy hashes for a request or
// response signature: params sorted by key in ASCII order (a sorted copy; the
// input is not modified), joined as k=v with '&', followed by '&' and the
// bare secret (no "key=" prefix). Params with an empty value are included
// as "k=". Values are used as given, so an object value such as content must
// already be its compact JSON text. The caller leaves out the sign field
// itself. With no params the result is "&" + secret.
func EbuyPayload(params []Param, secret string) []byte {
	return appendEbuyPayload(nil, sortedView(params), secret)
}

// EbuySign returns the e-Buy signature of params: the lowercase hex SHA-256
// of [EbuyPayload]. It is a plain digest, not an HMAC. params is not
// modified.
func EbuySign(params []Param, secret string) string {
	var stack [512]byte // typical requests fit; larger payloads allocate once
	sum := sha256.Sum256(appendEbuyPayload(stack[:0], sortedView(params), secret))
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}

// appendEbuyPayload appends the payload for already sorted params to dst,
// growing dst at most once.
func appendEbuyPayload(dst []byte, sorted []Param, secret string) []byte {
	n := 1 + len(secret)
	for i, p := range sorted {
		if i > 0 {
			n++
		}
		n += len(p.Key) + 1 + len(p.Value)
	}
	if cap(dst)-len(dst) < n {
		grown := make([]byte, len(dst), len(dst)+n)
		copy(grown, dst)
		dst = grown
	}
	for i, p := range sorted {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.Key...)
		dst = append(dst, '=')
		dst = append(dst, p.Value...)
	}
	dst = append(dst, '&')
	return append(dst, secret...)
}
