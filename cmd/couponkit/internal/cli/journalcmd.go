package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
)

// The journal commands: show, unknown, export and settle. They read an
// existing journal and never create one.

var journalSynopses = map[string]string{
	"show":    "couponkit journal show [--job N] [--state S]\n\nLists the jobs, or one job's items with their states, keys, lines and errors\n(--state: only the items in that state, such as failed).",
	"unknown": "couponkit journal unknown [--job N]\n\nLists the items whose outcome is not known (state sent or unknown) with their\nidempotency keys and the rows they hold. Check each with the vendor, then\nrecord what you found with couponkit journal settle.",
	"export":  "couponkit journal export [--job N]\n\nWrites the items as CSV: job,seq,state,key,lines,error,input,result,note.",
	"settle":  "couponkit journal settle --job N --item SEQ --state done|failed --note TEXT\n\nRecords the outcome of an item of unknown outcome (state sent or unknown) after\na check with the vendor by hand: done (applied) or failed (not applied; it is\nnot sent again). The note says how it was checked; it is kept with your user\nname and the time. Refused while a run of the job is going on.",
}

// journalFlags are the flags of the journal commands.
type journalFlags struct {
	path, state, note string
	job, item         int64
}

func cmdJournal(args []string, env Env) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("journal needs show, unknown, export or settle")
	}
	sub := args[0]
	syn := journalSynopses[sub]
	if syn == "" {
		return usageErr("unknown journal command %q", sub)
	}
	fs := newFlags("journal "+sub, syn, env)
	f := &journalFlags{}
	fs.StringVar(&f.path, "journal", journal.DefaultPath, "journal `file` (SQLite)")
	switch sub {
	case "settle":
		fs.Int64Var(&f.job, "job", 0, "the job")
		fs.Int64Var(&f.item, "item", 0, "the item's `seq` (couponkit journal unknown lists them)")
		fs.StringVar(&f.state, "state", "", "what the check found: done (applied) or failed (not applied)")
		fs.StringVar(&f.note, "note", "", "how the outcome was checked (required)")
	case "show":
		fs.Int64Var(&f.job, "job", 0, "the job (default: every job)")
		fs.StringVar(&f.state, "state", "", "only the items in this `state` (with --job)")
	default:
		fs.Int64Var(&f.job, "job", 0, "the job (default: every job)")
	}
	if err := parse(fs, args[1:], env); err != nil {
		return err
	}
	if sub == "settle" {
		if err := f.checkSettle(); err != nil {
			return err
		}
	}
	j, err := journal.OpenExisting(f.path)
	if err != nil {
		return err
	}
	defer j.Close()
	ctx := context.Background()
	if sub == "settle" {
		return journalSettle(ctx, j, f, env.Stdout)
	}
	sel, err := selectJobs(ctx, j, f.job)
	if err != nil {
		return err
	}
	switch sub {
	case "show":
		if f.job == 0 {
			return journalJobs(ctx, j, sel, env.Stdout)
		}
		return journalItems(ctx, j, f, env.Stdout)
	case "unknown":
		return journalUnknown(ctx, j, sel, env.Stdout)
	}
	return journalExport(ctx, j, sel, env.Stdout)
}

func (f *journalFlags) checkSettle() error {
	switch {
	case f.job < 1 || f.item < 1:
		return usageErr("journal settle needs --job and --item (couponkit journal unknown lists them)")
	case f.state != journal.Done && f.state != journal.Failed:
		return usageErr("--state must be done (applied) or failed (not applied)")
	case strings.TrimSpace(f.note) == "":
		return usageErr("--note is required: say how the outcome was checked")
	}
	return nil
}

// selectJobs returns job (every job when 0).
func selectJobs(ctx context.Context, j *journal.Journal, job int64) ([]journal.Job, error) {
	if job != 0 {
		jb, err := j.Job(ctx, job)
		if err != nil {
			return nil, err
		}
		return []journal.Job{jb}, nil
	}
	return j.Jobs(ctx)
}

func journalJobs(ctx context.Context, j *journal.Journal, sel []journal.Job, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tVENDOR\tKIND\tCREATED\tINPUT\tITEMS\tSTATES")
	for _, jb := range sel {
		c, err := j.Counts(ctx, jb.ID)
		if err != nil {
			return err
		}
		n, st := states(c)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", jb.ID, jb.Vendor, jb.Kind, jb.Created.Local().Format("2006-01-02 15:04:05"), orDash(jb.Source), n, st)
	}
	return tw.Flush()
}

func journalItems(ctx context.Context, j *journal.Journal, f *journalFlags, w io.Writer) error {
	var only []string
	if f.state != "" {
		only = []string{f.state}
	}
	items, err := j.Items(ctx, f.job, only...)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tSTATE\tKEY\tLINES\tERROR")
	for _, it := range items {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", it.Seq, it.State, it.Key, lines(it.Input), oneLine(it.Error))
	}
	return tw.Flush()
}

// journalUnknown lists the items of unknown outcome with their rows, so
// that each can be checked with the vendor.
func journalUnknown(ctx context.Context, j *journal.Journal, sel []journal.Job, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tSEQ\tSTATE\tKEY\tLINES\tROWS\tERROR")
	for _, jb := range sel {
		items, err := j.Items(ctx, jb.ID, journal.Sent, journal.Unknown)
		if err != nil {
			return err
		}
		for _, it := range items {
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\n", jb.ID, it.Seq, it.State, it.Key, lines(it.Input), entries(it.Input), oneLine(it.Error))
		}
	}
	return tw.Flush()
}

func journalExport(ctx context.Context, j *journal.Journal, sel []journal.Job, w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"job", "seq", "state", "key", "lines", "error", "input", "result", "note"})
	for _, jb := range sel {
		items, err := j.Items(ctx, jb.ID)
		if err != nil {
			return err
		}
		for _, it := range items {
			cw.Write([]string{strconv.FormatInt(jb.ID, 10), strconv.FormatInt(it.Seq, 10), it.State, it.Key, lines(it.Input), it.Error, string(it.Input), string(it.Result), it.Note})
		}
	}
	cw.Flush()
	return cw.Error()
}

func journalSettle(ctx context.Context, j *journal.Journal, f *journalFlags, w io.Writer) error {
	if err := j.Settle(ctx, f.job, f.item, f.state, f.note); err != nil {
		return err
	}
	fmt.Fprintf(w, "job %d: item %d settled %s\n", f.job, f.item, f.state)
	return nil
}

func states(c map[string]int) (int, string) {
	keys := make([]string, 0, len(c))
	n := 0
	for k, v := range c {
		keys = append(keys, k)
		n += v
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, c[k])
	}
	return n, strings.Join(parts, " ")
}

func lines(in json.RawMessage) string {
	var x struct {
		Lines []int `json:"lines"`
	}
	json.Unmarshal(in, &x)
	if len(x.Lines) == 0 {
		return ""
	}
	if len(x.Lines) == 1 {
		return strconv.Itoa(x.Lines[0])
	}
	return fmt.Sprintf("%d-%d", x.Lines[0], x.Lines[len(x.Lines)-1])
}

// entries returns an item's rows as journaled (compact JSON), separated by
// blanks.
func entries(in json.RawMessage) string {
	var x struct {
		Entries []json.RawMessage `json:"entries"`
	}
	json.Unmarshal(in, &x)
	parts := make([]string, len(x.Entries))
	for i, e := range x.Entries {
		parts[i] = string(e)
	}
	return strings.Join(parts, " ")
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
