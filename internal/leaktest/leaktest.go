// Package leaktest holds the parts of the secret-leak tests that every vendor
// package shares: the spellings a secret may be echoed in, a gateway that
// echoes whole requests back, the texts an error shows, and the assertion that
// none of them holds a secret.
//
// The spellings are couponkittest's (TextSpellings, EncodedSpellings), which
// are written from the standard library and from the escaping rules of the
// encoders named, not from the SDK's redactor, so that a test fails when the
// redactor misses one. Test code only.
package leaktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
)

// Textual returns, by name, every spelling of s a gateway could echo as
// text: couponkittest.TextSpellings.
func Textual(s string) map[string]string { return couponkittest.TextSpellings(s) }

// Encoded returns, by name, the encodings of key a vendor may put it through
// on the wire: couponkittest.EncodedSpellings.
func Encoded(key string) map[string]string { return couponkittest.EncodedSpellings(key) }

// Forms returns every spelling of s, Textual and Encoded, by name:
// couponkittest.SecretSpellings.
func Forms(s string) map[string]string { return couponkittest.SecretSpellings(s) }

// Values returns the spellings in forms sorted by name, for an echo that
// quotes them all.
func Values(forms map[string]string) []string {
	out := make([]string, 0, len(forms))
	for _, name := range slices.Sorted(maps.Keys(forms)) {
		out = append(out, forms[name])
	}
	return out
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
// Forms: couponkittest.AssertNoSecret.
func AssertNoSecret(t testing.TB, texts []string, secrets ...string) {
	t.Helper()
	couponkittest.AssertNoSecret(t, texts, secrets...)
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
