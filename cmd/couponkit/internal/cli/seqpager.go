package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
)

// seqPager exports a listing the SDK reads as an iterator (zvcms's coupons
// of a customer, its daily reconciliation), per rows a journaled page; the
// cursor is the number of rows written. The SDK's listing starts at the
// first page, so a resumed export reads the rows already written again
// (reads) and skips them.
type seqPager[T any] struct {
	list func(ctx context.Context) iter.Seq2[T, error]
	row  func(T) []string
	key  func(row []string) string // RowKey
	per  int
	// have says how many the listing holds when it holds fewer than were
	// written, with a %d for that number: "the vendor lists %d rows now".
	have string

	next func() (T, error, bool)
	stop func()
	pos  int64 // items taken from next
}

// RowKey implements rowKeyer.
func (p *seqPager[T]) RowKey(row []string) string { return p.key(row) }

func (p *seqPager[T]) Page(ctx context.Context, cursor json.RawMessage) ([][]string, json.RawMessage, bool, error) {
	start, _, err := intCursor(cursor)
	if err != nil {
		return nil, nil, false, err
	}
	if p.next == nil {
		p.next, p.stop = iter.Pull2(p.list(ctx))
	}
	if start < p.pos {
		return nil, nil, false, fmt.Errorf("cursor %d is behind the listing (%d)", start, p.pos)
	}
	for p.pos < start {
		_, err, ok := p.next()
		if err != nil {
			return nil, nil, false, err
		}
		if !ok {
			return nil, nil, false, fmt.Errorf("%s, fewer than the %d already written", fmt.Sprintf(p.have, p.pos), start)
		}
		p.pos++
	}
	var rows [][]string
	for len(rows) < p.per {
		v, err, ok := p.next()
		if err != nil {
			return nil, nil, false, err
		}
		if !ok {
			return rows, json.RawMessage(strconv.FormatInt(p.pos, 10)), false, nil
		}
		p.pos++
		rows = append(rows, p.row(v))
	}
	return rows, json.RawMessage(strconv.FormatInt(p.pos, 10)), true, nil
}

func (p *seqPager[T]) close() {
	if p.stop != nil {
		p.stop()
	}
}
