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

// checked is the outcome of one check of an item of unknown outcome.
type checked struct {
	applied bool
	result  any
	err     error
}

// settle sorts a resumed job's open items: pending ones are sent; those
// left sent or unknown are checked with the vendor where k can (all of them
// concurrently, with progress), recorded checked when applied, sent again
// when found not applied or, for a Keyed kind, when they cannot be checked.
// It returns the items to send, in seq order.
func settle(ctx context.Context, l *journal.Lock, k Kind, todo []journal.Item, o Options) ([]journal.Item, error) {
	keyed := k.Class() != couponkit.ClassUnsafe
	_, canCheck := k.(Checker)
	pr, prepared := k.(Preparer)
	canCheck = canCheck || prepared
	var open []journal.Item
	for _, it := range todo {
		if it.State != journal.Pending {
			open = append(open, it)
		}
	}
	var res []checked
	if canCheck && len(open) > 0 {
		fmt.Fprintf(o.Out, "job %d: checking %d item(s) of unknown outcome with %s\n", l.Job(), len(open), k.Vendor())
		res = checkAll(ctx, k, open, o)
	}
	var send []journal.Item
	found, i := 0, 0
	for _, it := range todo {
		if it.State == journal.Pending {
			send = append(send, it)
			continue
		}
		if !canCheck {
			if keyed {
				send = append(send, it)
			}
			continue // Unsafe: listed as unresolved, never re-sent
		}
		c := res[i]
		i++
		switch {
		case c.err != nil:
			fmt.Fprintf(o.Out, "item %d (key %s): check failed: %s\n", it.Seq, it.Key, o.redact(c.err.Error()))
			if keyed {
				send = append(send, it)
			} else if prepared {
				pr.Unresolved(decodeInput(it.Input).Entries)
			}
		case c.applied:
			r, err := redacted(c.result, o)
			if err != nil {
				return nil, err
			}
			if err := l.Finish(ctx, it.Seq, journal.Checked, r, ""); err != nil {
				return nil, err
			}
			found++
		default:
			// Not applied: safe to send again under the same key.
			send = append(send, it)
		}
	}
	if canCheck {
		fmt.Fprintf(o.Out, "job %d: %d item(s) of unknown outcome found applied by a query\n", l.Job(), found)
	}
	return send, nil
}

// checkAll checks items with k, o.Concurrency at a time, reporting progress.
// The results are in the order of items.
func checkAll(ctx context.Context, k Kind, items []journal.Item, o Options) []checked {
	var bar *progress.Bar
	if o.Progress != nil {
		bar = progress.New(o.Progress, o.TTY, k.Vendor()+" "+k.Name()+" check", len(items))
	}
	out := make([]checked, len(items))
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(o.Concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				out[i] = checkOne(ctx, k, items[i])
				failed := 0
				if out[i].err != nil {
					failed = 1
				}
				bar.Add(1, failed)
			}
		}()
	}
	for i := range items {
		work <- i
	}
	close(work)
	wg.Wait()
	bar.Finish()
	return out
}

func checkOne(ctx context.Context, k Kind, it journal.Item) checked {
	if err := ctx.Err(); err != nil {
		return checked{err: err}
	}
	in := decodeInput(it.Input)
	if pr, ok := k.(Preparer); ok {
		var b beforeResult
		if len(it.Result) > 0 {
			_ = json.Unmarshal(it.Result, &b)
		}
		if len(b.Before) == 0 || string(b.Before) == "null" {
			return checked{err: errors.New("no state recorded before it was sent")}
		}
		applied, res, err := pr.CheckBefore(ctx, it.Key, in.Entries, b.Before)
		return checked{applied, res, err}
	}
	applied, res, err := k.(Checker).Check(ctx, it.Key, in.Entries)
	return checked{applied, res, err}
}

// redacted returns result as redacted JSON (nil stays nil).
func redacted(result any, o Options) (json.RawMessage, error) {
	if result == nil {
		return nil, nil
	}
	b, err := json.Marshal(result)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(o.redact(string(b))), nil
}
