package benchkit

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what it was asked to report.
type recorder struct {
	testing.TB
	logs, errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestBudget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sdk, hand, budget float64
		errs              []string
	}{
		{50, 45, 60, nil},
		{60, 50, 60, nil}, // at the budget and at hand + 10
		{61, 55, 60, []string{"op: 61 allocations, over the budget of 60"}},
		{61, 50, 70, []string{"op: 61 allocations, more than the hand-written call's 50 + 10"}},
		{90, 20, 80, []string{"op: 90 allocations, over the budget of 80", "op: 90 allocations, more than the hand-written call's 20 + 10"}},
		{500, 495, NoBudget, nil},
		{1, 0, 0, []string{"op: 1 allocations, over the budget of 0"}},
		{500, 480, NoBudget, []string{"op: 500 allocations, more than the hand-written call's 480 + 10"}},
	} {
		r := &recorder{TB: t}
		checkBudget(r, "op", tc.sdk, tc.hand, tc.budget, 0)
		if fmt.Sprint(r.errs) != fmt.Sprint(tc.errs) {
			t.Errorf("%v/%v/%v: got %q, want %q", tc.sdk, tc.hand, tc.budget, r.errs, tc.errs)
		}
		if want := fmt.Sprintf("op: sdk %.0f, hand-written %.0f allocations", tc.sdk, tc.hand); len(r.logs) != 1 || r.logs[0] != want {
			t.Errorf("logs %q, want %q", r.logs, want)
		}
	}
}

func TestBudgetRaceSlack(t *testing.T) {
	t.Parallel()
	r := &recorder{TB: t}
	checkBudget(r, "op", 64, 50, 60, 4) // within both limits + 4
	checkBudget(r, "op", 65, 50, 70, 4)
	want := []string{"op: 65 allocations, more than the hand-written call's 50 + 10 (+4 under -race)"}
	if fmt.Sprint(r.errs) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", r.errs, want)
	}
}

var sink []byte

// Not parallel: testing.AllocsPerRun forbids it.
func TestAllocsAndBytes(t *testing.T) {
	none := func() error { return nil }
	three := func() error {
		for range 3 {
			sink = make([]byte, 1<<16)
		}
		return nil
	}
	if n := Allocs(t, 10, none); n != 0 {
		t.Errorf("none: %v allocations", n)
	}
	if n := Allocs(t, 10, three); n != 3 {
		t.Errorf("three: %v allocations, want 3", n)
	}
	if n := Bytes(t, 10, three); n < 3<<16 || n >= 4<<16 {
		t.Errorf("three: %d bytes, want about %d", n, 3<<16)
	}
}

func TestQuantile(t *testing.T) {
	t.Parallel()
	xs := []float64{5, 1, 4, 2, 3}
	for q, want := range map[float64]float64{0: 1, 0.1: 1, 0.5: 3, 0.9: 5, 1: 5} {
		if got := Quantile(xs, q); got != want {
			t.Errorf("q=%v: %v, want %v", q, got, want)
		}
	}
	if xs[0] != 5 {
		t.Error("Quantile sorted its argument")
	}
}

func TestMatrixName(t *testing.T) {
	t.Parallel()
	for want, parts := range map[string][]string{
		"op=X/net=memory/enc=gzip":   {"op=X", "net=memory", "enc=gzip", ""},
		"net=loopback/enc=fixed/n=1": {"", "net=loopback", "enc=fixed", "n=1"},
	} {
		if got := matrixName(parts...); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

// Every encoding on both networks answers the same body, the client seeing
// the framing the encoding names.
func TestEachServesTheAnswer(t *testing.T) {
	t.Parallel()
	answer := []byte(`{"ok":true,"pad":"` + strings.Repeat("x", 100) + `"}`)
	var seen []string
	each(answer, "/gw", func(net string, enc Encoding, rt http.RoundTripper, url string) {
		seen = append(seen, net+"/"+enc.String())
		if (net == "memory") != (rt != nil) {
			t.Errorf("%s: transport %v", net, rt)
		}
		if net == "memory" && url != "http://bench.invalid/gw" || net == "loopback" && (!strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/gw")) {
			t.Errorf("%s: url %s", net, url)
		}
		hc := HTTPClient(t, rt)
		resp, err := hc.Post(url, "application/json", strings.NewReader(`{"q":1}`))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || string(body) != string(answer) {
			t.Errorf("%s/%s: %q, %v", net, enc, body, err)
		}
		if wantLen := enc == Fixed; (resp.ContentLength == int64(len(answer))) != wantLen {
			t.Errorf("%s/%s: length %d", net, enc, resp.ContentLength)
		}
		if enc == Gzip && !resp.Uncompressed {
			t.Errorf("%s: not decompressed by the transport", net)
		}
	})
	if got := strings.Join(seen, " "); got != "loopback/fixed memory/fixed loopback/chunked memory/chunked loopback/gzip memory/gzip" {
		t.Errorf("ran %s", got)
	}
}
