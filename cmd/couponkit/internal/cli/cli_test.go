package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/ebuy"
)

var update = flag.Bool("update", false, "rewrite the golden files")

type result struct {
	code     int
	out, err string
}

func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	return result{code, out.String(), errb.String()}
}

func startFake(t *testing.T, vendor string, seed *fakeserve.Seed) (*fakeserve.Fake, map[string]string) {
	t.Helper()
	return startFakeWith(t, vendor, seed, nil)
}

func startFakeWith(t *testing.T, vendor string, seed *fakeserve.Seed, set fakeserve.Settings) (*fakeserve.Fake, map[string]string) {
	t.Helper()
	f, err := fakeserve.StartWith(vendor, "127.0.0.1:0", seed, set)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	env := map[string]string{}
	for _, kv := range f.Settings {
		env[kv[0]] = kv[1]
	}
	return f, env
}

func ebuySeed(n int) *fakeserve.Seed {
	s := &fakeserve.Seed{}
	s.Codes = append(s.Codes, struct {
		Status string `json:"status"`
		Count  int    `json:"count"`
	}{"03", n})
	return s
}

func writeCodes(t *testing.T, f *fakeserve.Fake, extra string) string {
	t.Helper()
	var b strings.Builder
	for i, r := range f.Seeded {
		b.WriteString(r[0] + "\n")
		if i == 3 && extra != "" {
			b.WriteString(extra + "\n")
		}
	}
	p := filepath.Join(t.TempDir(), "codes.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDryRunSendsNothing(t *testing.T) {
	f, env := startFake(t, "ebuy", ebuySeed(45))
	codes := writeCodes(t, f, "")
	jp := filepath.Join(t.TempDir(), "j.db")
	before := f.RequestCount()
	r := run(t, env, "ebuy", "activate", "--from", codes, "--dry-run", "--journal", jp)
	if r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	if n := f.RequestCount() - before; n != 0 {
		t.Fatalf("dry run sent %d requests", n)
	}
	if strings.Count(r.out, "would send ebuy activate") != 3 {
		t.Fatalf("output:\n%s", r.out)
	}
	if _, err := os.Stat(jp); err == nil {
		t.Fatal("dry run created a journal")
	}
}

func TestMalformedRowReportedRestApplied(t *testing.T) {
	f, env := startFake(t, "ebuy", ebuySeed(30))
	codes := writeCodes(t, f, "two,fields\nbad code")
	jp := filepath.Join(t.TempDir(), "j.db")
	r := run(t, env, "ebuy", "activate", "--from", codes, "--journal", jp)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (a malformed row): %s %s", r.code, r.out, r.err)
	}
	if !strings.Contains(r.out, "malformed: line 5:") {
		t.Fatalf("no line number in:\n%s", r.out)
	}
	for _, row := range f.Seeded[1:] {
		st := codeStatus(t, f, env, row[0])
		if st != ebuy.StatusUnused {
			t.Errorf("code %s status %s, want 00", row[0], st)
		}
	}
	// --stop-on-error stops before sending anything.
	f2, env2 := startFake(t, "ebuy", ebuySeed(30))
	codes2 := writeCodes(t, f2, "bad code")
	before := f2.RequestCount()
	r = run(t, env2, "ebuy", "activate", "--from", codes2, "--journal", jp, "--stop-on-error")
	if r.code != 1 || f2.RequestCount() != before || !strings.Contains(r.out, "line 5:") {
		t.Fatalf("stop-on-error: exit %d, %d requests, out %s err %s", r.code, f2.RequestCount()-before, r.out, r.err)
	}
}

func codeStatus(t *testing.T, f *fakeserve.Fake, env map[string]string, code string) ebuy.CodeStatus {
	t.Helper()
	c, err := ebuy.NewClient(ebuy.Config{Gateway: env["EBUY_GATEWAY"], AppID: env["EBUY_APP_ID"], AppSecret: env["EBUY_APP_SECRET"], BrandID: env["EBUY_BRAND_ID"]})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h, err := c.CodeHistory(t.Context(), &ebuy.CodeHistoryRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	st := ebuy.StatusNotActivated
	for _, r := range h.Records {
		if r.Type == "3" {
			st = ebuy.StatusUnused
		}
	}
	return st
}

func TestCredentialsNeverShown(t *testing.T) {
	f, env := startFake(t, "ebuy", ebuySeed(25))
	codes := writeCodes(t, f, "bad code")
	jp := filepath.Join(t.TempDir(), "j.db")
	secret := env["EBUY_APP_SECRET"]
	runs := []result{
		run(t, env, "ebuy", "activate", "--from", codes, "--journal", jp),
		run(t, env, "ebuy", "activate", "--from", codes, "--journal", jp, "--dry-run"),
		run(t, env, "journal", "export", "--journal", jp),
		run(t, env, "journal", "show", "--journal", jp, "--job", "1"),
		run(t, env, "ebuy", "history", "--code", f.Seeded[1][0]),
	}
	// A wrong secret makes every request fail: the error texts must not carry it.
	bad := map[string]string{}
	for k, v := range env {
		bad[k] = v
	}
	bad["EBUY_APP_SECRET"] = "not-the-secret-0123456789abcdef"
	runs = append(runs, run(t, bad, "ebuy", "activate", "--from", codes, "--journal", jp))
	for i, r := range runs {
		for _, s := range []string{secret, bad["EBUY_APP_SECRET"]} {
			if strings.Contains(r.out, s) || strings.Contains(r.err, s) {
				t.Errorf("run %d shows a secret:\n%s\n%s", i, r.out, r.err)
			}
		}
	}
	raw, err := os.ReadFile(jp)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(jp + "-wal")
	for _, s := range []string{secret, bad["EBUY_APP_SECRET"]} {
		if bytes.Contains(raw, []byte(s)) || bytes.Contains(wal, []byte(s)) {
			t.Errorf("journal holds a secret")
		}
	}
}

func TestZvcmsRedeemKeyedByBizID(t *testing.T) {
	seed := &fakeserve.Seed{Count: 3}
	f, env := startFake(t, "zvcms", seed)
	var b strings.Builder
	b.WriteString("biz_id,customer_id,card_ids,order_no,amount\n")
	for i, r := range f.Seeded[1:] {
		fmt.Fprintf(&b, "biz-%d,%s,%s,order-%d,1.50\n", i, r[0], r[1], i)
	}
	b.WriteString("biz-x,,nocard,o,1\n")
	p := filepath.Join(t.TempDir(), "r.csv")
	os.WriteFile(p, []byte(b.String()), 0o644)
	jp := filepath.Join(t.TempDir(), "j.db")
	r := run(t, env, "zvcms", "redeem", "--from", p, "--journal", jp, "--channel", "naixue")
	if r.code != 1 || !strings.Contains(r.out, "line 5: empty customer_id") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.out, r.err)
	}
	j, err := journal.Open(jp)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	items, err := j.Items(t.Context(), 1, journal.Done)
	if err != nil || len(items) != 3 || items[0].Key != "biz-0" {
		t.Fatalf("items %+v %v", items, err)
	}
}

func TestReconcileCommand(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "o.csv"), []byte("order_no,amount\nA,1.00\nB,2.00\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "r.csv"), []byte("order_no,amount,code\nA,1.00,c1\nB,2.01,c2\nC,3,c3\n"), 0o644)
	r := run(t, nil, "reconcile", "--orders", filepath.Join(dir, "o.csv"), "--redemptions", filepath.Join(dir, "r.csv"))
	golden(t, "reconcile.golden", r.out)
	if r.code != 1 {
		t.Fatalf("exit %d", r.code)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestHelpGolden(t *testing.T) {
	cases := [][]string{
		{"--help"},
		{"fake", "ebuy", "-h"},
		{"ebuy", "activate", "-h"},
		{"ebuy", "status", "-h"},
		{"ebuy", "history", "-h"},
		{"zvcms", "redeem", "-h"},
		{"zvcms", "write-off-coupon", "-h"},
		{"zvcms", "reverse", "-h"},
		{"zvcms", "issue", "-h"},
		{"zvcms", "coupons", "-h"},
		{"ebuy", "make-codes", "-h"},
		{"ebuy", "make-codes", "--from", "x.csv", "-h"},
		{"taobaofilm", "send-codes", "--from", "x.csv", "-h"},
		{"houcaller", "record-consumption", "--from", "x.csv", "-h"},
		{"houcaller", "coupons", "-h"},
		{"houcaller", "points", "-h"},
		{"fake", "houcaller", "-h"},
		{"taobaofilm", "export", "-h"},
		{"reconcile", "-h"},
		{"journal", "show", "-h"},
		{"journal", "unknown", "-h"},
		{"journal", "export", "-h"},
		{"journal", "settle", "-h"},
	}
	for _, args := range cases {
		name := strings.ReplaceAll(strings.ReplaceAll(strings.Trim(strings.Join(args, "_"), "-"), "-", ""), ".", "") + ".golden"
		t.Run(name, func(t *testing.T) {
			r := run(t, nil, args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			golden(t, "help_"+name, r.out)
		})
	}
}
