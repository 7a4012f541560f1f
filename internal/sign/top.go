package sign

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
)

// TOPMethod is a Taobao Open Platform (TOP) sign_method value.
type TOPMethod string

// TOP sign methods. The constant values are the sign_method strings sent to
// the gateway.
const (
	// TOPMD5 signs with MD5(secret + s + secret).
	TOPMD5 TOPMethod = "md5"
	// TOPHMACMD5 signs with HMAC-MD5 keyed by the app secret.
	TOPHMACMD5 TOPMethod = "hmac"
	// TOPHMACSHA256 signs with HMAC-SHA256 keyed by the app secret.
	TOPHMACSHA256 TOPMethod = "hmac-sha256"
)

// errUnknownTOPMethod is wrapped by TOPSign for an unsupported method.
var errUnknownTOPMethod = errors.New("sign: unknown TOP sign method")

// TOPSign returns the TOP signature of params as UPPERCASE hex.
//
// The signed string s is every param except those with Key "sign", sorted by
// key in ASCII order and concatenated as k1v1k2v2… with raw UTF-8 values (no
// URL encoding, no separators). The digest is chosen by method: [TOPMD5]
// hashes secret+s+secret, [TOPHMACMD5] and [TOPHMACSHA256] compute an HMAC of
// s keyed by secret. File params are not signed by TOP; callers leave them
// out. An unknown method returns an error and no signature.
//
// params is not modified: when it is not already sorted, a sorted copy is
// used.
func TOPSign(method TOPMethod, params []Param, secret string) (string, error) {
	var newHash func() hash.Hash
	switch method {
	case TOPMD5:
	case TOPHMACMD5:
		newHash = md5.New
	case TOPHMACSHA256:
		newHash = sha256.New
	default:
		return "", fmt.Errorf("%w %q", errUnknownTOPMethod, string(method))
	}
	sorted := sortedView(params)
	n := 2 * len(secret)
	for _, p := range sorted {
		if p.Key != "sign" {
			n += len(p.Key) + len(p.Value)
		}
	}
	buf := make([]byte, 0, n)
	if method == TOPMD5 {
		buf = append(buf, secret...)
	}
	for _, p := range sorted {
		if p.Key == "sign" {
			continue
		}
		buf = append(buf, p.Key...)
		buf = append(buf, p.Value...)
	}
	if method == TOPMD5 {
		buf = append(buf, secret...)
		sum := md5.Sum(buf)
		return upperHex(sum[:]), nil
	}
	mac := hmac.New(newHash, []byte(secret))
	mac.Write(buf)
	return upperHex(mac.Sum(nil)), nil
}
