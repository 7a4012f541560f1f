// Package ids generates the random identifiers the vendors use as request ids
// and idempotency keys.
package ids

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// Hex returns n random bytes as 2n lowercase hex digits.
func Hex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// DatedHex returns "yyyyMMdd-" (the Beijing date of t) followed by 32 random
// hex digits, the shape of e-Buy's example uuids.
func DatedHex(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("20060102") + "-" + Hex(16)
}

// PositiveInt63 returns a random integer in [1, 2^63).
func PositiveInt63() int64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:])
		v := int64(binary.BigEndian.Uint64(b[:]) >> 1)
		if v > 0 {
			return v
		}
	}
}
