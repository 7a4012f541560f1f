// Package jobs runs bulk jobs: it reads the input rows, plans them into items
// (one request each), records the job, every item and the run's lock in the
// journal in one transaction, sends with bounded concurrency (each item
// journaled sent with its idempotency key right before its request leaves),
// records each outcome, and resumes a job from the journal, one run per job
// at a time.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
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
	// Send sends one item under key, through a client observed by Observer
	// (or calling Sending right before its request leaves). A result may come
	// with an error (some codes of a chunk failed).
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

// Identifier is implemented by kinds whose rows name what they act on (a
// code, a bizId): two rows of one input naming the same thing are a repeat,
// found when the input is planned (see PlanOptions.SkipRepeats).
type Identifier interface {
	// Identities names what entry acts on ("code 1234"); nil: nothing to compare.
	Identities(entry json.RawMessage) []string
}

// Splitter is implemented by kinds that send several rows in one request
// (a chunk of codes): when the vendor, or the client's checks, refuse a
// chunk as a whole because of one of its rows, the chunk is recorded split
// and each of its rows is sent as an item of its own, so that the others
// are applied and the refusal is reported for the row it concerns.
type Splitter interface {
	// SplitOn reports whether err, the refusal of a whole chunk (nothing of
	// it applied), concerns one of entries rather than the request as a
	// whole.
	SplitOn(err error, entries []json.RawMessage) bool
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
	// SkipRepeats sends the first of rows that repeat one another and
	// records the others skipped; without it a plan with repeats is refused.
	SkipRepeats bool
	// NewJob starts a new job from an input already run as a job of this
	// journal; without it Start refuses (*InputRunError).
	NewJob bool
	// Out receives the dry-run lines and the summary; Progress the progress
	// lines (nil: none); TTY selects \r progress lines.
	Out, Progress io.Writer
	TTY           bool
	// Redact cleans error texts before they are recorded or printed.
	Redact func(string) string
	// Args are the job's arguments as recorded (never credentials).
	Args any
}

func (o Options) redact(s string) string {
	if o.Redact != nil {
		return o.Redact(s)
	}
	return s
}

// Summary is the outcome of a run.
type Summary struct {
	Job   int64
	Items int
	Rows  int
	// States counts the job's items by state; RowStates its rows (the
	// entries of items that are not split).
	States, RowStates map[string]int
	Malformed         []error
	Repeats           []Repeat
	// Unresolved are the items left sent or unknown (their keys let an
	// operator check them); FailedItems the first few items failed.
	Unresolved  []journal.Item
	FailedItems []journal.Item
}

// OK reports whether every row was applied (or skipped as a repeat).
func (s *Summary) OK() bool {
	return len(s.Malformed) == 0 && len(s.Unresolved) == 0 && s.States[journal.Failed] == 0 && s.States[journal.Pending] == 0
}

type itemInput struct {
	Lines   []int             `json:"lines"`
	Entries []json.RawMessage `json:"entries"`
}

func decodeInput(in json.RawMessage) itemInput {
	var x itemInput
	_ = json.Unmarshal(in, &x)
	return x
}
