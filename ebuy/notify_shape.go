package ebuy

import (
	"errors"
	"strconv"

	"github.com/couponkit/couponkit/ebuy/internal/wire"
)

// maxTimestampDigits bounds a notification's timestamp: epoch milliseconds
// have 13 digits until the year 2286.
const maxTimestampDigits = 16

// checkNotifyShape checks the top-level fields of a notification before its
// sign is trusted, and returns the raw value read as its timestamp.
//
// e-Buy's sign joins k=v pairs with '&' without escaping, so the signed text
// does not fix where one field ends: a genuine body rewritten with
// "timestamp":"<ms>&uuid=<uuid>" and no uuid field signs the same text. Such
// a body is refused here: every top-level key and string value must be free
// of '&' and '=', the uuid must be a non-empty string, the timestamp a
// number, and the fields the event is read from must have their JSON types
// (a value split at an '&' inside an object or array could only become a
// string).
func checkNotifyShape(fields []wire.Field) (timestamp []byte, err error) {
	if err := wire.CheckSeparators(fields); err != nil {
		return nil, err
	}
	uuid := wire.Get(fields, "uuid")
	if len(uuid) < 3 || uuid[0] != '"' || wire.String(fields, "uuid") == "" {
		return nil, errors.New("uuid missing, empty or not a string")
	}
	content := wire.Get(fields, "content")
	if content != nil && !isKind(content, '{') {
		return nil, errors.New("content is not an object")
	}
	for _, k := range [...]string{"channelInfoList", "items"} {
		if v := wire.Get(fields, k); v != nil && !isKind(v, '[') {
			return nil, errors.New(k + " is not an array")
		}
	}
	if v := wire.Get(fields, "notifyParam"); v != nil && !isKind(v, '{') && !isKind(v, '[') {
		return nil, errors.New("notifyParam is not an object or an array")
	}
	ts := wire.Get(fields, "timestamp")
	name := "timestamp"
	if ts == nil && content == nil {
		// The flat layout (page 31fef-pMS) prints no timestamp, only
		// createDate (通知时间).
		ts, name = wire.Get(fields, "createDate"), "createDate"
	}
	if !numeric(ts) {
		return nil, errors.New(name + " missing or not a number of milliseconds")
	}
	return ts, nil
}

// isKind reports whether the raw JSON value v starts with c ('{' or '[').
func isKind(v []byte, c byte) bool { return len(v) > 0 && v[0] == c }

// numeric reports whether v is a non-negative JSON integer, or a JSON string
// of digits, of at most maxTimestampDigits digits.
func numeric(v []byte) bool {
	s := string(v)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	if s == "" || len(s) > maxTimestampDigits {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}
