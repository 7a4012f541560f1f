package progress

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Not on a terminal: plain lines, one every tenth of the work and one at
// the end, with rate and time left (a clock stepped one second per call).
func TestPlainLinesGolden(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b := &Bar{w: &out, label: "ebuy activate", total: 95, now: func() time.Time { clock = clock.Add(time.Second); return clock }}
	b.start = b.now()
	for i := range 19 {
		failed := 0
		if i == 7 {
			failed = 5
		}
		b.Add(5, failed)
	}
	b.Finish()
	if IsTerminal(&out) {
		t.Fatal("a buffer is not a terminal")
	}
	p := filepath.Join("testdata", "plain.golden")
	if *update {
		os.WriteFile(p, out.Bytes(), 0o644)
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// On a terminal: one line rewritten with \r, ended by Finish.
func TestTerminalLine(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b := &Bar{w: &out, tty: true, label: "x", total: 2, now: func() time.Time { clock = clock.Add(time.Second); return clock }}
	b.start = b.now()
	b.Add(1, 0)
	b.Add(1, 0)
	b.Finish()
	want := "\rx 1/2 (50%) failed 0, 1/s, 1s left\rx 2/2 (100%) failed 0, 1/s, 0s left\rx 2/2 (100%) failed 0, 1/s, 0s left\n"
	if out.String() != want {
		t.Fatalf("got %q", out.String())
	}
}
