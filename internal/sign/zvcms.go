package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
)

// HMACSHA1Base64 returns the standard, padded Base64 encoding
// (base64.StdEncoding) of HMAC-SHA1 keyed by key over msg.
func HMACSHA1Base64(key, msg string) string {
	mac := hmac.New(sha1.New, []byte(key))
	mac.Write([]byte(msg))
	var sum [sha1.Size]byte
	return base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))
}

// ZvcmsToken returns the zvcms request token:
//
//	url.QueryEscape(HMACSHA1Base64(openKey, "grantCode=<g>&nonce=<n>&openId=<o>&timestamp=<t>"))
//
// The four fields appear in ASCII order of their names, values are used as
// given, and the business params are not signed. The escaping turns the
// Base64 characters '+', '/' and '=' into %2B, %2F and %3D.
//
// This algorithm is [likely], not published by the vendor: it is the one used
// by the same vendor family's public CLI, and the vendor's example token
// decodes to 20 bytes, the length of an HMAC-SHA1.
func ZvcmsToken(openKey, openID, grantCode, timestamp, nonce string) string {
	msg := "grantCode=" + grantCode + "&nonce=" + nonce + "&openId=" + openID + "&timestamp=" + timestamp
	return url.QueryEscape(HMACSHA1Base64(openKey, msg))
}
