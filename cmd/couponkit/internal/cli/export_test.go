package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

func taobaoSeed() *fakeserve.Seed {
	return &fakeserve.Seed{Batches: []taobaofilmtest.Batch{{MixID: "mix1", PartnerCode: "p1", Count: 700, Seed: 7, RedeemedPercent: 20, BoundPercent: 10}}}
}

// A page is journaled done together with its result; a journal whose last
// page lacks one (a kill between two statements, as an earlier version
// wrote it) resumes from the page before, giving the same file.
func TestExportResumesPastAPageWithoutResult(t *testing.T) {
	_, env := startFake(t, "taobaofilm", taobaoSeed())
	dir := t.TempDir()
	full := filepath.Join(dir, "full.csv")
	exp := func(jp, out string, extra ...string) result {
		return run(t, env, append([]string{"taobaofilm", "export", "--mix-id", "mix1", "--partner-code", "p1", "--operate", "ALL", "--csv", out, "--journal", jp}, extra...)...)
	}
	if r := exp(filepath.Join(dir, "a.db"), full); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	want, _ := os.ReadFile(full)

	part := filepath.Join(dir, "part.csv")
	jp := filepath.Join(dir, "b.db")
	if r := exp(jp, part); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	// Cut the journal back to its first two pages, the second one done
	// without its result, and leave a half-written third page in the file.
	j, err := journal.Open(jp)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	items, err := j.Items(ctx, 1)
	if err != nil || len(items) < 4 {
		t.Fatalf("%d pages, %v", len(items), err)
	}
	var p2 exportPage
	json.Unmarshal(items[1].Result, &p2)
	if err := j.DeleteAfter(ctx, 1, 2); err != nil {
		t.Fatal(err)
	}
	if err := j.Finish(ctx, 1, 2, journal.Done, nil, ""); err != nil {
		t.Fatal(err)
	}
	j.Close()
	if err := os.Truncate(part, p2.Bytes+17); err != nil {
		t.Fatal(err)
	}

	r := run(t, env, "taobaofilm", "export", "--resume", "1", "--journal", jp)
	if r.code != 0 {
		t.Fatalf("resume: exit %d: %s %s", r.code, r.out, r.err)
	}
	got, _ := os.ReadFile(part)
	if !bytes.Equal(got, want) {
		t.Fatalf("resumed export differs: %d bytes vs %d", len(got), len(want))
	}
	// A second resume finds the export complete.
	r = run(t, env, "taobaofilm", "export", "--resume", "1", "--journal", jp)
	if r.code != 0 || !bytes.Contains([]byte(r.out), []byte("already complete")) {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
}
