package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/ebuy"
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

	// Every code activated exactly once, by the fake's own history.
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
		h, err := c.CodeHistory(t.Context(), r[0])
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
	j, _ = journal.Open(jp)
	after, _ := j.Counts(context.Background(), 1)
	j.Close()
	if after[journal.Done] != 60 || len(after) != 1 {
		t.Fatalf("after resume %v", after)
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
