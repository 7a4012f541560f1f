package leaktest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/couponkit/couponkit"
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
	got := Forms(`k&+ %"é`)
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
	got := Textual("a/b='\\\n😀?")
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

func TestValuesAreSortedByName(t *testing.T) {
	t.Parallel()
	got := Values(map[string]string{"b": "2", "a": "1", "c": "3"})
	if strings.Join(got, ",") != "1,2,3" {
		t.Errorf("got %v", got)
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
		AssertNoSecret(r, []string{"clean", tc.text}, "other-secret", secret)
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

func TestAssertNoPrefix(t *testing.T) {
	t.Parallel()
	r := &recorder{TB: t}
	AssertNoPrefix(r, []string{"cut: open/Key+ and"}, 9, `open/Key+"x"`)
	if len(r.errs) == 0 {
		t.Error("a raw prefix passed")
	}
	r = &recorder{TB: t}
	AssertNoPrefix(r, []string{"cut: open/Ke"}, 9, `open/Key+"x"`)
	if len(r.errs) != 0 {
		t.Errorf("a shorter prefix failed: %v", r.errs)
	}
	r = &recorder{TB: t}
	AssertNoPrefix(r, []string{"short"}, 9, `abc`) // no form is longer than 9
	if len(r.errs) != 0 {
		t.Errorf("got %v", r.errs)
	}
}

func TestAssertAbsent(t *testing.T) {
	t.Parallel()
	r := &recorder{TB: t}
	AssertAbsent(r, []string{"a", "sig=abc", "abc"}, "abc", "the signature")
	if len(r.errs) != 2 || !strings.Contains(r.errs[0], "the signature") {
		t.Errorf("got %v", r.errs)
	}
}

type wrapped struct{ err error }

func (w wrapped) Error() string { return "wrapped: " + w.err.Error() }
func (w wrapped) Unwrap() error { return w.err }

func TestErrorTextsWalkTheTree(t *testing.T) {
	t.Parallel()
	err := wrapped{errors.Join(errors.New("left"), wrapped{errors.New("deep")})}
	texts := strings.Join(ErrorTexts(err), "\n")
	for _, want := range []string{"wrapped: left\nwrapped: deep", "left", "deep", `leaktest.wrapped{err:`, `&errors.errorString{s:"deep"}`} {
		if !strings.Contains(texts, want) {
			t.Errorf("%q missing from\n%s", want, texts)
		}
	}
	if n := len(ErrorTexts(err)); n != 3*5 {
		t.Errorf("%d texts, want 15 (three for each of five errors)", n)
	}
	if ErrorTexts(nil) != nil {
		t.Error("texts of nil")
	}
}

func TestGatewayEchoesTheRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		g        *Gateway
		status   int
		ctype    string
		contains []string
	}{
		{"plain", &Gateway{Status: 500}, 500, "text/plain; charset=utf-8",
			[]string{"POST /p?q=1 map[", "X-Secret:[hdr]", "body=1"}},
		{"html", &Gateway{Status: 200, HTML: true, Reflect: []string{"R1", "R2"}}, 200, "text/html",
			[]string{"<html><body><pre>R1 | R2 | POST /p?q=1", "body=1</pre></body></html>"}},
		{"envelope", &Gateway{Status: 502, Envelope: func(echo string, body []byte) any {
			return map[string]string{"msg": echo, "body": string(body)}
		}}, 502, "application/json", []string{`"body":"body=1"`, `"msg":"POST /p?q=1 map[`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tc.g)
			t.Cleanup(srv.Close)
			for range 2 {
				req, err := http.NewRequest(http.MethodPost, srv.URL+"/p?q=1", strings.NewReader("body=1"))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("X-Secret", "hdr")
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.ctype {
					t.Errorf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
				}
				for _, w := range tc.contains {
					if !strings.Contains(string(b), w) {
						t.Errorf("%q missing from %s", w, b)
					}
				}
			}
			if bodies := tc.g.Bodies(); len(bodies) != 2 || string(bodies[1]) != "body=1" {
				t.Errorf("bodies %q", bodies)
			}
		})
	}
}

// stopper is a recorder whose Fatalf stops the caller, as testing's does.
type stopper struct{ recorder }

type stopped struct{}

func (s *stopper) Fatalf(format string, args ...any) {
	s.Errorf(format, args...)
	panic(stopped{})
}

func fatal(t *testing.T, f func(tb testing.TB)) (errs []string) {
	s := &stopper{recorder{TB: t}}
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(stopped); !ok {
				panic(v)
			}
		}
		errs = s.errs
	}()
	f(s)
	return nil
}

func TestTexts(t *testing.T) {
	t.Parallel()
	l, logger := NewLog()
	logger.Debug("couponkit attempt", "n", 1)
	ce := &couponkit.Error{Vendor: "v", Operation: "op", Message: "echo"}
	var texts []string
	if errs := fatal(t, func(tb testing.TB) { texts = Texts(tb, l, ce, fmt.Errorf("wrapped: %w", ce)) }); errs != nil {
		t.Fatal(errs)
	}
	if want := 3 + 3*2 + 1; len(texts) != want || texts[len(texts)-1] != l.String() {
		t.Errorf("%d texts, want %d ending with the log: %q", len(texts), want, texts)
	}
	if errs := fatal(t, func(tb testing.TB) { Texts(tb, l, ce, errors.New("plain")) }); len(errs) != 1 || !strings.Contains(errs[0], "call 2") {
		t.Errorf("a plain error passed: %v", errs)
	}
	empty, _ := NewLog()
	if errs := fatal(t, func(tb testing.TB) { Texts(tb, empty, ce) }); len(errs) != 1 || !strings.Contains(errs[0], "no attempt was logged") {
		t.Errorf("an empty log passed: %v", errs)
	}
}

func TestLogKeepsDebugLines(t *testing.T) {
	t.Parallel()
	l, logger := NewLog()
	logger.Debug("attempt", "n", 1)
	if !strings.Contains(l.String(), "level=DEBUG msg=attempt n=1") {
		t.Errorf("got %q", l.String())
	}
}
