package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
)

// Plan is an input read and grouped into items, before anything is
// journaled or sent.
type Plan struct {
	// Source is the input's name (--from); Hash the SHA-256 (hex) of its
	// bytes, which recognises the same input run again.
	Source, Hash string
	// Rows counts the data rows read.
	Rows int
	// Malformed are the rows that could not be read or parsed, each naming
	// its line.
	Malformed []error
	// Repeats are the rows naming what an earlier row names (Identifier),
	// each with both lines.
	Repeats []Repeat

	items []itemInput
}

// Requests returns how many requests the plan sends.
func (p *Plan) Requests() int { return len(p.items) }

// Repeat is a row that names what an earlier row of the input names.
type Repeat struct {
	// Line repeats First (CSV line numbers, the header being line 1).
	Line, First int
	// What is what both name ("code 1234").
	What string
}

func (r Repeat) Error() string {
	return fmt.Sprintf("line %d: %s repeats line %d", r.Line, r.What, r.First)
}

// PlanOptions control how an input is planned.
type PlanOptions struct {
	// StopOnError stops reading at the first malformed row.
	StopOnError bool
	// SkipRepeats leaves out of the items the rows that repeat an earlier
	// one (the first is kept); they are still listed in Plan.Repeats.
	SkipRepeats bool
}

// MakePlan reads rows from r (named source in errors) and groups the good
// ones into items of k.ChunkSize. Malformed rows are listed naming their
// line; with StopOnError reading stops at the first. Rows that repeat an
// earlier one are listed with both lines; with SkipRepeats they are left
// out of the items, otherwise they stay in (the caller refuses the plan).
func MakePlan(k Kind, r io.Reader, source string, o PlanOptions) (*Plan, error) {
	h := sha256.New()
	cr, err := csvio.NewReader(io.TeeReader(r, h), k.Columns()...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	p := &Plan{Source: source}
	id, _ := k.(Identifier)
	seen := map[string]int{}
	size := max(k.ChunkSize(), 1)
	var cur itemInput
	for {
		row, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
		p.Rows++
		if row.Err != nil {
			p.Malformed = append(p.Malformed, row.Err)
		} else if e, perr := k.Parse(row); perr != nil {
			p.Malformed = append(p.Malformed, csvio.Bad(row.Line, "%v", perr))
		} else {
			repeated := false
			if id != nil {
				for _, what := range id.Identities(e) {
					if first, ok := seen[what]; ok {
						p.Repeats = append(p.Repeats, Repeat{Line: row.Line, First: first, What: what})
						repeated = true
					} else {
						seen[what] = row.Line
					}
				}
			}
			if !repeated || !o.SkipRepeats {
				cur.Lines = append(cur.Lines, row.Line)
				cur.Entries = append(cur.Entries, e)
				if len(cur.Entries) == size {
					p.items = append(p.items, cur)
					cur = itemInput{}
				}
			}
		}
		if o.StopOnError && len(p.Malformed) > 0 {
			break
		}
	}
	if len(cur.Entries) > 0 {
		p.items = append(p.items, cur)
	}
	// The rest of the input counts in the hash too.
	if _, err := io.Copy(io.Discard, io.TeeReader(r, h)); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	p.Hash = hex.EncodeToString(h.Sum(nil))
	return p, nil
}

// DryRun prints what p would send and returns its summary; nothing is
// journaled or sent.
func DryRun(k Kind, p *Plan, o Options) *Summary {
	printProblems(k, p, o)
	n := 0
	for _, it := range p.items {
		fmt.Fprintf(o.Out, "would send %s %s: %s\n", k.Vendor(), k.Name(), o.redact(k.Describe(k.Key(it.Entries), it.Entries)))
		n += len(it.Entries)
	}
	fmt.Fprintf(o.Out, "dry run: %d request(s) for %d row(s) of %s, %d malformed, %d repeated; nothing sent, nothing journaled\n",
		len(p.items), n, p.Source, len(p.Malformed), len(p.Repeats))
	return &Summary{Items: len(p.items), Rows: p.Rows, Malformed: p.Malformed, Repeats: p.Repeats}
}

// printProblems lists the malformed and repeated rows of p.
func printProblems(k Kind, p *Plan, o Options) {
	for _, e := range p.Malformed {
		fmt.Fprintf(o.Out, "malformed: %s\n", o.redact(e.Error()))
	}
	verb := "repeated"
	if o.SkipRepeats {
		verb = "skipped"
	}
	for _, r := range p.Repeats {
		fmt.Fprintf(o.Out, "%s: %s\n", verb, o.redact(r.Error()))
	}
}

// RepeatsError is the refusal of a plan with repeated rows (without
// SkipRepeats): nothing is journaled or sent.
type RepeatsError struct {
	Source string
	N      int
}

func (e *RepeatsError) Error() string {
	return fmt.Sprintf("%s: %d row(s) repeat an earlier row (listed above with both lines); nothing sent. Remove them, or pass --skip-repeats to send the first of each and skip the others", e.Source, e.N)
}
