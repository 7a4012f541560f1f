package couponkittest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/couponkittest"
)

// The spellings of a key with a JSON-escaped quote, an HTML-escaped '&', a
// '+' and a non-ASCII rune, written out by hand.
func TestFormsOfAKey(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"raw":              `k&+ %"é`,
		"query":            `k%26%2B+%25%22%C3%A9`,
		"query lower":      `k%26%2b+%25%22%c3%a9`,
		"query %20":        `k%26%2B%20%25%22%C3%A9`,
		"path":             `k&+%20%25%22%C3%A9`,
		"path lower":       `k&+%20%25%22%c3%a9`,
		"json":             `k&+ %\"é`,
		"json html":        `k\u0026+ %\"é`,
		"query json":       `k%26%2B+%25%5C%22%C3%A9`,
		"json slash":       `k&+ %\"é`,
		"json gson":        `k\u0026+ %\"é`,
		"json dotnet":      `k\u0026\u002B %\u0022\u00E9`,
		"json ascii":       `k&+ %\"\u00e9`,
		"json ASCII":       `k&+ %\"\u00E9`,
		"json ascii html":  `k\u0026+ %\"\u00e9`,
		"json ASCII html":  `k\u0026+ %\"\u00E9`,
		"json gson ascii":  `k\u0026+ %\"\u00e9`,
		"json dotnet html": `k\u0026\u002B %\u0022é`,
		"hex":              `6b262b202522c3a9`,
		"HEX":              `6B262B202522C3A9`,
		"base64":           `ayYrICUiw6k=`,
		"base64 raw":       `ayYrICUiw6k`,
		"base64 url":       `ayYrICUiw6k=`,
		"base64 raw url":   `ayYrICUiw6k`,
	}
	got := couponkittest.SecretSpellings(`k&+ %"é`)
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: got %s, want %s", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d forms, want %d", len(got), len(want))
	}
}

// Slashes, '=' and a single quote (Gson), a backslash, a newline and a rune
// outside the BMP (a UTF-16 pair) in the JSON spellings; '/' and '?' in the URL ones.
func TestFormsOfTheRarerRunes(t *testing.T) {
	t.Parallel()
	got := couponkittest.TextSpellings("a/b='\\\n😀?")
	for name, w := range map[string]string{
		"json":        `a/b='\\\n😀?`,
		"json html":   `a/b='\\\n😀?`,
		"json slash":  `a\/b='\\\n😀?`,
		"json gson":   `a/b\u003d\u0027\\\n😀?`,
		"json ascii":  `a/b='\\\n\ud83d\ude00?`,
		"json ASCII":  `a/b='\\\n\uD83D\uDE00?`,
		"json dotnet": `a/b=\u0027\\\n\uD83D\uDE00?`,
		"query":       `a%2Fb%3D%27%5C%0A%F0%9F%98%80%3F`,
		"path":        `a%2Fb=%27%5C%0A%F0%9F%98%80%3F`,
		"query lower": `a%2fb%3d%27%5c%0a%f0%9f%98%80%3f`,
	} {
		if got[name] != w {
			t.Errorf("%s: got %s, want %s", name, got[name], w)
		}
	}
}

// recorder is a testing.TB that keeps what it was asked to report.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestAssertNoSecret(t *testing.T) {
	t.Parallel()
	const secret = `s3cr/et&`
	for _, tc := range []struct {
		text string
		want int // failures
	}{
		{"nothing here", 0},
		{"the [redacted] secret", 0},
		{"raw s3cr/et& here", 1},
		{"query s3cr%2Fet%26 here", 1},
		{"path s3cr%2Fet& here", 1},
		{"gson s3cr/et\\u0026 here", 1},
		{"hex 73336372", 0},
		{"hex 7333637222f657426", 0},
		{"hex 733363722f657426 here", 1},
		{"base64 czNjci9ldCY= here", 1},
	} {
		r := &recorder{TB: t}
		couponkittest.AssertNoSecret(r, []string{"clean", tc.text}, "other-secret", secret)
		// A raw spelling that holds another (json, query json) counts once
		// per spelling: only the number of failures matters here.
		if tc.want == 0 && len(r.errs) != 0 || tc.want > 0 && len(r.errs) == 0 {
			t.Errorf("%q: %d failures %v, want %d", tc.text, len(r.errs), r.errs, tc.want)
		}
		for _, e := range r.errs {
			if !strings.Contains(e, "text 1") {
				t.Errorf("%q: failure names another text: %s", tc.text, e)
			}
		}
	}
}
