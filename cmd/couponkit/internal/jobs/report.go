package jobs

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
)

// failuresShown is how many failed items a run's summary prints with their
// errors; the rest are listed by couponkit journal show.
const failuresShown = 5

// fillSummary reads the job's outcome from the journal.
func fillSummary(ctx context.Context, l *journal.Lock, s *Summary) error {
	j := l.Journal()
	all, err := j.Items(ctx, l.Job())
	if err != nil {
		return err
	}
	s.Items = len(all)
	s.States, s.RowStates = map[string]int{}, map[string]int{}
	s.Unresolved, s.FailedItems = nil, nil
	for _, it := range all {
		s.States[it.State]++
		switch it.State {
		case journal.Sent, journal.Unknown:
			s.Unresolved = append(s.Unresolved, it)
		case journal.Failed:
			if len(s.FailedItems) < failuresShown {
				s.FailedItems = append(s.FailedItems, it)
			}
		}
		if it.State != journal.Split {
			in := decodeInput(it.Input)
			s.RowStates[it.State] += max(len(in.Entries), len(in.Lines))
		}
	}
	return nil
}

func joinCounts(c map[string]int) string {
	keys := make([]string, 0, len(c))
	for st := range c {
		keys = append(keys, st)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, st := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", st, c[st]))
	}
	return strings.Join(parts, ", ")
}

// printSummary prints the job's states (items, then rows when an item holds
// several), the items left unresolved with their keys, and why items
// failed: the first few errors and the command that lists them all.
func printSummary(w io.Writer, s *Summary, l *journal.Lock) {
	line := fmt.Sprintf("job %d: %d item(s): %s", s.Job, s.Items, joinCounts(s.States))
	if rows := joinCounts(s.RowStates); rows != joinCounts(s.States) {
		line += "; rows: " + rows
	}
	fmt.Fprintln(w, line)
	for _, it := range s.Unresolved {
		fmt.Fprintf(w, "unresolved: item %d state %s key %s\n", it.Seq, it.State, it.Key)
	}
	for _, it := range s.FailedItems {
		fmt.Fprintf(w, "failed: item %d (%s): %s\n", it.Seq, describeLines(it), it.Error)
	}
	if n := s.States[journal.Failed]; n > 0 {
		more := ""
		if n > len(s.FailedItems) {
			more = fmt.Sprintf("%d more; ", n-len(s.FailedItems))
		}
		fmt.Fprintf(w, "failed: %severy failed item with its error: couponkit journal show --journal %s --job %d --state failed\n", more, l.Journal().Path(), s.Job)
	}
}

// describeLines names an item's input lines.
func describeLines(it journal.Item) string {
	in := decodeInput(it.Input)
	switch len(in.Lines) {
	case 0:
		return "no line"
	case 1:
		return fmt.Sprintf("line %d", in.Lines[0])
	}
	return fmt.Sprintf("lines %d-%d", in.Lines[0], in.Lines[len(in.Lines)-1])
}
