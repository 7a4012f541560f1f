package sign

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
)

// SuningSignInfo returns the Suning Open Platform signInfo header: the
// lowercase hex MD5 of
//
//	appSecret + appMethod + appRequestTime + appKey + versionNo + base64.StdEncoding(body)
//
// concatenated in that order, where body is the exact request body bytes sent.
func SuningSignInfo(appSecret, appMethod, appRequestTime, appKey, versionNo string, body []byte) string {
	n := len(appSecret) + len(appMethod) + len(appRequestTime) + len(appKey) + len(versionNo) +
		base64.StdEncoding.EncodedLen(len(body))
	buf := make([]byte, 0, n)
	buf = append(buf, appSecret...)
	buf = append(buf, appMethod...)
	buf = append(buf, appRequestTime...)
	buf = append(buf, appKey...)
	buf = append(buf, versionNo...)
	buf = base64.StdEncoding.AppendEncode(buf, body)
	sum := md5.Sum(buf)
	var out [2 * md5.Size]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}
