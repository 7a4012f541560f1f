// Package leaktest holds the parts of the secret-leak tests that every vendor
// package shares: the spellings a secret may be echoed in, a gateway that
// echoes whole requests back, the texts an error shows, and the assertion that
// none of them holds a secret.
//
// The spellings are written here from the standard library and from the
// escaping rules of the encoders named, not from the SDK's redactor, so that
// a test fails when the redactor misses one. Test code only.
package leaktest

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/couponkit/couponkit"
)

// Textual returns, by name, every spelling of s a gateway could echo as text:
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
func Textual(s string) map[string]string {
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

// Encoded returns, by name, the encodings of key a vendor may put it through
// on the wire: hex in both cases and Base64 in both alphabets, padded and not.
func Encoded(key string) map[string]string {
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

// Forms returns every spelling of s, Textual and Encoded, by name.
func Forms(s string) map[string]string {
	out := Textual(s)
	maps.Copy(out, Encoded(s))
	return out
}

// Values returns the spellings in forms sorted by name, for an echo that
// quotes them all.
func Values(forms map[string]string) []string {
	out := make([]string, 0, len(forms))
	for _, name := range slices.Sorted(maps.Keys(forms)) {
		out = append(out, forms[name])
	}
	return out
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

// Gateway answers every request with Status and the whole request echoed back
// (method, URL with query, headers, body), as misconfigured gateways and
// proxies do, after the texts in Reflect (a gateway quoting what it was
// configured with). With HTML the echo is an HTML page; otherwise Envelope,
// when set, wraps it in a JSON answer (the echo and the request body in,
// the value to marshal out), and without it the echo is sent as it is. It
// keeps the request bodies.
type Gateway struct {
	Status   int
	HTML     bool
	Reflect  []string
	Envelope func(echo string, body []byte) any

	mu     sync.Mutex
	bodies [][]byte
}

// ServeHTTP implements http.Handler.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	g.bodies = append(g.bodies, body)
	g.mu.Unlock()
	var b strings.Builder
	for _, s := range g.Reflect {
		b.WriteString(s + " | ")
	}
	fmt.Fprintf(&b, "%s %s %v %s", r.Method, r.URL.String(), r.Header, body)
	echo := b.String()
	switch {
	case g.HTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(g.Status)
		_, _ = io.WriteString(w, "<html><body><pre>"+echo+"</pre></body></html>")
	case g.Envelope != nil:
		out, _ := json.Marshal(g.Envelope(echo, body))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(g.Status)
		_, _ = w.Write(out)
	default:
		w.WriteHeader(g.Status)
		_, _ = io.WriteString(w, echo)
	}
}

// Bodies returns the bodies of the requests received so far.
func (g *Gateway) Bodies() [][]byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.bodies)
}

// ErrorTexts returns every text err shows: for err and every error in its
// tree, its Error(), %+v and %#v.
func ErrorTexts(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e))
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

// Texts returns every text the calls show: the ErrorTexts of each of errs,
// each of which must hold a *couponkit.Error, then everything log holds,
// which must hold a "couponkit attempt" line (the log was captured).
func Texts(t testing.TB, log *Log, errs ...error) []string {
	t.Helper()
	var out []string
	for i, err := range errs {
		var ce *couponkit.Error
		if !errors.As(err, &ce) {
			t.Fatalf("call %d: %v, not a *couponkit.Error", i+1, err)
		}
		out = append(out, ErrorTexts(err)...)
	}
	if !strings.Contains(log.String(), "couponkit attempt") {
		t.Fatalf("no attempt was logged: %q", log.String())
	}
	return append(out, log.String())
}

// AssertNoSecret fails t for every text that holds a secret in one of its
// Forms.
func AssertNoSecret(t testing.TB, texts []string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		forms := Forms(secret)
		for _, name := range slices.Sorted(maps.Keys(forms)) {
			AssertAbsent(t, texts, forms[name], fmt.Sprintf("the %s form of %q", name, secret))
		}
	}
}

// AssertNoPrefix fails t for every text that holds the first n bytes of one of
// the Forms of a secret (a quote of a body cut short), for forms longer than n.
func AssertNoPrefix(t testing.TB, texts []string, n int, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		forms := Forms(secret)
		for _, name := range slices.Sorted(maps.Keys(forms)) {
			if f := forms[name]; len(f) > n {
				AssertAbsent(t, texts, f[:n], fmt.Sprintf("the start of the %s form of %q", name, secret))
			}
		}
	}
}

// AssertAbsent fails t for every text that holds s (what names it in the
// message): for a per-attempt secret, such as a signature, that travels in one
// spelling only.
func AssertAbsent(t testing.TB, texts []string, s, what string) {
	t.Helper()
	for i, text := range texts {
		if strings.Contains(text, s) {
			t.Errorf("%s (%q) leaked into text %d: %s", what, s, i, text)
		}
	}
}

// Log is a debug-level logger writing to memory, safe for concurrent use.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// NewLog returns an empty Log and a logger writing to it at debug level.
func NewLog() (*Log, *slog.Logger) {
	l := &Log{}
	return l, slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Write implements io.Writer.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
