package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
)

// The checks that keep an export from losing or repeating rows.

// totaler is a pager whose answers say how many rows the whole export
// holds (after a Page; ok false when the last answer did not say).
type totaler interface {
	Total() (n int64, ok bool)
}

// rowKeyer is a pager whose rows are each unique by a key (a code, a card
// id): a key met twice means the vendor sent rows again (a repeated page).
type rowKeyer interface {
	RowKey(row []string) string
}

// pageGuard stops an export that would lose or repeat rows: a cursor the
// vendor sent before, a row already written, and an export that ends with
// fewer (or more) rows than the vendor says it holds.
type pageGuard struct {
	cursors map[string]bool
	keys    map[string]bool
	p       pager
}

func newPageGuard(p pager) *pageGuard {
	g := &pageGuard{cursors: map[string]bool{}, p: p}
	if _, ok := p.(rowKeyer); ok {
		g.keys = map[string]bool{}
	}
	return g
}

// written records rows already in the file (a resumed export's).
func (g *pageGuard) written(rows [][]string) {
	if k, ok := g.p.(rowKeyer); ok {
		for _, r := range rows {
			g.keys[k.RowKey(r)] = true
		}
	}
}

// check checks the page fetched after `rows` rows were written, before it
// is written; it records its cursor and row keys.
func (g *pageGuard) check(rows int64, page [][]string, next json.RawMessage, more bool) error {
	if more {
		if g.cursors[string(next)] {
			return fmt.Errorf("the vendor sent cursor %s again: it would page in a cycle, repeating rows; stopped before writing the page", next)
		}
		g.cursors[string(next)] = true
	}
	if k, ok := g.p.(rowKeyer); ok {
		seen := make(map[string]bool, len(page))
		for _, r := range page {
			key := k.RowKey(r)
			if g.keys[key] || seen[key] {
				return fmt.Errorf("the vendor sent %s again (after %d rows): a page repeated; stopped before writing it", key, rows)
			}
			seen[key] = true
		}
		for key := range seen {
			g.keys[key] = true
		}
	}
	if t, ok := g.p.(totaler); ok {
		if total, known := t.Total(); known {
			n := rows + int64(len(page))
			switch {
			case n > total:
				return fmt.Errorf("the vendor sent %d rows, more than the %d it says the export holds; stopped before writing the page", n, total)
			case !more && n < total:
				return fmt.Errorf("the vendor ended the export after %d of the %d rows it says it holds; the file is not complete (--resume asks again from the last page written)", n, total)
			}
		}
	}
	return nil
}

// seedGuard gives g what a resumed export already holds: the cursors of
// the pages journaled and the rows in the file up to bytes.
func seedGuard(ctx context.Context, g *pageGuard, j *journal.Journal, id int64, f *os.File, bytes int64) error {
	done, err := j.Items(ctx, id, journal.Done)
	if err != nil {
		return err
	}
	for _, it := range done {
		if it.Key != "" {
			g.cursors[it.Key] = true
		}
	}
	if g.keys == nil || bytes == 0 {
		return nil
	}
	cr := csv.NewReader(io.NewSectionReader(f, 0, bytes))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return fmt.Errorf("%s: reading the rows already written: %w", f.Name(), err)
	}
	if len(rows) > 0 {
		g.written(rows[1:])
	}
	return nil
}
