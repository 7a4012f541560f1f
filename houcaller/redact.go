package houcaller

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// dotnetJSON returns secret JSON-escaped as System.Text.Json's default
// encoder writes it: every non-ASCII rune, every control character but
// \b \f \n \r \t, and each of <>&'"+` as \uXXXX in upper-case hex. The
// pipeline's redactor does not derive this spelling; with it, a .NET proxy
// that echoes a request cannot show the key.
func dotnetJSON(secret string) string {
	var b strings.Builder
	for _, r := range secret {
		switch {
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04X\u%04X`, r1, r2)
		case strings.ContainsRune("\b\f\n\r\t", r):
			b.WriteString(map[rune]string{'\b': `\b`, '\f': `\f`, '\n': `\n`, '\r': `\r`, '\t': `\t`}[r])
		case r >= 0x80 || r < 0x20 || strings.ContainsRune("<>&'\"+`", r):
			fmt.Fprintf(&b, `\u%04X`, r)
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
