package benchkit

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// HandSlack is how many allocations one SDK call may make beyond the
// hand-written call doing the same work.
const HandSlack = 10

// Allocs returns the mean allocations of one call of f over runs calls
// (testing.AllocsPerRun, which forbids running in parallel). An error from f
// fails t.
func Allocs(t testing.TB, runs int, f func() error) float64 {
	t.Helper()
	return testing.AllocsPerRun(runs, func() {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	})
}

// Bytes returns the mean bytes one call of f allocates over runs calls, after
// one call to warm up (as testing.AllocsPerRun does). An error from f fails t.
func Bytes(t testing.TB, runs int, f func() error) uint64 {
	t.Helper()
	call := func() {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	}
	call()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		call()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}

// NoBudget is the budget of a call held to the hand-written call's
// allocations only.
var NoBudget = math.Inf(1)

// Budget logs the allocations of one SDK call (sdk) beside the hand-written
// call's (hand), and fails t if sdk is over budget or over hand + HandSlack.
//
// Allocation counts are exact without the race detector, and CI checks them
// so (go test -run Allocation, without -race). With it, the detector adds a
// few allocations of its own, not always the same number on both sides, so
// both limits get RaceSlack more.
func Budget(t testing.TB, name string, sdk, hand, budget float64) {
	t.Helper()
	slack := 0.0
	if raceEnabled {
		slack = RaceSlack
	}
	checkBudget(t, name, sdk, hand, budget, slack)
}

func checkBudget(t testing.TB, name string, sdk, hand, budget, slack float64) {
	t.Helper()
	note := ""
	if slack > 0 {
		note = fmt.Sprintf(" (+%.0f under -race)", slack)
	}
	t.Logf("%s: sdk %.0f, hand-written %.0f allocations", name, sdk, hand)
	if sdk > budget+slack {
		t.Errorf("%s: %.0f allocations, over the budget of %.0f%s", name, sdk, budget, note)
	}
	if sdk > hand+HandSlack+slack {
		t.Errorf("%s: %.0f allocations, more than the hand-written call's %.0f + %d%s", name, sdk, hand, HandSlack, note)
	}
}

// RaceSlack is how many allocations more Budget allows under the race
// detector.
const RaceSlack = 4

// RaceEnabled reports whether the race detector is on, for a budget that
// must allow more than RaceSlack under it: sync.Pool drops a quarter of
// what is put back under -race, so a call that encodes a large body with
// encoding/json rebuilds encoding/json's encode state and its buffer (and
// any pooled encoder of its own) much more often than without it.
const RaceEnabled = raceEnabled

// HTTPClient returns an http.Client on rt, or on a fresh clone of
// http.DefaultTransport when rt is nil, whose idle connections are closed
// when tb ends: the hand-written side's client, on the same transport as the
// SDK's.
func HTTPClient(tb testing.TB, rt http.RoundTripper) *http.Client {
	hc := &http.Client{Transport: rt}
	if rt == nil {
		hc.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	tb.Cleanup(hc.CloseIdleConnections)
	return hc
}

// MemoryURL is the base URL of the in-memory transport's requests: no name
// that resolves.
const MemoryURL = "http://bench.invalid"

// Matrix runs, for every Encoding of answer, the paired benchmarks of one
// call on two networks: net=loopback against a local server (base is its
// URL) and net=memory against a RoundTripper (rt, base MemoryURL). path is
// appended to base. sides returns the SDK call, the hand-written call and the
// hand-built request through bare resty against rt (nil: the network) and
// url. The sub-benchmarks are named prefix/net=…/enc=…/suffix (prefix and
// suffix left out when empty) and then /vs=handwritten and /vs=resty.
func Matrix(b *testing.B, answer []byte, path, prefix, suffix string, sides func(rt http.RoundTripper, url string) (sdk, hand, bare func() error)) {
	b.Helper()
	each(answer, path, func(net string, enc Encoding, rt http.RoundTripper, url string) {
		sdk, hand, bare := sides(rt, url)
		name := matrixName(prefix, "net="+net, "enc="+enc.String(), suffix)
		b.Run(name+"/vs=handwritten", func(b *testing.B) { Paired(b, sdk, hand) })
		b.Run(name+"/vs=resty", func(b *testing.B) { Paired(b, sdk, bare) })
	})
}

// each calls f for every Encoding of answer on net=loopback (a local server
// serving it, closed after) and net=memory (a RoundTripper), with the URL to
// call (the server's or MemoryURL, then path).
func each(answer []byte, path string, f func(net string, enc Encoding, rt http.RoundTripper, url string)) {
	for _, enc := range Encodings {
		srv := httptest.NewServer(Handler(answer, enc))
		f("loopback", enc, nil, srv.URL+path)
		f("memory", enc, NewRoundTripper(answer, enc), MemoryURL+path)
		srv.Close()
	}
}

// matrixName joins the non-empty parts with '/'.
func matrixName(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "/")
}
