package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "couponkit")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startFake runs `couponkit fake vendor` as its own process and returns the
// settings it prints.
func startFake(t *testing.T, bin, vendor string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"fake", vendor}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	want := map[string]int{"ebuy": 4, "taobaofilm": 3}[vendor]
	var env []string
	sc := bufio.NewScanner(stdout)
	for len(env) < want && sc.Scan() {
		env = append(env, sc.Text())
	}
	if len(env) < want {
		t.Fatalf("fake printed %v", env)
	}
	return env
}

// waitDone polls the journal until job 1 has at least n items done, for at
// most two minutes (a loaded machine), failing if the job ends first.
func waitDone(t *testing.T, path string, n int, exited <-chan error) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			t.Fatalf("job ended before it was killed: %v", err)
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %d items done in the journal after two minutes", n)
		}
		if _, err := os.Stat(path); err != nil {
			continue
		}
		j, err := journal.Open(path)
		if err != nil {
			continue
		}
		c, err := j.Counts(context.Background(), 1)
		j.Close()
		if err == nil && c[journal.Done] >= n {
			return
		}
	}
}

func TestKillAndResumeAppliesEveryCodeOnce(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	codes := filepath.Join(dir, "codes.csv")
	os.WriteFile(seed, []byte(`{"codes":[{"status":"03","count":300}]}`), 0o644)
	env := append(os.Environ(), startFake(t, bin, "ebuy", "--seed", seed, "--codes-csv", codes)...)
	jp := filepath.Join(dir, "journal.db")

	job := exec.Command(bin, "ebuy", "activate", "--from", codes, "--journal", jp, "--chunk", "5", "--concurrency", "3", "--rate", "40")
	job.Env = env
	var out bytes.Buffer
	job.Stdout, job.Stderr = &out, &out
	if err := job.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- job.Wait() }()
	waitDone(t, jp, 15, exited)
	job.Process.Signal(syscall.SIGKILL)
	<-exited

	j, err := journal.Open(jp)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := j.Counts(context.Background(), 1)
	j.Close()
	t.Logf("killed with items %v", before)
	if before[journal.Pending] == 0 {
		t.Fatalf("the job finished before the kill: %v", before)
	}

	res := exec.Command(bin, "ebuy", "activate", "--resume", "1", "--journal", jp)
	res.Env = env
	b, err := res.CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, b)
	}
	t.Logf("resume: %s", b)

	assertActivatedOnce(t, env, codes)
	j, _ = journal.Open(jp)
	after, _ := j.Counts(context.Background(), 1)
	j.Close()
	if after[journal.Done] != 60 || len(after) != 1 {
		t.Fatalf("after resume %v", after)
	}
}

// assertActivatedOnce checks, by the fake's own history, that every code
// of the CSV file codes was activated exactly once; env holds the fake's
// settings.
func assertActivatedOnce(t *testing.T, env []string, codes string) {
	t.Helper()
	f, _ := os.Open(codes)
	rows, _ := csv.NewReader(f).ReadAll()
	f.Close()
	cfg := ebuy.Config{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "EBUY_GATEWAY":
			cfg.Gateway = v
		case "EBUY_APP_ID":
			cfg.AppID = v
		case "EBUY_APP_SECRET":
			cfg.AppSecret = v
		case "EBUY_BRAND_ID":
			cfg.BrandID = v
		}
	}
	c, err := ebuy.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, r := range rows[1:] {
		h, err := c.CodeHistory(t.Context(), &ebuy.CodeHistoryRequest{Code: r[0]})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, rec := range h.Records {
			if rec.Type == "3" { // the fake's "activated" record
				n++
			}
		}
		if n != 1 {
			t.Errorf("code %s activated %d times", r[0], n)
		}
	}
}

func TestExportResumedAfterKillMatchesUninterrupted(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	os.WriteFile(seed, []byte(`{"batches":[{"MixID":"mix1","PartnerCode":"p1","Count":3000,"Seed":7,"RedeemedPercent":20,"BoundPercent":10}]}`), 0o644)
	env := append(os.Environ(), startFake(t, bin, "taobaofilm", "--seed", seed)...)
	export := func(jp, out string, extra ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"taobaofilm", "export", "--mix-id", "mix1", "--partner-code", "p1", "--operate", "ALL", "--csv", out, "--journal", jp}, extra...)...)
		cmd.Env = env
		return cmd
	}
	full := filepath.Join(dir, "full.csv")
	if b, err := export(filepath.Join(dir, "a.db"), full).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	part := filepath.Join(dir, "part.csv")
	jp := filepath.Join(dir, "b.db")
	job := export(jp, part, "--rate", "20")
	if err := job.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- job.Wait() }()
	waitDone(t, jp, 3, exited)
	job.Process.Signal(syscall.SIGKILL)
	<-exited
	res := exec.Command(bin, "taobaofilm", "export", "--resume", "1", "--journal", jp)
	res.Env = env
	if b, err := res.CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, b)
	}
	a, _ := os.ReadFile(full)
	b, _ := os.ReadFile(part)
	if !bytes.Equal(a, b) {
		t.Fatalf("resumed export differs: %d bytes vs %d", len(b), len(a))
	}
	if n := bytes.Count(a, []byte("\n")); n != 3001 {
		t.Fatalf("%d lines", n)
	}
}

// serveFake serves a vendor's fake in this process (so a test can hold and
// inspect its requests) and returns the environment a command run against it
// needs.
func serveFake(t *testing.T, vendor string, seed *fakeserve.Seed) (*fakeserve.Fake, []string) {
	t.Helper()
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

// holdNextWrite holds the next request the fake receives after the vendor
// handled it (a write takes effect): arrived is closed when it is held, and
// it is answered by a dropped connection once release is called (at the
// latest when the test ends).
func holdNextWrite(t *testing.T, f *fakeserve.Fake, skip int) (arrived <-chan struct{}, release func()) {
	a := make(chan struct{})
	held := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(held) }) }
	t.Cleanup(release) // runs before the fake's Close
	faults := make([]couponkittest.Fault, skip, skip+1)
	faults = append(faults, couponkittest.Fault{AfterHandler: true, Respond: func(http.ResponseWriter, *http.Request) {
		close(a)
		<-held
		panic(http.ErrAbortHandler)
	}})
	f.Controls.Inject(faults...)
	return a, release
}

func consumptionsCSV(t *testing.T, n int) string {
	var b strings.Builder
	b.WriteString("serial_code,member_id,order_id,amount,biz_date\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "s%d,m%d,o%d,10.00,2025-01-02\n", i, i, i)
	}
	p := filepath.Join(t.TempDir(), "consumptions.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func itemStates(t *testing.T, path string) map[string]int {
	t.Helper()
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	c, err := j.Counts(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A job is planned in one transaction: a planning that does not complete
// (here the first item's insert fails, leaving the file as a kill at that
// point would) leaves no job behind, rather than a job without items that
// --resume reports done with nothing sent.
func TestPlanningCutShortLeavesNoJob(t *testing.T) {
	bin := build(t)
	f, env := serveFake(t, "houcaller", nil)
	in := consumptionsCSV(t, 10)
	jp := filepath.Join(t.TempDir(), "journal.db")
	j, err := journal.Open(jp)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+jp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TRIGGER cut BEFORE INSERT ON item BEGIN SELECT RAISE(FAIL, 'cut short'); END`); err != nil {
		t.Fatal(err)
	}
	j.Close()
	cmd := exec.Command(bin, "houcaller", "record-consumption", "--from", in, "--journal", jp)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("planning succeeded despite the failing insert:\n%s", out)
	}
	if _, err := db.Exec(`DROP TRIGGER cut`); err != nil {
		t.Fatal(err)
	}
	var jobs int
	db.QueryRow(`SELECT COUNT(*) FROM job`).Scan(&jobs)
	db.Close()
	if jobs != 0 {
		res := exec.Command(bin, "houcaller", "record-consumption", "--resume", "1", "--journal", jp)
		res.Env = env
		b, err := res.CombinedOutput()
		t.Fatalf("%d job(s) left by a planning cut short; --resume 1: %v\n%s", jobs, err, b)
	}
	// The same input runs as a new job, every row once.
	cmd = exec.Command(bin, "houcaller", "record-consumption", "--from", in, "--journal", jp)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if n := len(f.Server.(*houcallertest.Server).Consumptions()); n != 10 {
		t.Fatalf("%d consumptions recorded, want 10", n)
	}
}

// One run per job: --resume of a job that another process is running is
// refused, naming that process, and sends nothing; once that run is killed,
// --resume takes the job over and every row is recorded once.
func TestSecondRunOfAJobRefused(t *testing.T) {
	bin := build(t)
	f, env := serveFake(t, "houcaller", nil)
	s := f.Server.(*houcallertest.Server)
	in := consumptionsCSV(t, 20)
	jp := filepath.Join(t.TempDir(), "journal.db")
	arrived, release := holdNextWrite(t, f, 0)
	a := exec.Command(bin, "houcaller", "record-consumption", "--from", in, "--journal", jp, "--concurrency", "1")
	a.Env = env
	var aout bytes.Buffer
	a.Stdout, a.Stderr = &aout, &aout
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- a.Wait() }()
	select {
	case <-arrived:
	case err := <-exited:
		t.Fatalf("the job ended before its first write arrived: %v\n%s", err, aout.String())
	}

	b := exec.Command(bin, "houcaller", "record-consumption", "--resume", "1", "--journal", jp)
	b.Env = env
	bout, err := b.CombinedOutput()
	if err == nil || !strings.Contains(string(bout), fmt.Sprintf("pid %d", a.Process.Pid)) {
		t.Errorf("a second run of job 1 was not refused naming pid %d: %v\n%s", a.Process.Pid, err, bout)
	}
	if n := len(s.Consumptions()); n != 1 {
		t.Errorf("%d consumptions recorded while job 1 ran one request", n)
	}

	// Killed with its first write held: --resume takes over at once.
	a.Process.Signal(syscall.SIGKILL)
	<-exited
	release()
	r := exec.Command(bin, "houcaller", "record-consumption", "--resume", "1", "--journal", jp)
	r.Env = env
	rout, err := r.CombinedOutput()
	if !strings.Contains(string(rout), "taking over from") || !strings.Contains(string(rout), "unresolved: item 1 state sent key s1") {
		t.Errorf("resume after the kill: %v\n%s", err, rout)
	}
	seen := map[string]int{}
	for _, c := range s.Consumptions() {
		seen[c.SerialCode] += 1 + c.Repeats
	}
	for i := 1; i <= 20; i++ {
		if k := fmt.Sprintf("s%d", i); seen[k] != 1 {
			t.Errorf("row %s sent %d times", k, seen[k])
		}
	}
}

// An item is journaled sent right before its request leaves, not before
// the rate limiter's wait: killed while its workers wait for their turn, a
// job has exactly one item sent (the one whose request the fake holds), and
// --resume sends the others, listing only that one.
func TestKilledDuringRateWaitLeavesItemsPending(t *testing.T) {
	bin := build(t)
	f, env := serveFake(t, "houcaller", nil)
	s := f.Server.(*houcallertest.Server)
	in := consumptionsCSV(t, 8)
	jp := filepath.Join(t.TempDir(), "journal.db")
	arrived, _ := holdNextWrite(t, f, 0)
	// One request at once, the next one a thousand seconds later.
	a := exec.Command(bin, "houcaller", "record-consumption", "--from", in, "--journal", jp, "--concurrency", "4", "--rate", "0.001")
	a.Env = env
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- a.Wait() }()
	select {
	case <-arrived:
	case err := <-exited:
		t.Fatalf("the job ended before its first write arrived: %v", err)
	}
	// Item 1 is journaled sent (before its request, which has arrived);
	// whatever the other workers are doing by now (taking an item, waiting
	// on the limiter), none of their requests can leave for 1000 seconds.
	waitState(t, jp, journal.Sent, 1)
	a.Process.Signal(syscall.SIGKILL)
	<-exited
	st := itemStates(t, jp)
	if st[journal.Sent]+st[journal.Unknown] != 1 || st[journal.Pending] != 7 {
		t.Fatalf("killed with one request out: items %v, want 1 sent and 7 pending", st)
	}
	r := exec.Command(bin, "houcaller", "record-consumption", "--resume", "1", "--journal", jp)
	r.Env = env
	out, _ := r.CombinedOutput()
	st = itemStates(t, jp)
	if st[journal.Done] != 7 || st[journal.Sent] != 1 || len(s.Consumptions()) != 8 || strings.Count(string(out), "unresolved:") != 1 {
		t.Fatalf("after --resume: items %v, %d consumptions:\n%s", st, len(s.Consumptions()), out)
	}
}

// waitState polls the journal until job 1 has at least n items in state.
func waitState(t *testing.T, path, state string, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for range tick.C {
		if time.Now().After(deadline) {
			t.Fatalf("no %d items %s in the journal after two minutes", n, state)
		}
		j, err := journal.Open(path)
		if err != nil {
			continue
		}
		c, err := j.Counts(context.Background(), 1)
		j.Close()
		if err == nil && c[state] >= n {
			return
		}
	}
}
