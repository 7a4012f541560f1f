package couponkittest

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// The spellings below are written from the standard library and from the
// escaping rules of the encoders named, not from the SDK's redactor, so that
// a test of your program's output (or of the SDK's) fails when a secret
// slips through in a spelling the redactor misses.

// TextSpellings returns, by name, every spelling of s a gateway or a log
// could show as text:
//   - raw;
//   - URL query and path escaped (url.QueryEscape, url.PathEscape), with
//     lower-case percent escapes too, and query escaped with %20 for a space;
//   - JSON-escaped as encoding/json writes it, with and without HTML
//     escaping, and query-escaped after that;
//   - JSON-escaped with '/' as "\/" (as PHP's json_encode writes it);
//   - JSON-escaped as Gson writes it (also = and ' as \u003d and \u0027);
//   - JSON-escaped as System.Text.Json's default encoder writes it (the
//     runes < > & ' " + and ` and every non-ASCII rune as \uXXXX, upper-case
//     hex);
//   - JSON-escaped ASCII-only (as Python's json.dumps and Jackson's
//     ESCAPE_NON_ASCII write it), with and without HTML escaping, in both hex
//     cases, and Gson's and System.Text.Json's sets with ASCII-only escaping
//     switched the other way.
func TextSpellings(s string) map[string]string {
	q, p := url.QueryEscape(s), url.PathEscape(s)
	plain, html := stdJSON(s, false), stdJSON(s, true)
	return map[string]string{
		"raw":              s,
		"query":            q,
		"query lower":      lowerPercent(q),
		"query %20":        strings.ReplaceAll(q, "+", "%20"),
		"path":             p,
		"path lower":       lowerPercent(p),
		"json":             plain,
		"json html":        html,
		"query json":       url.QueryEscape(plain),
		"json slash":       strings.ReplaceAll(plain, "/", `\/`),
		"json gson":        escapeJSON(s, `<>&='`, false, false),
		"json dotnet":      escapeJSON(s, "<>&'\"+`", true, true),
		"json ascii":       escapeJSON(s, "", true, false),
		"json ASCII":       escapeJSON(s, "", true, true),
		"json ascii html":  escapeJSON(s, "<>&", true, false),
		"json ASCII html":  escapeJSON(s, "<>&", true, true),
		"json gson ascii":  escapeJSON(s, `<>&='`, true, false),
		"json dotnet html": escapeJSON(s, "<>&'\"+`", false, true),
	}
}

// EncodedSpellings returns, by name, the encodings of key a vendor may put
// it through on the wire: hex in both cases and Base64 in both alphabets,
// padded and not.
func EncodedSpellings(key string) map[string]string {
	h := hex.EncodeToString([]byte(key))
	return map[string]string{
		"hex":            h,
		"HEX":            strings.ToUpper(h),
		"base64":         base64.StdEncoding.EncodeToString([]byte(key)),
		"base64 raw":     base64.RawStdEncoding.EncodeToString([]byte(key)),
		"base64 url":     base64.URLEncoding.EncodeToString([]byte(key)),
		"base64 raw url": base64.RawURLEncoding.EncodeToString([]byte(key)),
	}
}

// SecretSpellings returns every spelling of s, TextSpellings and
// EncodedSpellings, by name.
func SecretSpellings(s string) map[string]string {
	out := TextSpellings(s)
	maps.Copy(out, EncodedSpellings(s))
	return out
}

// AssertNoSecret fails t (with Errorf, once for each text and spelling) for
// every text that holds one of secrets in one of its SecretSpellings: for
// checking that what a program prints, logs or stores never shows a
// credential, in any encoding.
func AssertNoSecret(t testing.TB, texts []string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		forms := SecretSpellings(secret)
		for _, name := range slices.Sorted(maps.Keys(forms)) {
			for i, text := range texts {
				if strings.Contains(text, forms[name]) {
					t.Errorf("the %s form of %q (%q) leaked into text %d: %s", name, secret, forms[name], i, text)
				}
			}
		}
	}
}

// stdJSON is the inside of s marshalled by encoding/json, with or without its
// HTML escaping.
func stdJSON(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s)
	out := strings.TrimSpace(b.String())
	return out[1 : len(out)-1]
}

// escapeJSON writes s as the inside of a JSON string by the common rules ("
// and \ backslash-escaped, \n \r \t short, other controls as \u00XX), with the
// runes in extra as \u00XX, with ascii every rune above 0x7e as \uXXXX (UTF-16
// pairs above the BMP), and with upper the hex digits of every \u escape in
// upper case.
func escapeJSON(s, extra string, ascii, upper bool) string {
	format := `\u%04x`
	if upper {
		format = `\u%04X`
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case strings.ContainsRune(extra, r):
			fmt.Fprintf(&b, format, r)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(&b, format, r)
		case ascii && r > 0x7e:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, format, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lowerPercent returns s with the hex digits of its %XX escapes in lower case.
func lowerPercent(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] != '%' {
			continue
		}
		for k := i + 1; k <= i+2; k++ {
			if b[k] >= 'A' && b[k] <= 'F' {
				b[k] += 'a' - 'A'
			}
		}
		i += 2
	}
	return string(b)
}
