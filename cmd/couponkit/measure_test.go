//go:build measure

// The journal's figures under kills and concurrent runs, measured from
// outside with the command's own fakes:
//
//	go test -tags measure -run Measure -v ./cmd/couponkit
//	COUPONKIT_BIN=/path/to/couponkit go test -tags measure -run Measure -v ./cmd/couponkit
//
// It prints, per scenario, the double sends and the items lost or
// misreported; it asserts nothing (the tests of main_test.go do).
package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

func measureBin(t *testing.T) string {
	if b := os.Getenv("COUPONKIT_BIN"); b != "" {
		return b
	}
	return build(t)
}

func fakeEnv(t *testing.T, vendor string, seed *fakeserve.Seed) (*fakeserve.Fake, []string) {
	f, err := fakeserve.Start(vendor, "127.0.0.1:0", seed)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	env := os.Environ()
	for _, kv := range f.Settings {
		env = append(env, kv[0]+"="+kv[1])
	}
	return f, env
}

// readOnly counts job rows and item rows of job 1 without writing.
func readOnly(path string) (jobs, items int, err error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(1000)")
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	if err = db.QueryRow(`SELECT COUNT(*) FROM job`).Scan(&jobs); err != nil {
		return 0, 0, err
	}
	err = db.QueryRow(`SELECT COUNT(*) FROM item WHERE job=1`).Scan(&items)
	return jobs, items, err
}

func states(path string) map[string]int {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil
	}
	defer db.Close()
	rows, err := db.Query(`SELECT state, COUNT(*) FROM item WHERE job=1 GROUP BY state`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		rows.Scan(&s, &n)
		out[s] = n
	}
	return out
}

func waitFor(cond func() bool) bool {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

func start(t *testing.T, bin string, env []string, args ...string) (*exec.Cmd, *bytes.Buffer, <-chan error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return cmd, &out, done
}

func ebuyCodes(n int) *fakeserve.Seed {
	s := &fakeserve.Seed{}
	s.Codes = append(s.Codes, struct {
		Status string `json:"status"`
		Count  int    `json:"count"`
	}{"03", n})
	return s
}

func codesFile(t *testing.T, f *fakeserve.Fake) string {
	var b strings.Builder
	for _, r := range f.Seeded {
		b.WriteString(r[0] + "\n")
	}
	p := filepath.Join(t.TempDir(), "codes.csv")
	os.WriteFile(p, []byte(b.String()), 0o644)
	return p
}

// uuidsSentTwice counts the batchActivateCode uuids the fake received more
// than once.
func uuidsSentTwice(f *fakeserve.Fake) (twice, all int) {
	n := map[string]int{}
	for _, r := range f.Controls.Requests() {
		if r.API != "batchActivateCode" {
			continue
		}
		var env struct {
			UUID string `json:"uuid"`
		}
		json.Unmarshal(r.Body, &env)
		n[env.UUID]++
	}
	for _, c := range n {
		if c > 1 {
			twice++
		}
	}
	return twice, len(n)
}

func TestMeasurePlanKill(t *testing.T) {
	bin := measureBin(t)
	_, env := fakeEnv(t, "ebuy", nil)
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("code\n")
	for i := range 100000 {
		fmt.Fprintf(&b, "C%010d\n", i)
	}
	in := filepath.Join(dir, "codes.csv")
	os.WriteFile(in, []byte(b.String()), 0o644)
	lost := 0
	const trials = 5
	for i := range trials {
		jp := filepath.Join(dir, fmt.Sprintf("j%d.db", i))
		cmd, _, done := start(t, bin, env, "ebuy", "activate", "--from", in, "--journal", jp, "--rate", "1")
		waitFor(func() bool { j, _, err := readOnly(jp); return err == nil && j > 0 })
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		j, items, _ := readOnly(jp)
		resume := "(not resumed: every item is journaled)"
		if j > 0 && items == 0 {
			lost++
			res := exec.Command(bin, "ebuy", "activate", "--resume", "1", "--journal", jp)
			res.Env = env
			out, err := res.CombinedOutput()
			resume = fmt.Sprintf("%v %s", err, firstLine(out))
		}
		t.Logf("trial %d: jobs %d, items of job 1 %d; resume: %s", i, j, items, resume)
	}
	t.Logf("FIGURE plan-kill: %d of %d kills left a job without its items", lost, trials)
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return strings.ReplaceAll(s, "\n", " | ")
	}
	return s
}

func TestMeasureTwoRunners(t *testing.T) {
	bin := measureBin(t)
	t.Run("houcaller", func(t *testing.T) {
		f, env := fakeEnv(t, "houcaller", nil)
		var b strings.Builder
		b.WriteString("member_id,order_id,amount,biz_date\n")
		for i := range 80 {
			fmt.Fprintf(&b, "m%d,o%d,10.00,2025-01-02\n", i, i)
		}
		in := filepath.Join(t.TempDir(), "cons.csv")
		os.WriteFile(in, []byte(b.String()), 0o644)
		jp := filepath.Join(t.TempDir(), "j.db")
		_, outA, doneA := start(t, bin, env, "houcaller", "record-consumption", "--from", in, "--journal", jp, "--concurrency", "2", "--rate", "40")
		waitFor(func() bool { return states(jp)["done"] >= 5 })
		_, outB, doneB := start(t, bin, env, "houcaller", "record-consumption", "--resume", "1", "--journal", jp, "--concurrency", "2", "--rate", "40")
		errA, errB := <-doneA, <-doneB
		twice, repeats := 0, 0
		for _, c := range f.Server.(*houcallertest.Server).Consumptions() {
			if c.Repeats > 0 {
				twice++
				repeats += c.Repeats
			}
		}
		t.Logf("A: %v %s\nB: %v %s", errA, tail(outA), errB, tail(outB))
		t.Logf("FIGURE two-runners houcaller: %d of 80 rows sent twice (%d repeated requests)", twice, repeats)
	})
	t.Run("ebuy", func(t *testing.T) {
		f, env := fakeEnv(t, "ebuy", ebuyCodes(100))
		in := codesFile(t, f)
		jp := filepath.Join(t.TempDir(), "j.db")
		_, outA, doneA := start(t, bin, env, "ebuy", "activate", "--from", in, "--journal", jp, "--chunk", "1", "--concurrency", "2", "--rate", "40")
		waitFor(func() bool { return states(jp)["done"] >= 5 })
		_, outB, doneB := start(t, bin, env, "ebuy", "activate", "--resume", "1", "--journal", jp, "--concurrency", "2", "--rate", "40")
		errA, errB := <-doneA, <-doneB
		twice, all := uuidsSentTwice(f)
		t.Logf("A: %v %s\nB: %v %s", errA, tail(outA), errB, tail(outB))
		t.Logf("FIGURE two-runners ebuy: %d of %d uuids sent twice", twice, all)
	})
}

func tail(b *bytes.Buffer) string {
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) > 3 {
		lines = lines[len(lines)-3:]
	}
	return strings.Join(lines, " | ")
}

// An Unsafe job (houcaller, generated serial codes) killed while its
// workers wait on the rate limiter: items left sent or unknown, against the
// requests that reached the fake without an outcome journaled.
func TestMeasureKillInRateWait(t *testing.T) {
	bin := measureBin(t)
	f, env := fakeEnv(t, "houcaller", nil)
	var b strings.Builder
	b.WriteString("member_id,order_id,amount,biz_date\n")
	for i := range 60 {
		fmt.Fprintf(&b, "m%d,o%d,10.00,2025-01-02\n", i, i)
	}
	in := filepath.Join(t.TempDir(), "cons.csv")
	os.WriteFile(in, []byte(b.String()), 0o644)
	jp := filepath.Join(t.TempDir(), "j.db")
	cmd, _, done := start(t, bin, env, "houcaller", "record-consumption", "--from", in, "--journal", jp, "--concurrency", "8", "--rate", "4")
	waitFor(func() bool { return states(jp)["done"] >= 10 })
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	st := states(jp)
	received := len(f.Server.(*houcallertest.Server).Consumptions())
	left := received - st["done"] - st["failed"]
	t.Logf("states %v, %d requests received", st, received)
	t.Logf("FIGURE rate-wait kill: %d item(s) sent/unknown, %d request(s) left without a journaled outcome", st["sent"]+st["unknown"], left)
	res := exec.Command(bin, "houcaller", "record-consumption", "--resume", "1", "--journal", jp)
	res.Env = env
	out, _ := res.CombinedOutput()
	after := states(jp)
	t.Logf("after resume: states %v, %d requests received; %s", after, len(f.Server.(*houcallertest.Server).Consumptions()), firstLine(out))
	t.Logf("FIGURE rate-wait kill: after --resume %d item(s) listed unknown that were never sent", after["sent"]+after["unknown"]-left)
}

func TestMeasureDuplicateCodes(t *testing.T) {
	bin := measureBin(t)
	f, env := fakeEnv(t, "ebuy", ebuyCodes(45))
	var b strings.Builder
	b.WriteString("code\n")
	codes := make([]string, 0, 45)
	for _, r := range f.Seeded[1:] {
		codes = append(codes, r[0])
	}
	for i, c := range codes {
		b.WriteString(c + "\n")
		if i == 3 {
			b.WriteString(codes[3] + "\n") // repeated inside the first chunk
		}
		if i == 30 {
			b.WriteString(codes[5] + "\n") // repeated in the second chunk
		}
	}
	in := filepath.Join(t.TempDir(), "codes.csv")
	os.WriteFile(in, []byte(b.String()), 0o644)
	for _, extra := range [][]string{nil, {"--skip-repeats"}} {
		jp := filepath.Join(t.TempDir(), "j.db")
		cmd := exec.Command(bin, append([]string{"ebuy", "activate", "--from", in, "--journal", jp}, extra...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		unactivated := 0
		for _, c := range codes {
			if cs, ok := f.Server.(*ebuytest.Server).Code(c); !ok || cs.Status != ebuy.StatusUnused {
				unactivated++
			}
		}
		t.Logf("run %v: %v\n%s", extra, err, out)
		t.Logf("FIGURE duplicates %v: %d of 45 codes left unactivated", extra, unactivated)
	}
}

func TestMeasureRerun(t *testing.T) {
	bin := measureBin(t)
	f, env := fakeEnv(t, "houcaller", nil)
	var b strings.Builder
	b.WriteString("member_id,order_id,amount,biz_date\n")
	for i := range 20 {
		fmt.Fprintf(&b, "m%d,o%d,10.00,2025-01-02\n", i, i)
	}
	in := filepath.Join(t.TempDir(), "cons.csv")
	os.WriteFile(in, []byte(b.String()), 0o644)
	jp := filepath.Join(t.TempDir(), "j.db")
	for range 2 {
		cmd := exec.Command(bin, "houcaller", "record-consumption", "--from", in, "--journal", jp)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		t.Logf("run: %v %s", err, firstLine(out))
	}
	t.Logf("FIGURE rerun: 20 rows, %d consumptions recorded", len(f.Server.(*houcallertest.Server).Consumptions()))
}
