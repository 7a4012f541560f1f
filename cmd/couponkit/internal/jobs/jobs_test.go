package jobs

import (
	"bytes"
	"context"
	"encoding/json"
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
func (m *memKind) Send(_ context.Context, key string, es []json.RawMessage) (any, error) {
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

func TestMalformedRowsReportedAndRestRun(t *testing.T) {
	j := open(t)
	k := &memKind{applied: map[string]int{}}
	var out bytes.Buffer
	s, err := Run(context.Background(), j, k, strings.NewReader(input), Options{Concurrency: 2, Out: &out})
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
	_, err := Run(context.Background(), j, k, strings.NewReader(input), Options{StopOnError: true, Out: &out})
	if err == nil || k.sends != 0 || !strings.Contains(out.String(), "line 4:") {
		t.Fatalf("err %v, sends %d, out %s", err, k.sends, out.String())
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	j := open(t)
	k := &memKind{applied: map[string]int{}}
	var out bytes.Buffer
	if _, err := Run(context.Background(), j, k, strings.NewReader(input), Options{DryRun: true, Out: &out}); err != nil {
		t.Fatal(err)
	}
	jobs, _ := j.Jobs(context.Background())
	if k.sends != 0 || len(jobs) != 0 || !strings.Contains(out.String(), "would send mem apply") {
		t.Fatalf("sends %d jobs %d out %s", k.sends, len(jobs), out.String())
	}
}

func TestResumeKeyedResendsUnknownWithSameKey(t *testing.T) {
	j := open(t)
	k := &memKind{class: couponkit.ClassKeyed, applied: map[string]int{}, unknownOnce: map[string]bool{"k1": true}}
	var out bytes.Buffer
	s, err := Run(context.Background(), j, k, strings.NewReader("code\nA\nB\nC\n"), Options{Out: &out})
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
		s, err := Run(context.Background(), j, k, strings.NewReader("code\nA\nB\nC\n"), Options{Out: &out})
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
	s, err := Run(context.Background(), j, k, strings.NewReader("code\nA\nB\nC\n"), Options{Out: &out})
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
