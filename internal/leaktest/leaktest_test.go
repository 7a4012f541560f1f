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
