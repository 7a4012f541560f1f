package jsonx

import (
	"encoding/json"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// invalidUTF8 is how the running release's encoding/json writes a byte that
// is not UTF-8: the escape \ufffd up to Go 1.26, the replacement rune U+FFFD
// itself from Go 1.27. Both read back as U+FFFD; writing the same one keeps
// AppendStringBody's output encoding/json's, byte for byte, on every release.
var invalidUTF8 = func() string {
	b, err := json.Marshal("\xff")
	if err != nil || len(b) < 2 {
		return `\ufffd`
	}
	return string(b[1 : len(b)-1])
}()

// AppendString appends s to dst as a quoted JSON string, escaped exactly as
// encoding/json escapes it with HTML escaping off (see [AppendStringBody]).
// Vendor packages that write request bodies by hand use it so the bytes they
// sign are the bytes encoding/json would have produced.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = AppendStringBody(dst, s)
	return append(dst, '"')
}

// AppendStringBody appends the escaped contents of a JSON string, without the
// quotes: '"' and '\\' escaped, control characters as \b \f \n \r \t or \u00XX,
// each invalid UTF-8 byte as encoding/json writes it (\ufffd, or U+FFFD
// itself from Go 1.27), U+2028 and U+2029 as \u2028 and \u2029, and
// everything else ('<', '>', '&' and non-ASCII text included) as is.
func AppendStringBody(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, invalidUTF8...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(dst, s[start:]...)
}
