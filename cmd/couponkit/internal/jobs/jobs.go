// Package jobs runs bulk jobs: it reads the input rows, plans them into items
// (one request each), records every item and its idempotency key in the
// journal before sending it, sends with bounded concurrency, records each
// outcome, and resumes a job from the journal.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/progress"
)

// Kind is one kind of bulk job ("ebuy activate", "zvcms redeem"): the small
// interface the runner needs from a vendor.
type Kind interface {
	// Name is the job's kind as recorded ("activate").
	Name() string
	// Vendor is the vendor's name ("ebuy").
	Vendor() string
	// Class is how the item's request may be repeated: ClassKeyed items are
	// re-sent with their recorded key on resume; ClassUnsafe items whose
	// outcome is unknown are checked (Checker) or listed, never re-sent.
	Class() couponkit.Class
	// Columns are the CSV columns every row must have.
	Columns() []string
	// ChunkSize is how many rows go into one request.
	ChunkSize() int
	// Parse checks one row and returns its entry as JSON (what the journal
	// keeps and Send gets back).
	Parse(row csvio.Row) (json.RawMessage, error)
	// Key returns the idempotency key of a new item made of entries.
	Key(entries []json.RawMessage) string
	// Send sends one item under key. A result may come with an error (some
	// codes of a chunk failed).
	Send(ctx context.Context, key string, entries []json.RawMessage) (any, error)
	// Describe says what an item's request would do, for --dry-run.
	Describe(key string, entries []json.RawMessage) string
}

// Checker is implemented by kinds whose vendor can tell whether an item was
// applied (a query call), used on resume for unknown outcomes.
type Checker interface {
	// Check returns whether the item was applied, with what it found.
	Check(ctx context.Context, key string, entries []json.RawMessage) (applied bool, result any, err error)
}

// ErrHold, returned by Preparer.Prepare, leaves an item pending, unsent: it
// goes out on --resume, after the items it waits for are resolved.
var ErrHold = errors.New("held until --resume")

// Preparer is implemented by kinds whose vendor can tell whether an item was
// applied only against the state before it was sent (the coupons a customer
// held before an issue). Prepare reads that state; the runner journals it
// with the key (state sent) before the request goes out, and calls release
// with the item's state once its outcome is recorded. A Prepare error other
// than ErrHold records the item failed, not sent. On resume, CheckBefore is
// given the journaled state for items of unknown outcome; Unresolved is told
// of those it could not settle.
type Preparer interface {
	Prepare(ctx context.Context, key string, entries []json.RawMessage) (before json.RawMessage, release func(state string), err error)
	CheckBefore(ctx context.Context, key string, entries []json.RawMessage, before json.RawMessage) (applied bool, result any, err error)
	Unresolved(entries []json.RawMessage)
}

// beforeResult is the journaled result of a prepared item until its outcome
// is known.
type beforeResult struct {
	Before json.RawMessage `json:"before"`
}

// Options control a run.
type Options struct {
	Concurrency int
	StopOnError bool
	DryRun      bool
	// Out receives the dry-run lines and the summary; Progress the progress
	// lines (nil: none); TTY selects \r progress lines.
	Out, Progress io.Writer
	TTY           bool
	// Redact cleans error texts before they are recorded or printed.
	Redact func(string) string
	// Args are the job's arguments as recorded (never credentials).
	Args any
}

// Summary is the outcome of a run.
type Summary struct {
	Job       int64
	Items     int
	Rows      int
	States    map[string]int
	Malformed []error
	// Unresolved are the items left sent or unknown (their keys let an
	// operator check them).
	Unresolved []journal.Item
}

// OK reports whether every row was applied.
func (s *Summary) OK() bool {
	return len(s.Malformed) == 0 && len(s.Unresolved) == 0 && s.States[journal.Failed] == 0
}

type itemInput struct {
	Lines   []int             `json:"lines"`
	Entries []json.RawMessage `json:"entries"`
}

// Plan reads rows from r and groups the good ones into items of k.ChunkSize.
// Malformed rows are returned as errors naming their line; with stopOnError
// reading stops at the first.
func Plan(k Kind, r io.Reader, stopOnError bool) (items []itemInput, rows int, bad []error, err error) {
	cr, err := csvio.NewReader(r, k.Columns()...)
	if err != nil {
		return nil, 0, nil, err
	}
	size := max(k.ChunkSize(), 1)
	var cur itemInput
	for {
		row, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, rows, bad, err
		}
		rows++
		if row.Err != nil {
			bad = append(bad, row.Err)
		} else if e, perr := k.Parse(row); perr != nil {
			bad = append(bad, csvio.Bad(row.Line, "%v", perr))
		} else {
			cur.Lines = append(cur.Lines, row.Line)
			cur.Entries = append(cur.Entries, e)
			if len(cur.Entries) == size {
				items = append(items, cur)
				cur = itemInput{}
			}
		}
		if stopOnError && len(bad) > 0 {
			return items, rows, bad, nil
		}
	}
	if len(cur.Entries) > 0 {
		items = append(items, cur)
	}
	return items, rows, bad, nil
}

// Run plans the rows of r into a new job, journals it and runs it.
func Run(ctx context.Context, j *journal.Journal, k Kind, r io.Reader, o Options) (*Summary, error) {
	planned, rows, bad, err := Plan(k, r, o.StopOnError)
	if err != nil {
		return nil, err
	}
	s := &Summary{Rows: rows, Malformed: bad}
	for _, e := range bad {
		fmt.Fprintf(o.Out, "malformed: %s\n", o.redact(e.Error()))
	}
	if o.StopOnError && len(bad) > 0 {
		return s, fmt.Errorf("stopped at the first malformed row (%d rows read, nothing sent)", rows)
	}
	if o.DryRun {
		n := 0
		for _, it := range planned {
			fmt.Fprintf(o.Out, "would send %s %s: %s\n", k.Vendor(), k.Name(), o.redact(k.Describe(k.Key(it.Entries), it.Entries)))
			n += len(it.Entries)
		}
		fmt.Fprintf(o.Out, "dry run: %d request(s) for %d row(s), %d malformed; nothing sent, nothing journaled\n", len(planned), n, len(bad))
		s.Items = len(planned)
		return s, nil
	}
	id, err := j.CreateJob(ctx, k.Name(), k.Vendor(), o.Args)
	if err != nil {
		return nil, err
	}
	s.Job = id
	items := make([]journal.Item, 0, len(planned)+len(bad))
	for i, it := range planned {
		in, err := json.Marshal(it)
		if err != nil {
			return nil, err
		}
		items = append(items, journal.Item{Job: id, Seq: int64(i + 1), Input: in, Key: k.Key(it.Entries), State: journal.Pending})
	}
	for i, e := range bad {
		var re *csvio.RowError
		line := 0
		if errors.As(e, &re) {
			line = re.Line
		}
		in, _ := json.Marshal(itemInput{Lines: []int{line}})
		items = append(items, journal.Item{Job: id, Seq: int64(len(planned) + i + 1), Input: in, State: journal.Failed, Error: o.redact(e.Error())})
	}
	if err := j.AddItems(ctx, items); err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Out, "job %d: %s %s, %d request(s) for %d row(s)\n", id, k.Vendor(), k.Name(), len(planned), rows)
	return s, run(ctx, j, k, id, items[:len(planned)], o, s)
}

// Resume continues job id: pending items are sent. Items in state sent or
// unknown are first checked with k's Checker where it has one: an item
// applied is recorded checked and not sent again. The others are re-sent with
// their recorded keys when k is Keyed; Unsafe ones are re-sent only when the
// check found them not applied, otherwise listed, never blindly re-sent.
func Resume(ctx context.Context, j *journal.Journal, k Kind, id int64, o Options) (*Summary, error) {
	jb, err := j.Job(ctx, id)
	if err != nil {
		return nil, err
	}
	if jb.Kind != k.Name() || jb.Vendor != k.Vendor() {
		return nil, fmt.Errorf("job %d is %s %s, not %s %s", id, jb.Vendor, jb.Kind, k.Vendor(), k.Name())
	}
	s := &Summary{Job: id}
	todo, err := j.Items(ctx, id, journal.Pending, journal.Sent, journal.Unknown)
	if err != nil {
		return nil, err
	}
	keyed := k.Class() != couponkit.ClassUnsafe
	ch, canCheck := k.(Checker)
	pr, prepared := k.(Preparer)
	if prepared {
		canCheck = true
	}
	var send []journal.Item
	checked := 0
	for _, it := range todo {
		if it.State == journal.Pending {
			send = append(send, it)
			continue
		}
		if !canCheck {
			if keyed {
				send = append(send, it)
			}
			continue // Unsafe: listed below as unresolved, never re-sent
		}
		var in itemInput
		if err := json.Unmarshal(it.Input, &in); err != nil {
			return nil, err
		}
		var (
			applied bool
			res     any
		)
		if prepared {
			var b beforeResult
			if len(it.Result) > 0 {
				_ = json.Unmarshal(it.Result, &b)
			}
			if len(b.Before) == 0 || string(b.Before) == "null" {
				err = errors.New("no state recorded before it was sent")
			} else {
				applied, res, err = pr.CheckBefore(ctx, it.Key, in.Entries, b.Before)
			}
		} else {
			applied, res, err = ch.Check(ctx, it.Key, in.Entries)
		}
		switch {
		case err != nil:
			fmt.Fprintf(o.Out, "item %d (key %s): check failed: %s\n", it.Seq, it.Key, o.redact(err.Error()))
			if keyed {
				send = append(send, it)
			} else if prepared {
				pr.Unresolved(in.Entries)
			}
		case applied:
			if res != nil {
				b, mErr := json.Marshal(res)
				if mErr != nil {
					return nil, mErr
				}
				res = json.RawMessage(o.redact(string(b)))
			}
			if err := j.Finish(ctx, id, it.Seq, journal.Checked, res, ""); err != nil {
				return nil, err
			}
			checked++
		default:
			// Not applied: safe to send again under the same key.
			send = append(send, it)
		}
	}
	if canCheck {
		fmt.Fprintf(o.Out, "job %d: %d item(s) of unknown outcome found applied by a query\n", id, checked)
	}
	fmt.Fprintf(o.Out, "job %d: resuming %s %s, %d request(s) to send\n", id, k.Vendor(), k.Name(), len(send))
	return s, run(ctx, j, k, id, send, o, s)
}

func (o Options) redact(s string) string {
	if o.Redact != nil {
		return o.Redact(s)
	}
	return s
}

func run(ctx context.Context, j *journal.Journal, k Kind, id int64, items []journal.Item, o Options, s *Summary) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	units := 0
	for _, it := range items {
		units += entryCount(it.Input)
	}
	var bar *progress.Bar
	if o.Progress != nil {
		bar = progress.New(o.Progress, o.TTY, k.Vendor()+" "+k.Name(), units)
	}
	conc := max(o.Concurrency, 1)
	work := make(chan journal.Item)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				state, err := sendOne(ctx, j, k, it, o)
				if err != nil {
					fail(err)
					continue
				}
				n := entryCount(it.Input)
				failed := 0
				if state != journal.Done {
					failed = n
					if o.StopOnError {
						fail(fmt.Errorf("item %d %s (key %s); stopping (--stop-on-error)", it.Seq, state, it.Key))
					}
				}
				bar.Add(n, failed)
			}
		}()
	}
feed:
	for _, it := range items {
		select {
		case work <- it:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	bar.Finish()
	bg := context.WithoutCancel(ctx)
	var err error
	if s.States, err = j.Counts(bg, id); err != nil {
		return err
	}
	unres, err := j.Items(bg, id, journal.Sent, journal.Unknown)
	if err != nil {
		return err
	}
	s.Unresolved = unres
	all, err := j.MaxSeq(bg, id)
	if err != nil {
		return err
	}
	s.Items = int(all)
	printSummary(o.Out, s)
	if firstErr != nil {
		return firstErr
	}
	return nil
}

func entryCount(in json.RawMessage) int {
	var x struct {
		Entries []json.RawMessage `json:"entries"`
	}
	_ = json.Unmarshal(in, &x)
	return len(x.Entries)
}

// sendOne records the key (state sent), sends, and records the outcome. An
// error is a journal failure (the job cannot go on safely).
func sendOne(ctx context.Context, j *journal.Journal, k Kind, it journal.Item, o Options) (string, error) {
	if ctx.Err() != nil {
		return journal.Pending, nil
	}
	var in itemInput
	if err := json.Unmarshal(it.Input, &in); err != nil {
		return "", err
	}
	var before json.RawMessage
	if p, ok := k.(Preparer); ok {
		b, release, err := p.Prepare(ctx, it.Key, in.Entries)
		if errors.Is(err, ErrHold) || ctx.Err() != nil {
			if release != nil {
				release(journal.Pending)
			}
			return journal.Pending, nil
		}
		if err != nil {
			msg := "not sent: " + o.redact(err.Error())
			if ferr := j.Finish(context.WithoutCancel(ctx), it.Job, it.Seq, journal.Failed, nil, msg); ferr != nil {
				return "", ferr
			}
			return journal.Failed, nil
		}
		before = b
		var state string
		defer func() { release(state) }()
		st, err := sendItem(ctx, j, k, it, in, before, o)
		state = st
		return st, err
	}
	return sendItem(ctx, j, k, it, in, before, o)
}

func sendItem(ctx context.Context, j *journal.Journal, k Kind, it journal.Item, in itemInput, before json.RawMessage, o Options) (string, error) {
	var pre json.RawMessage
	if len(before) > 0 {
		b, err := json.Marshal(beforeResult{Before: before})
		if err != nil {
			return "", err
		}
		pre = json.RawMessage(o.redact(string(b)))
	}
	if err := j.MarkSent(ctx, it.Job, it.Seq, it.Key, pre); err != nil {
		return "", err
	}
	res, err := k.Send(ctx, it.Key, in.Entries)
	if res == nil && pre != nil {
		res = pre // an unknown outcome keeps what the check needs
	}
	state := journal.Done
	errText := ""
	if err != nil {
		errText = o.redact(err.Error())
		state = journal.Failed
		if errors.Is(err, couponkit.ErrUnknownOutcome) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			state = journal.Unknown
		}
	}
	if res != nil {
		b, mErr := json.Marshal(res)
		if mErr != nil {
			return "", mErr
		}
		res = json.RawMessage(o.redact(string(b)))
	}
	if err := j.Finish(context.WithoutCancel(ctx), it.Job, it.Seq, state, res, errText); err != nil {
		return "", err
	}
	return state, nil
}

func printSummary(w io.Writer, s *Summary) {
	keys := make([]string, 0, len(s.States))
	for st := range s.States {
		keys = append(keys, st)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, st := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", st, s.States[st]))
	}
	fmt.Fprintf(w, "job %d: %d item(s): %s\n", s.Job, s.Items, strings.Join(parts, ", "))
	for _, it := range s.Unresolved {
		fmt.Fprintf(w, "unresolved: item %d state %s key %s\n", it.Seq, it.State, it.Key)
	}
}
