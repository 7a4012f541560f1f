package jobs

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
)

// memKind applies codes to an in-memory set; unknownOnce makes the first send
// of a key apply it and then report an unknown outcome.
type memKind struct {
	mu          sync.Mutex
	class       couponkit.Class
	applied     map[string]int
	sends       int
	unknownOnce map[string]bool
	nextKey     int
}

func (m *memKind) Name() string           { return "apply" }
func (m *memKind) Vendor() string         { return "mem" }
func (m *memKind) Class() couponkit.Class { return m.class }
func (m *memKind) Columns() []string      { return []string{"code"} }
func (m *memKind) ChunkSize() int         { return 2 }
func (m *memKind) Describe(k string, e []json.RawMessage) string {
	return fmt.Sprintf("%s %d", k, len(e))
}
func (m *memKind) Parse(r csvio.Row) (json.RawMessage, error) {
	c := r.Get("code")
	if c == "" || strings.ContainsAny(c, " x") {
		return nil, fmt.Errorf("bad code %q", c)
	}
	return json.Marshal(c)
}
func (m *memKind) Key([]json.RawMessage) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nextKey++
	return fmt.Sprintf("k%d", m.nextKey)
}
func (m *memKind) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	if err := Sending(ctx); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sends++
	for _, e := range es {
		m.applied[string(e)]++
	}
	if m.unknownOnce[key] {
		delete(m.unknownOnce, key)
		return nil, fmt.Errorf("dropped: %w", couponkit.ErrUnknownOutcome)
	}
	return map[string]int{"n": len(es)}, nil
}

type checkKind struct{ *memKind }

func (c checkKind) Check(_ context.Context, key string, es []json.RawMessage) (bool, any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applied[string(es[0])] > 0, nil, nil
}

func open(t *testing.T) *journal.Journal {
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

const input = "code\nA\nB\nbad x\nC\nD,extra\nE\n"

// Run plans input and starts it as a new job of j.
func Run(ctx context.Context, j *journal.Journal, k Kind, input string, o Options) (*Summary, error) {
	p, err := MakePlan(k, strings.NewReader(input), "in.csv", PlanOptions{StopOnError: o.StopOnError, SkipRepeats: o.SkipRepeats})
	if err != nil {
		return nil, err
	}
	return Start(ctx, j, k, p, o)
}

func TestMalformedRowsReportedAndRestRun(t *testing.T) {
	j := open(t)
	k := &memKind{applied: map[string]int{}}
	var out bytes.Buffer
	s, err := Run(context.Background(), j, k, input, Options{Concurrency: 2, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Malformed) != 2 || !strings.Contains(out.String(), "line 4:") || !strings.Contains(out.String(), "line 6:") {
		t.Fatalf("malformed %v, out:\n%s", s.Malformed, out.String())
	}
	for _, c := range []string{`"A"`, `"B"`, `"C"`, `"E"`} {
		if k.applied[c] != 1 {
			t.Errorf("%s applied %d times", c, k.applied[c])
		}
	}
	if s.States[journal.Done] != 2 || s.States[journal.Failed] != 2 {
		t.Errorf("states %v", s.States)
	}
}

func TestStopOnErrorSendsNothingAfterMalformedRow(t *testing.T) {
	j := open(t)
	k := &memKind{applied: map[string]int{}}
	var out bytes.Buffer
	_, err := Run(context.Background(), j, k, input, Options{StopOnError: true, Out: &out})
	if err == nil || k.sends != 0 || !strings.Contains(out.String(), "line 4:") {
		t.Fatalf("err %v, sends %d, out %s", err, k.sends, out.String())
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	j := open(t)
	k := &memKind{applied: map[string]int{}}
	var out bytes.Buffer
	p, err := MakePlan(k, strings.NewReader(input), "in.csv", PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	DryRun(k, p, Options{Out: &out})
	jobs, _ := j.Jobs(context.Background())
	if k.sends != 0 || len(jobs) != 0 || !strings.Contains(out.String(), "would send mem apply") {
		t.Fatalf("sends %d jobs %d out %s", k.sends, len(jobs), out.String())
	}
}

func TestResumeKeyedResendsUnknownWithSameKey(t *testing.T) {
	j := open(t)
	k := &memKind{class: couponkit.ClassKeyed, applied: map[string]int{}, unknownOnce: map[string]bool{"k1": true}}
	var out bytes.Buffer
	s, err := Run(context.Background(), j, k, "code\nA\nB\nC\n", Options{Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Unresolved) != 1 || s.Unresolved[0].Key != "k1" {
		t.Fatalf("unresolved %+v", s.Unresolved)
	}
	s, err = Resume(context.Background(), j, k, s.Job, Options{Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Unresolved) != 0 || s.States[journal.Done] != 2 {
		t.Fatalf("after resume %+v", s)
	}
	items, _ := j.Items(context.Background(), s.Job)
	if items[0].Key != "k1" {
		t.Errorf("key changed: %s", items[0].Key)
	}
}

func TestResumeUnsafeChecksOrLists(t *testing.T) {
	for _, withChecker := range []bool{false, true} {
		j := open(t)
		m := &memKind{class: couponkit.ClassUnsafe, applied: map[string]int{}, unknownOnce: map[string]bool{"k1": true}}
		var k Kind = m
		if withChecker {
			k = checkKind{m}
		}
		var out bytes.Buffer
		s, err := Run(context.Background(), j, k, "code\nA\nB\nC\n", Options{Out: &out})
		if err != nil {
			t.Fatal(err)
		}
		s, err = Resume(context.Background(), j, k, s.Job, Options{Out: &out})
		if err != nil {
			t.Fatal(err)
		}
		if m.applied[`"A"`] != 1 {
			t.Errorf("checker %v: A applied %d times", withChecker, m.applied[`"A"`])
		}
		if withChecker && (len(s.Unresolved) != 0 || s.States[journal.Checked] != 1) {
			t.Errorf("checker: %+v", s)
		}
		if !withChecker && (len(s.Unresolved) != 1 || !strings.Contains(out.String(), "unresolved: item 1 state unknown key k1")) {
			t.Errorf("no checker: %+v\n%s", s, out.String())
		}
	}
}

// A Keyed item of unknown outcome is checked first where the vendor can be
// asked: found applied, it is recorded checked and not sent again.
func TestResumeKeyedChecksBeforeResending(t *testing.T) {
	j := open(t)
	m := &memKind{class: couponkit.ClassKeyed, applied: map[string]int{}, unknownOnce: map[string]bool{"k1": true}}
	k := checkKind{m}
	var out bytes.Buffer
	s, err := Run(context.Background(), j, k, "code\nA\nB\nC\n", Options{Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	sends := m.sends
	s, err = Resume(context.Background(), j, k, s.Job, Options{Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if m.sends != sends || m.applied[`"A"`] != 1 || s.States[journal.Checked] != 1 || len(s.Unresolved) != 0 {
		t.Fatalf("sends %d→%d, A applied %d, %+v\n%s", sends, m.sends, m.applied[`"A"`], s, out.String())
	}
}

// waitKind waits, like the client's rate limiter, before each request
// leaves (before Sending): it tells waiting, then waits for gate or ctx.
type waitKind struct {
	*memKind
	waiting chan struct{}
	gate    chan struct{}
	before  func() // run before the request leaves, once through the gate
}

func (w waitKind) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	w.waiting <- struct{}{}
	select {
	case <-w.gate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if w.before != nil {
		w.before()
	}
	return w.memKind.Send(ctx, key, es)
}

// An item waiting for its turn is not journaled sent: interrupted there, it
// stays pending (never listed unknown), and --resume sends it.
func TestItemInterruptedBeforeItLeavesStaysPending(t *testing.T) {
	j := open(t)
	m := &memKind{class: couponkit.ClassUnsafe, applied: map[string]int{}}
	k := waitKind{memKind: m, waiting: make(chan struct{}), gate: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		_, err := Run(ctx, j, k, "code\nA\nB\nC\n", Options{Out: &out})
		done <- err
	}()
	<-k.waiting
	items, err := j.Items(context.Background(), 1)
	if err != nil || len(items) != 2 || items[0].State != journal.Pending {
		t.Fatalf("while waiting: %+v %v", items, err)
	}
	cancel()
	<-done
	c, _ := j.Counts(context.Background(), 1)
	if c[journal.Pending] != 2 || m.sends != 0 {
		t.Fatalf("after the interruption: %v, %d sends", c, m.sends)
	}
	close(k.gate)
	go func() {
		for range k.waiting {
		}
	}()
	s, err := Resume(context.Background(), j, k, 1, Options{Out: &out})
	close(k.waiting)
	if err != nil || s.States[journal.Done] != 2 || len(s.Unresolved) != 0 || m.sends != 2 {
		t.Fatalf("resume: %+v %v, %d sends\n%s", s, err, m.sends, out.String())
	}
}

// A run whose job was taken over (its heartbeat stale) sends nothing more:
// journaling the item sent fails, and the request does not leave.
func TestRunTakenOverSendsNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := &memKind{class: couponkit.ClassKeyed, applied: map[string]int{}}
	k := waitKind{memKind: m, waiting: make(chan struct{}, 10), gate: make(chan struct{}), before: func() {
		if _, err := db.Exec(`UPDATE runner SET token='another run'`); err != nil {
			t.Error(err)
		}
	}}
	close(k.gate)
	var out bytes.Buffer
	_, err = Run(context.Background(), j, k, "code\nA\nB\nC\n", Options{Out: &out})
	if !errors.Is(err, journal.ErrLockLost) || m.sends != 0 {
		t.Fatalf("err %v, %d sends", err, m.sends)
	}
	c, _ := j.Counts(context.Background(), 1)
	if c[journal.Pending] != 2 {
		t.Fatalf("items %v", c)
	}
}
