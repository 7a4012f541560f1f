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
// sign is trusted, and returns the raw value read as its timestamp: the
// timestamp, else (flat layout) the createDate, else nil.
//
// e-Buy's sign joins k=v pairs with '&' without escaping, so the signed text
// does not fix where one field ends: a genuine body rewritten with
// "timestamp":"<ms>&uuid=<uuid>" and no uuid field signs the same text. Such
// a body is refused here: every top-level key and string value must be free
// of '&' and '=', the uuid must be a non-empty string, a timestamp (required
// in an envelope) a number, and the fields the event is read from must have
// their JSON types (a value split at an '&' inside an object or array could
// only become a string).
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
	if content != nil {
		// Every envelope page prints a timestamp, required.
		if !numeric(ts) {
			return nil, errors.New("timestamp missing or not a number of milliseconds")
		}
		return ts, nil
	}
	// The flat layout: the pages print channelInfoList (required) and
	// items, and no timestamp. The void page (31fef-pMS) prints createDate
	// (通知时间), which its revision 4837 replaces with verifyScene; the
	// status-change page (6ea9a) prints neither. A time that is sent must
	// be a number; a body without any carries channelInfoList or items.
	for _, k := range [...]string{"timestamp", "createDate"} {
		v := wire.Get(fields, k)
		if v == nil || string(v) == "null" {
			continue
		}
		if !numeric(v) {
			return nil, errors.New(k + " not a number of milliseconds")
		}
		if ts == nil {
			ts = v
		}
	}
	if ts == nil && wire.Get(fields, "channelInfoList") == nil && wire.Get(fields, "items") == nil {
		return nil, errors.New("no content, timestamp, createDate, channelInfoList or items")
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
