package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/progress"
)

// run sends items with o.Concurrency workers under the job's lock, then
// fills s from the journal and prints it.
func run(ctx context.Context, l *journal.Lock, k Kind, items []journal.Item, o Options, s *Summary) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	units := 0
	for _, it := range items {
		units += len(decodeInput(it.Input).Entries)
	}
	var bar *progress.Bar
	if o.Progress != nil {
		bar = progress.New(o.Progress, o.TTY, k.Vendor()+" "+k.Name(), units)
	}
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
	for range max(o.Concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				if err := process(ctx, l, k, it, o, bar); err != nil {
					fail(err)
				}
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
	if err := fillSummary(context.WithoutCancel(ctx), l, s); err != nil {
		return err
	}
	printSummary(o.Out, s, l)
	return firstErr
}

// process sends one item; a chunk refused as a whole because of one of its
// rows is split and its rows are sent one by one. An error stops the run
// (a journal failure, or a failed item with --stop-on-error).
func process(ctx context.Context, l *journal.Lock, k Kind, it journal.Item, o Options, bar *progress.Bar) error {
	state, refusal, err := sendOne(ctx, l, k, it, o)
	if err != nil {
		return err
	}
	n := len(decodeInput(it.Input).Entries)
	if refusal != nil {
		children, err := split(ctx, l, k, it, refusal, o)
		if err != nil {
			return err
		}
		for _, c := range children {
			if err := process(ctx, l, k, c, o, bar); err != nil {
				return err
			}
		}
		return nil
	}
	failed := 0
	if state != journal.Done && state != journal.Pending {
		failed = n
	}
	if state != journal.Pending {
		bar.Add(n, failed)
	}
	if failed > 0 && o.StopOnError {
		return fmt.Errorf("item %d %s (key %s); stopping (--stop-on-error)", it.Seq, state, it.Key)
	}
	return nil
}

// split records it split after refusal and returns its rows as new items,
// one each, with fresh keys.
func split(ctx context.Context, l *journal.Lock, k Kind, it journal.Item, refusal error, o Options) ([]journal.Item, error) {
	in := decodeInput(it.Input)
	children := make([]journal.Item, len(in.Entries))
	for i := range in.Entries {
		var line []int
		if i < len(in.Lines) {
			line = []int{in.Lines[i]}
		}
		b, err := json.Marshal(itemInput{Lines: line, Entries: in.Entries[i : i+1]})
		if err != nil {
			return nil, err
		}
		children[i] = journal.Item{Input: b, Key: k.Key(in.Entries[i : i+1])}
	}
	msg := "refused as a whole, sent again row by row: " + o.redact(refusal.Error())
	return l.Split(context.WithoutCancel(ctx), it.Seq, msg, children)
}

// sendOne sends one item and records its outcome, returning its state. A
// chunk refused as a whole for one of its rows (see Splitter) is returned
// as refusal, nothing recorded. An error is a journal failure (the job
// cannot go on safely).
func sendOne(ctx context.Context, l *journal.Lock, k Kind, it journal.Item, o Options) (state string, refusal error, err error) {
	if ctx.Err() != nil {
		return journal.Pending, nil, nil
	}
	in := decodeInput(it.Input)
	p, ok := k.(Preparer)
	if !ok {
		return sendItem(ctx, l, k, it, in, nil, o)
	}
	before, release, err := p.Prepare(ctx, it.Key, in.Entries)
	if errors.Is(err, ErrHold) || ctx.Err() != nil {
		if release != nil {
			release(journal.Pending)
		}
		return journal.Pending, nil, nil
	}
	if err != nil {
		msg := "not sent: " + o.redact(err.Error())
		if ferr := l.Finish(context.WithoutCancel(ctx), it.Seq, journal.Failed, nil, msg); ferr != nil {
			return "", nil, ferr
		}
		return journal.Failed, nil, nil
	}
	defer func() { release(state) }()
	return sendItem(ctx, l, k, it, in, before, o)
}

// sendItem sends one item through k.Send, which journals it sent (with
// before, what a later check needs) right before its request leaves, and
// records the outcome: done; failed when refused; unknown when the request
// may have been applied; pending again when it never left because the run
// was interrupted; failed "not sent" when it never left for another reason.
func sendItem(ctx context.Context, l *journal.Lock, k Kind, it journal.Item, in itemInput, before json.RawMessage, o Options) (string, error, error) {
	var pre json.RawMessage
	if len(before) > 0 {
		b, err := json.Marshal(beforeResult{Before: before})
		if err != nil {
			return "", nil, err
		}
		pre = json.RawMessage(o.redact(string(b)))
	}
	ictx, cancel := context.WithCancel(ctx)
	defer cancel()
	h := &sendHook{cancel: cancel, mark: func() error {
		return l.MarkSent(context.WithoutCancel(ctx), it.Seq, it.Key, pre)
	}}
	res, err := k.Send(context.WithValue(ictx, hookKey{}, h), it.Key, in.Entries)
	marked, markErr := h.result()
	if markErr != nil {
		return "", nil, markErr
	}
	bg := context.WithoutCancel(ctx)
	if !marked && err != nil {
		if ctx.Err() != nil {
			return journal.Pending, nil, nil // interrupted before it left: still pending
		}
		if sp, ok := k.(Splitter); ok && len(in.Entries) > 1 && sp.SplitOn(err, in.Entries) {
			return "", err, nil
		}
		if ferr := l.Finish(bg, it.Seq, journal.Failed, pre, "not sent: "+o.redact(err.Error())); ferr != nil {
			return "", nil, ferr
		}
		return journal.Failed, nil, nil
	}
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
		} else if sp, ok := k.(Splitter); ok && res == nil && len(in.Entries) > 1 && sp.SplitOn(err, in.Entries) {
			return "", err, nil
		}
	}
	r, mErr := redacted(res, o)
	if mErr != nil {
		return "", nil, mErr
	}
	if err := l.Finish(bg, it.Seq, state, r, errText); err != nil {
		return "", nil, err
	}
	return state, nil, nil
}
