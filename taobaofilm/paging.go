package taobaofilm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"strconv"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// The cursor is the one protocol point of the export TOP leaves open: a page
// returns has_next and last_sequence, but no request field is documented for
// sending last_sequence back. Everything about it lives in this file:
// appendCursor (where a request carries it) and nextCursor (how a response
// moves it), both driven by Config.Cursor and Config.CursorName.

// ErrCursorRepeated is matched (errors.Is) by the error of an export whose
// cursor came back to a value it already had: the gateway ignores the cursor
// or pages in a cycle, and the export stops rather than loop. It wraps
// couponkit.ErrPageRepeated, the error every package's listing stops with
// on a repeated page.
var ErrCursorRepeated = fmt.Errorf("taobaofilm: export cursor repeated: %w", couponkit.ErrPageRepeated)

// ErrCursorMissing is matched (errors.Is) by the error of an export page that
// says has_next but carries no last_sequence.
var ErrCursorMissing = errors.New("taobaofilm: has_next without last_sequence")

// ErrTotalMismatch is matched (errors.Is) by the error of a whole export
// (started from the first page, iterated to the last) whose number of codes
// disagrees with the basic.total_count of its last page: fewer with
// OperateAll (codes were lost), or more (codes were repeated). OperateConsume
// yields the redeemed codes only, so fewer is normal there. The error comes
// after every code was handed over.
var ErrTotalMismatch = errors.New("taobaofilm: export count differs from basic.total_count")

// appendCursor adds to p the "params" JSON (extension members and, per
// Config.Cursor, the cursor) or the top-level cursor parameter.
func (c *Client) appendCursor(p map[string]string, req *ExportRequest) error {
	seq := req.LastSequence
	if seq != nil && c.cursor == CursorParameter {
		p[c.cursorName] = strconv.FormatInt(*seq, 10)
		seq = nil
	}
	var js []byte
	switch {
	case len(req.Params) > 0:
		m := req.Params
		if seq != nil {
			m = maps.Clone(m)
			m[c.cursorName] = *seq
		}
		var err error
		if js, err = jsonx.Marshal(m); err != nil {
			return couponkit.Invalid("Params", "does not encode as JSON: %v", err)
		}
	case seq != nil:
		js = make([]byte, 0, len(c.cursorName)+24)
		js = append(js, `{"`...)
		js = append(js, c.cursorName...)
		js = append(js, `":`...)
		js = strconv.AppendInt(js, *seq, 10)
		js = append(js, '}')
	default:
		return nil
	}
	p["params"] = string(js)
	return nil
}

// cursorGuard stops an export whose cursor repeats: it compares each cursor
// with the one before and with a mark moved forward at doubling intervals
// (Brent's cycle detection), so any cycle is found in constant memory.
type cursorGuard struct {
	prev, mark          int64
	havePrev, haveMark  bool
	sinceMark, interval int
}

// nextCursor returns the cursor of the page after v, or more == false at the
// end of the export.
func (g *cursorGuard) nextCursor(v *exportValue) (next int64, more bool, err error) {
	if !bool(v.HasNext) {
		return 0, false, nil
	}
	if v.LastSequence == nil {
		return 0, false, ErrCursorMissing
	}
	seq := int64(*v.LastSequence)
	if (g.havePrev && seq == g.prev) || (g.haveMark && seq == g.mark) {
		return 0, false, ErrCursorRepeated
	}
	g.prev, g.havePrev = seq, true
	if g.interval == 0 {
		g.interval = 1
	}
	if g.sinceMark++; g.sinceMark >= g.interval {
		g.mark, g.haveMark = seq, true
		g.interval *= 2
		g.sinceMark = 0
	}
	return seq, true, nil
}

// walk fetches the pages of an export in order, one at a time, and hands each
// to page until page returns false, the last page was handed over, or a
// failure, which is returned. A page whose cursor repeats or is missing is
// not handed over. The pages share one answer, whose code list's memory is
// reused from page to page: page must not keep a's codes.
func (c *Client) walk(ctx context.Context, req *ExportRequest, page func(a *exportAnswer, meta couponkit.Meta) bool) error {
	if err := req.validate(c.cursorName); err != nil {
		return err
	}
	r := *req
	var g cursorGuard
	if r.LastSequence != nil {
		g.prev, g.havePrev = *r.LastSequence, true
	}
	whole := r.LastSequence == nil // the export starts at its first code
	var (
		seen int64
		a    = new(exportAnswer) // one page at a time, in the same memory
	)
	for {
		if err := ctx.Err(); err != nil {
			return &couponkit.Error{Vendor: Vendor, Operation: MethodExportQuery, Message: err.Error(), Err: err}
		}
		meta, err := c.fetch(ctx, &r, a)
		if err != nil {
			return err
		}
		v := &a.Result.ReturnValue
		// The cursor is checked before the page is handed over: a page that
		// repeats a cursor most likely repeats codes already handed over.
		next, more, err := g.nextCursor(v)
		if err != nil {
			return &couponkit.Error{Vendor: Vendor, Operation: MethodExportQuery, Message: err.Error() + " (last_sequence " + strconv.FormatInt(int64(ptrOr(v.LastSequence)), 10) + ")",
				RequestID: meta.RequestID, HTTPStatus: meta.HTTPStatus, Err: err}
		}
		seen += int64(len(v.CouponList))
		if !page(a, meta) {
			return nil
		}
		if !more {
			if whole {
				return checkTotal(r.OperateType, seen, v, meta)
			}
			return nil
		}
		r.LastSequence = &next
	}
}

// checkTotal compares the codes a whole export yielded with the
// basic.total_count of its last page v, when it has one (see
// [ErrTotalMismatch]).
func checkTotal(op OperateType, seen int64, v *exportValue, meta couponkit.Meta) error {
	total := v.Basic.TotalCount
	if total == nil || seen == int64(*total) || (seen < int64(*total) && op == OperateConsume) {
		return nil
	}
	msg := "the export yielded " + strconv.FormatInt(seen, 10) + " codes, but basic.total_count is " + strconv.FormatInt(int64(*total), 10)
	return &couponkit.Error{Vendor: Vendor, Operation: MethodExportQuery, Message: msg, RequestID: meta.RequestID, HTTPStatus: meta.HTTPStatus, Err: ErrTotalMismatch}
}

// Pages iterates over the pages of an export, from req.LastSequence (nil: the
// first page) to the last, fetching each only when the previous one has been
// handled: one page is held in memory at a time. The context is checked
// before every page. A failure (validation, an error from TOP, a cancelled
// context, a repeated cursor, a whole export whose count of codes disagrees
// with its total: [ErrTotalMismatch], after the last page) is yielded once
// with a nil page and ends the iteration. req is not modified.
func (c *Client) Pages(ctx context.Context, req *ExportRequest) iter.Seq2[*ExportPage, error] {
	return func(yield func(*ExportPage, error) bool) {
		if err := c.walk(ctx, req, func(a *exportAnswer, meta couponkit.Meta) bool {
			return yield(a.page(meta), nil)
		}); err != nil {
			yield(nil, err)
		}
	}
}

// Codes iterates over every code of an export, page by page as [Client.Pages]
// does, without building the pages: memory does not grow with the number of
// codes. A failure (as for Pages, [ErrTotalMismatch] included) is yielded
// once with a zero Code and ends the iteration.
func (c *Client) Codes(ctx context.Context, req *ExportRequest) iter.Seq2[Code, error] {
	return func(yield func(Code, error) bool) {
		if err := c.walk(ctx, req, func(a *exportAnswer, _ couponkit.Meta) bool {
			list := a.Result.ReturnValue.CouponList
			for i := range list {
				if !yield(list[i].code(), nil) {
					return false
				}
			}
			return true
		}); err != nil {
			yield(Code{}, err)
		}
	}
}
