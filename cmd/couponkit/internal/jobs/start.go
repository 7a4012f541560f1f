package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
)

// InputRunError is the refusal to start a new job from an input already
// run as a job of the journal (the same bytes: its SHA-256).
type InputRunError struct {
	Source string
	Jobs   []journal.Job
}

func (e *InputRunError) Error() string {
	ids := make([]string, len(e.Jobs))
	for i, jb := range e.Jobs {
		ids[i] = fmt.Sprintf("%d (%s)", jb.ID, jb.Created.Local().Format("2006-01-02 15:04:05"))
	}
	last := e.Jobs[len(e.Jobs)-1].ID
	return fmt.Sprintf("%s was already run as job %s; nothing sent. Continue it with --resume %d, or pass --new-job to start another job that sends every row again",
		e.Source, strings.Join(ids, ", "), last)
}

// Check prints p's malformed and repeated rows and refuses a plan that
// cannot start: one with repeated rows (without o.SkipRepeats), or a
// malformed row with o.StopOnError. Nothing is journaled or sent.
func Check(k Kind, p *Plan, o Options) (*Summary, error) {
	s := &Summary{Rows: p.Rows, Malformed: p.Malformed, Repeats: p.Repeats}
	printProblems(k, p, o)
	return s, p.Refused(o)
}

// Refused returns why p cannot start (see Check), or nil.
func (p *Plan) Refused(o Options) error {
	if len(p.Repeats) > 0 && !o.SkipRepeats {
		return &RepeatsError{Source: p.Source, N: len(p.Repeats)}
	}
	if o.StopOnError && len(p.Malformed) > 0 {
		return fmt.Errorf("%s: stopped at the first malformed row (%d rows read, nothing sent)", p.Source, p.Rows)
	}
	return nil
}

// Start journals p as a new job (the job, its items and this run's lock in
// one transaction) and runs it. It refuses a plan with repeated rows
// (without o.SkipRepeats) and an input already run as a job of this kind
// (without o.NewJob), sending nothing.
func Start(ctx context.Context, j *journal.Journal, k Kind, p *Plan, o Options) (*Summary, error) {
	s, err := Check(k, p, o)
	if err != nil {
		return s, err
	}
	if !o.NewJob {
		if err := notRunBefore(ctx, j, k, p); err != nil {
			return s, err
		}
	}
	items, err := p.journalItems(k, o)
	if err != nil {
		return nil, err
	}
	l, err := j.Plan(ctx, journal.JobSpec{Kind: k.Name(), Vendor: k.Vendor(), Args: o.Args, InputHash: p.Hash, Source: p.Source}, items)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	s.Job = l.Job()
	fmt.Fprintf(o.Out, "job %d: %s %s from %s, %d request(s) for %d row(s)\n", s.Job, k.Vendor(), k.Name(), p.Source, len(p.items), p.Rows)
	return s, run(ctx, l, k, items[:len(p.items)], o, s)
}

// notRunBefore refuses p when its input was planned before as a job of k
// that holds items.
func notRunBefore(ctx context.Context, j *journal.Journal, k Kind, p *Plan) error {
	prev, err := j.JobsOfInput(ctx, k.Name(), k.Vendor(), p.Hash)
	if err != nil {
		return err
	}
	var withItems []journal.Job
	for _, jb := range prev {
		if n, err := j.MaxSeq(ctx, jb.ID); err != nil {
			return err
		} else if n > 0 {
			withItems = append(withItems, jb)
		}
	}
	if len(withItems) > 0 {
		return &InputRunError{Source: p.Source, Jobs: withItems}
	}
	return nil
}

// journalItems returns p's items as journaled: the requests (pending, with
// their keys), then the malformed rows (failed) and the repeats left out
// (skipped).
func (p *Plan) journalItems(k Kind, o Options) ([]journal.Item, error) {
	items := make([]journal.Item, 0, len(p.items)+len(p.Malformed)+len(p.Repeats))
	add := func(in itemInput, it journal.Item) error {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		it.Seq, it.Input = int64(len(items)+1), b
		items = append(items, it)
		return nil
	}
	for _, it := range p.items {
		if err := add(it, journal.Item{Key: k.Key(it.Entries), State: journal.Pending}); err != nil {
			return nil, err
		}
	}
	for _, e := range p.Malformed {
		var re *csvio.RowError
		line := 0
		if errors.As(e, &re) {
			line = re.Line
		}
		if err := add(itemInput{Lines: []int{line}}, journal.Item{State: journal.Failed, Error: o.redact(e.Error())}); err != nil {
			return nil, err
		}
	}
	if o.SkipRepeats {
		for _, r := range p.Repeats {
			if err := add(itemInput{Lines: []int{r.Line}}, journal.Item{State: journal.Skipped, Error: o.redact(r.Error())}); err != nil {
				return nil, err
			}
		}
	}
	return items, nil
}

// Resume continues job id, refusing while another run holds it
// (*journal.HeldError) and taking over from a run that was killed. Pending
// items are sent. Items in state sent or unknown are first checked with k's
// Checker where it has one, concurrently (o.Concurrency at once, through
// the client's rate limit): an item applied is recorded checked and not
// sent again. The others are re-sent with their recorded keys when k is
// Keyed; Unsafe ones are re-sent only when the check found them not
// applied, otherwise listed, never blindly re-sent.
func Resume(ctx context.Context, j *journal.Journal, k Kind, id int64, o Options) (*Summary, error) {
	jb, err := j.Job(ctx, id)
	if err != nil {
		return nil, err
	}
	if jb.Kind != k.Name() || jb.Vendor != k.Vendor() {
		return nil, fmt.Errorf("job %d is %s %s, not %s %s", id, jb.Vendor, jb.Kind, k.Vendor(), k.Name())
	}
	if n, err := j.MaxSeq(ctx, id); err != nil {
		return nil, err
	} else if n == 0 {
		return nil, fmt.Errorf("job %d has no items: it was killed while it was planned, before its items were journaled (nothing of it was sent); run its input again with --from", id)
	}
	l, err := j.Acquire(ctx, id)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	if l.TookOver != nil {
		fmt.Fprintf(o.Out, "job %d: taking over from %s, which is no longer running\n", id, l.TookOver)
	}
	s := &Summary{Job: id}
	todo, err := j.Items(ctx, id, journal.Pending, journal.Sent, journal.Unknown)
	if err != nil {
		return nil, err
	}
	send, err := settle(ctx, l, k, todo, o)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Out, "job %d: resuming %s %s, %d request(s) to send\n", id, k.Vendor(), k.Name(), len(send))
	return s, run(ctx, l, k, send, o, s)
}
