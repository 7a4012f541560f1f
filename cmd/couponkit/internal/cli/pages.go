package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
)

// pager fetches one page of an export: the rows at cursor (nil: the first
// page), the cursor of the page after it and whether there is one.
type pager interface {
	Page(ctx context.Context, cursor json.RawMessage) (rows [][]string, next json.RawMessage, more bool, err error)
}

// exportPage is what the journal keeps of each page written, as one item
// recorded done with this result in a single commit: where the file ended
// after it and the cursor of the next page.
type exportPage struct {
	Rows    int64           `json:"rows"`
	Bytes   int64           `json:"bytes"`
	Cursor  json.RawMessage `json:"cursor,omitempty"`
	HasNext bool            `json:"hasNext"`
	CSV     string          `json:"csv"`
}

// lastPage returns the last page of export job id whose outcome the journal
// holds, with its seq (0 and a zero page when none), and removes any item
// after it: those pages are fetched and written again.
func lastPage(ctx context.Context, j *journal.Journal, id int64) (exportPage, int64, error) {
	done, err := j.Items(ctx, id, journal.Done)
	if err != nil {
		return exportPage{}, 0, err
	}
	var last exportPage
	var seq int64
	for i := len(done) - 1; i >= 0; i-- {
		var p exportPage
		if len(done[i].Result) > 0 && json.Unmarshal(done[i].Result, &p) == nil {
			last, seq = p, done[i].Seq
			break
		}
	}
	if err := j.DeleteAfter(ctx, id, seq); err != nil {
		return exportPage{}, 0, err
	}
	return last, seq, nil
}

// writePages writes an export's pages to path from last (the zero page: from
// the start), each page written and synced before it is journaled, so the
// journal never names bytes the file does not hold. It returns the rows in
// the file.
func writePages(ctx context.Context, l *journal.Lock, path string, header []string, last exportPage, seq int64, p pager) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	g := newPageGuard(p)
	if err := seedGuard(ctx, g, l.Journal(), l.Job(), f, last.Bytes); err != nil {
		return 0, err
	}
	// Cut the file back to the last journaled page (or to nothing): a page
	// written but not journaled before a kill is written again.
	if err := f.Truncate(last.Bytes); err != nil {
		return 0, err
	}
	if _, err := f.Seek(last.Bytes, io.SeekStart); err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	cw := csv.NewWriter(bw)
	if last.Bytes == 0 {
		cw.Write(header)
	}
	rows := last.Rows
	cursor := last.Cursor
	if seq == 0 {
		cursor = nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return rows, err
		}
		page, next, more, err := p.Page(ctx, cursor)
		if err != nil {
			return rows, err
		}
		if err := g.check(rows, page, next, more); err != nil {
			return rows, err
		}
		for _, r := range page {
			cw.Write(r)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return rows, err
		}
		if err := bw.Flush(); err != nil {
			return rows, err
		}
		if err := f.Sync(); err != nil {
			return rows, err
		}
		pos, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			return rows, err
		}
		rows += int64(len(page))
		seq++
		res, err := json.Marshal(exportPage{Rows: rows, Bytes: pos, Cursor: next, HasNext: more, CSV: path})
		if err != nil {
			return rows, err
		}
		item := journal.Item{Job: l.Job(), Seq: seq, Input: json.RawMessage(`{}`), Key: string(next), State: journal.Done, Result: res}
		if err := l.AddItems(context.WithoutCancel(ctx), []journal.Item{item}); err != nil {
			return rows, err
		}
		if !more {
			return rows, nil
		}
		cursor = next
	}
}

// exportJob is the shared frame of the export commands: a new job recorded
// with args, or job resume continued from its last page.
type exportJob struct {
	vendor, kind string
	header       []string
}

// start makes this process the runner of the export: a new job recorded
// with args (its lock taken in the same transaction), or job resume (its
// lock taken, refused while another run holds it), whose recorded args are
// read into args and whose last page and seq are returned. done reports an
// export already complete.
func (e exportJob) start(ctx context.Context, j *journal.Journal, resume int64, args any, csvOf func() string) (l *journal.Lock, last exportPage, seq int64, done bool, err error) {
	if resume == 0 {
		l, err = j.Plan(ctx, journal.JobSpec{Kind: e.kind, Vendor: e.vendor, Args: args}, nil)
		return l, last, 0, false, err
	}
	jb, err := j.Job(ctx, resume)
	if err != nil {
		return nil, last, 0, false, err
	}
	if jb.Vendor != e.vendor || jb.Kind != e.kind {
		return nil, last, 0, false, fmt.Errorf("job %d is %s %s, not %s %s", jb.ID, jb.Vendor, jb.Kind, e.vendor, e.kind)
	}
	if err := json.Unmarshal(jb.Args, args); err != nil {
		return nil, last, 0, false, fmt.Errorf("job %d: its arguments: %v", jb.ID, err)
	}
	if l, err = j.Acquire(ctx, jb.ID); err != nil {
		return nil, last, 0, false, err
	}
	last, seq, err = lastPage(ctx, j, jb.ID)
	if err == nil && seq > 0 && last.CSV != csvOf() {
		err = fmt.Errorf("job %d wrote %s, not %s", jb.ID, last.CSV, csvOf())
	}
	if err != nil {
		l.Release()
		return nil, last, 0, false, err
	}
	return l, last, seq, seq > 0 && !last.HasNext, nil
}

// exportRun is an export job whose session and journal are open and whose
// lock this process holds, started or resumed by exportJob.open.
type exportRun struct {
	s    *session
	j    *journal.Journal
	l    *journal.Lock
	ctx  context.Context
	last exportPage
	seq  int64
	done bool
	stop context.CancelFunc
}

// close releases the lock, the journal and the signal handler.
func (r *exportRun) close() {
	if r.l != nil {
		r.l.Release()
	}
	r.stop()
	_ = r.j.Close()
}

// exportFlags are the flags of every export command: --csv, --resume,
// --rate and the common ones (--journal, --profile, --config).
type exportFlags struct {
	out, jp, profile, config string
	resume                   int64
	rate                     float64
}

// add adds the export flags to fs.
func (f *exportFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&f.out, "csv", "", "output CSV `file`")
	fs.Int64Var(&f.resume, "resume", 0, "resume export `JOB` from its last journaled page")
	fs.Float64Var(&f.rate, "rate", 0, "at most `R` requests a second (0: no limit)")
	addCommonFlags(fs, &f.jp, &f.profile, &f.config)
}

// export runs an export command: it opens the run (see open) and, unless
// the job had already finished, writes the pages of the pager that pages
// makes with the run's session to csvOf(), then calls the close function
// pages returned (nil with an error), then closes the run.
func (e exportJob) export(env Env, f *exportFlags, args any, csvOf func() string, noun string, pages func(r *exportRun) (pager, func(), error)) error {
	r, err := e.open(env, f, args, csvOf, noun)
	if err != nil {
		return err
	}
	defer r.close()
	if r.done {
		return nil
	}
	p, closePages, err := pages(r)
	if err != nil {
		return err
	}
	defer closePages()
	return e.run(r, csvOf(), p)
}

// open opens the vendor session and the journal at f.jp (which must exist
// on --resume), and starts job f.resume (or a new job recorded with args,
// when f.resume is 0). When the job had already finished it says so,
// naming rows by noun, and done is true. The caller closes the run.
func (e exportJob) open(env Env, f *exportFlags, args any, csvOf func() string, noun string) (*exportRun, error) {
	s, err := newSession(e.vendor, f.profile, f.config, f.rate, env)
	if err != nil {
		return nil, err
	}
	openJournal := journal.Open
	if f.resume != 0 {
		openJournal = journal.OpenExisting
	}
	j, err := openJournal(f.jp)
	if err != nil {
		return nil, err
	}
	ctx, stop := signalContext()
	r := &exportRun{s: s, j: j, ctx: ctx, stop: stop}
	r.l, r.last, r.seq, r.done, err = e.start(ctx, j, f.resume, args, csvOf)
	if err != nil {
		r.close()
		return nil, err
	}
	if r.done {
		fmt.Fprintf(s.out, "job %d: export already complete, %d %s in %s\n", r.l.Job(), r.last.Rows, noun, csvOf())
	}
	return r, nil
}

// run writes the pages and reports the outcome.
func (e exportJob) run(r *exportRun, path string, p pager) error {
	s, ctx, id := r.s, r.ctx, r.l.Job()
	fmt.Fprintf(s.out, "job %d: exporting to %s from row %d\n", id, path, r.last.Rows)
	rows, err := writePages(ctx, r.l, path, e.header, r.last, r.seq, p)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("job %d: interrupted after %d rows (resume with --resume %d)", id, rows, id)
		}
		return fmt.Errorf("job %d: %s (resume with --resume %d)", id, s.red.String(err.Error()), id)
	}
	fmt.Fprintf(s.out, "job %d: %d rows in %s\n", id, rows, path)
	return nil
}

func intCursor(c json.RawMessage) (int64, bool, error) {
	if len(c) == 0 {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(string(c), 10, 64)
	if err != nil {
		return 0, false, errors.New("journal: a cursor that is not a number: " + string(c))
	}
	return n, true, nil
}
