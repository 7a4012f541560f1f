package journal

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T) (*Journal, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "j.db")
	j, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j, p
}

func items(n int) []Item {
	out := make([]Item, n)
	for i := range out {
		out[i] = Item{Seq: int64(i + 1), Input: []byte(`{}`), Key: "k" + string(rune('a'+i))}
	}
	return out
}

// raw opens a second connection to the file, as another process would.
func raw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A plan is one transaction: an item that cannot be inserted leaves no job.
func TestPlanIsAllOrNothing(t *testing.T) {
	j, _ := open(t)
	ctx := context.Background()
	bad := append(items(3), Item{Seq: 2, Input: []byte(`{}`)}) // seq 2 twice
	if _, err := j.Plan(ctx, JobSpec{Kind: "k", Vendor: "v"}, bad); err == nil {
		t.Fatal("a plan with a repeated seq was recorded")
	}
	if jobs, err := j.Jobs(ctx); err != nil || len(jobs) != 0 {
		t.Fatalf("jobs %v, %v", jobs, err)
	}
	l, err := j.Plan(ctx, JobSpec{Kind: "k", Vendor: "v", InputHash: "h", Source: "in.csv"}, items(3))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	jb, err := j.Job(ctx, l.Job())
	if err != nil || jb.InputHash != "h" || jb.Source != "in.csv" {
		t.Fatalf("%+v %v", jb, err)
	}
	if got, _ := j.JobsOfInput(ctx, "k", "v", "h"); len(got) != 1 {
		t.Fatalf("jobs of input: %v", got)
	}
}

// A run holding a job refuses a second one; a holder whose process is gone
// (same host) or whose heartbeat is stale (another host) is taken over, and
// the run taken over can change no item any more.
func TestLockRefusesLiveHolderTakesOverDeadOne(t *testing.T) {
	j, path := open(t)
	ctx := context.Background()
	l1, err := j.Plan(ctx, JobSpec{Kind: "k", Vendor: "v"}, items(3))
	if err != nil {
		t.Fatal(err)
	}
	defer l1.Release()
	var held *HeldError
	if _, err := j.Acquire(ctx, 1); !errors.As(err, &held) || held.Holder.PID != os.Getpid() || !strings.Contains(err.Error(), "job 1 is being run by") {
		t.Fatalf("second run: %v", err)
	}
	db := raw(t, path)
	fresh := time.Now().UTC().Format(time.RFC3339Nano)
	if _, err := db.Exec(`UPDATE runner SET host='elsewhere', heartbeat=?`, fresh); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Acquire(ctx, 1); !errors.As(err, &held) || held.Holder.Host != "elsewhere" {
		t.Fatalf("a fresh holder on another host: %v", err)
	}
	stale := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339Nano)
	if _, err := db.Exec(`UPDATE runner SET heartbeat=?`, stale); err != nil {
		t.Fatal(err)
	}
	l2, err := j.Acquire(ctx, 1)
	if err != nil {
		t.Fatalf("a stale holder was not taken over: %v", err)
	}
	if l2.TookOver == nil || l2.TookOver.Host != "elsewhere" {
		t.Fatalf("took over %+v", l2.TookOver)
	}
	if err := l1.MarkSent(ctx, 1, "ka", nil); !errors.Is(err, ErrLockLost) {
		t.Fatalf("the run taken over marked an item: %v", err)
	}
	if err := l1.Finish(ctx, 1, Done, nil, ""); !errors.Is(err, ErrLockLost) {
		t.Fatalf("the run taken over finished an item: %v", err)
	}
	if _, err := l1.Split(ctx, 1, "x", items(1)); !errors.Is(err, ErrLockLost) {
		t.Fatalf("the run taken over split an item: %v", err)
	}
	if err := l2.MarkSent(ctx, 1, "ka", nil); err != nil {
		t.Fatal(err)
	}
	l1.Release() // removes nothing: the lock is l2's
	if _, err := j.Acquire(ctx, 1); !errors.As(err, &held) {
		t.Fatalf("released by the run taken over: %v", err)
	}
	l2.Release()

	// On this host, a holder whose process is gone is taken over at once.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	l3, err := j.Acquire(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if _, err := db.Exec(`UPDATE runner SET pid=?, host=?, heartbeat=?`, dead.Process.Pid, host, fresh); err != nil {
		t.Fatal(err)
	}
	l4, err := j.Acquire(ctx, 1)
	if err != nil || l4.TookOver == nil || l4.TookOver.PID != dead.Process.Pid {
		t.Fatalf("a dead holder was not taken over: %v", err)
	}
	l4.Release()
	l3.Release()
}

// An item of unknown outcome is settled by hand with a note; a done item,
// or a job held by a live run, is refused.
func TestSettle(t *testing.T) {
	j, _ := open(t)
	ctx := context.Background()
	l, err := j.Plan(ctx, JobSpec{Kind: "k", Vendor: "v"}, items(2))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.MarkSent(ctx, 1, "ka", nil); err != nil {
		t.Fatal(err)
	}
	if err := l.Finish(ctx, 2, Done, nil, ""); err != nil {
		t.Fatal(err)
	}
	var held *HeldError
	if err := j.Settle(ctx, 1, 1, Done, "checked"); !errors.As(err, &held) {
		t.Fatalf("settled while the job runs: %v", err)
	}
	l.Release()
	if err := j.Settle(ctx, 1, 2, Failed, "checked"); err == nil || !strings.Contains(err.Error(), "is done, not of unknown outcome") {
		t.Fatalf("settled a done item: %v", err)
	}
	if err := j.Settle(ctx, 1, 1, Failed, "not in the console"); err != nil {
		t.Fatal(err)
	}
	its, _ := j.Items(ctx, 1, Failed)
	if len(its) != 1 || !strings.Contains(its[0].Note, "settled failed by ") || !strings.HasSuffix(its[0].Note, "(was sent): not in the console") {
		t.Fatalf("%+v", its)
	}
}

// A journal written before the input hash, the note and the runner lock
// existed opens with them added, its jobs intact.
func TestOldJournalOpens(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.db")
	db := raw(t, p)
	for _, q := range []string{
		`CREATE TABLE job (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, vendor TEXT NOT NULL, args TEXT NOT NULL, created TEXT NOT NULL)`,
		`CREATE TABLE item (job INTEGER NOT NULL REFERENCES job(id), seq INTEGER NOT NULL, input TEXT NOT NULL, key TEXT NOT NULL DEFAULT '', state TEXT NOT NULL, result TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '', PRIMARY KEY (job, seq))`,
		`INSERT INTO job(kind, vendor, args, created) VALUES('activate','ebuy','{}','2026-01-02T03:04:05Z')`,
		`INSERT INTO item(job, seq, input, key, state) VALUES(1, 1, '{}', 'k1', 'unknown')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	j, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ctx := context.Background()
	if err := j.Settle(ctx, 1, 1, Done, "seen"); err != nil {
		t.Fatal(err)
	}
	l, err := j.Acquire(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
}

// Errors name the journal file and say SQLite's code in words; reading
// commands never create a journal.
func TestErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	if _, err := OpenExisting(missing); err == nil || !strings.Contains(err.Error(), "journal "+missing+": no such file") {
		t.Fatalf("%v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("OpenExisting created the file")
	}
	text := filepath.Join(dir, "text.db")
	os.WriteFile(text, []byte(strings.Repeat("plain text, not SQLite\n", 100)), 0o644)
	if _, err := Open(text); err == nil || err.Error() != "journal "+text+": not a journal: the file is not an SQLite database (SQLITE_NOTADB)" {
		t.Fatalf("%v", err)
	}
	if _, err := Open(filepath.Join(dir, "no-such-folder", "j.db")); err == nil || !strings.Contains(err.Error(), "cannot open the journal file") {
		t.Fatalf("%v", err)
	}
}
