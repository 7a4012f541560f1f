package transport

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/couponkit/couponkit/internal/jsonx"
)

// redacted replaces a secret in error texts and log lines.
const redacted = "[redacted]"

// secretForms returns s in every spelling it may travel or be echoed in: raw,
// URL-escaped (query and path escaping, upper- and lower-case percent
// escapes), JSON-escaped (as jsonx, encoding/json, Gson and ASCII-only
// encoders write it), and JSON-escaped inside a URL-escaped value. Forms
// shorter than 4 bytes are left out: redacting them would mangle ordinary text.
func secretForms(s string) []string {
	if len(s) < 4 {
		return nil
	}
	q := url.QueryEscape(s)
	p := url.PathEscape(s)
	j := string(jsonx.AppendString(nil, s))
	j = j[1 : len(j)-1]
	forms := []string{s, q, p, strings.ToLower(q), strings.ToLower(p), j, url.QueryEscape(j),
		strings.ReplaceAll(q, "+", "%20")}
	// A gateway that echoes a request in JSON escapes '/' in URLs as "\/".
	forms = append(forms, strings.ReplaceAll(j, "/", `\/`))
	// encoding/json's default escapes <, > and & as \u003c…; Gson also = and
	// '; an ASCII-only writer escapes every non-ASCII rune; each in both hex cases.
	for _, set := range []string{"", "<>&", "<>&='"} {
		for _, ascii := range []bool{false, true} {
			e := jsonEscape(s, set, ascii)
			forms = append(forms, e, upperHexEscapes(e))
		}
	}
	return forms
}

// jsonEscape writes s as the inside of a JSON string the way encoders other
// than jsonx do: runes in extra as \u00XX, and with ascii every non-ASCII rune
// as \uXXXX (UTF-16 pairs above the BMP). Hex digits are lower case.
func jsonEscape(s, extra string, ascii bool) string {
	j := string(jsonx.AppendString(nil, s))
	j = j[1 : len(j)-1]
	var b strings.Builder
	for _, r := range j {
		switch {
		case strings.ContainsRune(extra, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		case ascii && r > 0x7e:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// upperHexEscapes returns s with the hex digits of its \uXXXX escapes in upper case.
func upperHexEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+6 <= len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if b[i+1] == 'u' {
			for k := i + 2; k < i+6; k++ {
				if b[k] >= 'a' && b[k] <= 'f' {
					b[k] -= 'a' - 'A'
				}
			}
		}
		i++ // skip the escaped character: an escaped backslash before a "u" is no escape
	}
	return string(b)
}

// EncodedForms returns the wire encodings a vendor may put a secret key
// through, for vendors that send it transformed: its hex (both cases) and
// Base64 (standard and URL alphabets, padded and not).
func EncodedForms(key []byte) []string {
	h := hex.EncodeToString(key)
	return []string{h, strings.ToUpper(h),
		base64.StdEncoding.EncodeToString(key), base64.RawStdEncoding.EncodeToString(key),
		base64.URLEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key)}
}

// redactor removes a fixed set of secrets, in all their forms, from strings.
type redactor struct {
	r     *strings.Replacer
	empty bool
}

func newRedactor(secrets []string) redactor {
	var forms []string
	for _, s := range secrets {
		forms = append(forms, secretForms(s)...)
	}
	// Longest first, so that a form containing another is replaced whole.
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	forms = slices.Compact(forms)
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, redacted)
	}
	return redactor{r: strings.NewReplacer(pairs...), empty: len(pairs) == 0}
}

// replace removes the redactor's secrets and extra (per-attempt secrets, in
// all their forms) from s.
func (d redactor) replace(s string, extra []string) string {
	if !d.empty {
		s = d.r.Replace(s)
	}
	for _, e := range extra {
		for _, f := range secretForms(e) {
			s = strings.ReplaceAll(s, f, redacted)
		}
	}
	return s
}

// cause returns err with its text redacted where it could hold a secret: a
// *url.Error (whose URL may carry a session in its query) is copied with a
// redacted URL, keeping its Op and cause, so errors.Is and net.Error checks
// still work.
func (d redactor) cause(err error, extra []string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		cp := *ue
		cp.URL = d.replace(ue.URL, extra)
		if u, perr := url.Parse(cp.URL); perr == nil && u.RawQuery != "" {
			// Query values may hold what no secret list names (a signature).
			u.RawQuery = "[redacted]"
			cp.URL = u.String()
		}
		if err == error(ue) {
			return &cp
		}
		return &redactedCause{msg: d.replace(err.Error(), extra), err: &cp}
	}
	return err
}

// redactedCause is a cause whose text was redacted; it unwraps to the
// (redacted) original.
type redactedCause struct {
	msg string
	err error
}

func (r *redactedCause) Error() string { return r.msg }
func (r *redactedCause) Unwrap() error { return r.err }
