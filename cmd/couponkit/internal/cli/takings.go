package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/reconcile"
	"github.com/couponkit/couponkit/zvcms"
)

// zvcmsTakingsPager reads the daily reconciliation (Reconciliation) a page
// at a time; the cursor is the number of rows written. The SDK's listing
// starts at the first page, so a resumed export reads the rows already
// written again (reads) and skips them.
type zvcmsTakingsPager struct {
	c    *zvcms.Client
	req  zvcms.ReconciliationRequest
	per  int
	next func() (zvcms.DailyReconciliation, error, bool)
	stop func()
	pos  int64 // rows taken from next
}

// RowKey implements rowKeyer: a store's day from one order source.
func (p *zvcmsTakingsPager) RowKey(row []string) string {
	return "store " + row[1] + " on " + row[0] + " from source " + row[5]
}

func (p *zvcmsTakingsPager) Page(ctx context.Context, cursor json.RawMessage) ([][]string, json.RawMessage, bool, error) {
	start, _, err := intCursor(cursor)
	if err != nil {
		return nil, nil, false, err
	}
	if p.next == nil {
		p.next, p.stop = iter.Pull2(p.c.Reconciliation(ctx, &p.req))
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
			return nil, nil, false, fmt.Errorf("the vendor lists %d rows now, fewer than the %d already written", p.pos, start)
		}
		p.pos++
	}
	var rows [][]string
	for len(rows) < p.per {
		r, err, ok := p.next()
		if err != nil {
			return nil, nil, false, err
		}
		if !ok {
			return rows, json.RawMessage(strconv.FormatInt(p.pos, 10)), false, nil
		}
		p.pos++
		rows = append(rows, reconcile.TakingsRow(r))
	}
	return rows, json.RawMessage(strconv.FormatInt(p.pos, 10)), true, nil
}

func (p *zvcmsTakingsPager) close() {
	if p.stop != nil {
		p.stop()
	}
}

func cmdZvcmsTakings(args []string, env Env) error {
	fs := newFlags("zvcms takings", "couponkit zvcms takings --from-date YYYY-MM-DD --to-date YYYY-MM-DD --csv out.csv [--store-code CODE] [--page N] [--resume JOB]\n\n"+
		"Exports the stores' daily reconciliation (data.bi.financial-reconciliation: per store, day and order\nsource, turnover, refunds, discounts and real income) to CSV, amounts in fen\n(columns: "+
		strings.Join(reconcile.TakingsHeader, ",")+").\nEach page is written and synced, then journaled with the number of rows written;\n"+
		"--resume truncates the file to the last journaled page and goes on from there (the\nrows before it are listed again and skipped). Days are Beijing days; whether the\nvendor includes --to-date is not published (the fake does).\n"+
		"couponkit reconcile --takings FILE --totals FILE compares it with your own totals.", env)
	from := fs.String("from-date", "", "the first day (startDate), YYYY-MM-DD, Beijing time")
	to := fs.String("to-date", "", "the last day (endData), YYYY-MM-DD, Beijing time")
	store := fs.String("store-code", "", "only this store (multiMark, its code)")
	page := fs.Int("page", zvcms.MaxReconciliationPageSize, "rows per page (perPage, at most 100)")
	out := fs.String("csv", "", "output CSV `file`")
	resume := fs.Int64("resume", 0, "resume export `JOB` from its last journaled page")
	var jp, profile, config string
	rate := fs.Float64("rate", 0, "at most `R` requests a second (0: no limit)")
	addCommonFlags(fs, &jp, &profile, &config)
	if err := parse(fs, args, env); err != nil {
		return err
	}
	type takingsArgs struct {
		From      string `json:"fromDate"`
		To        string `json:"toDate"`
		StoreCode string `json:"storeCode,omitempty"`
		PageSize  int    `json:"pageSize"`
		CSV       string `json:"csv"`
	}
	a := takingsArgs{*from, *to, *store, *page, *out}
	days := func() (zvcms.ReconciliationRequest, error) {
		req := zvcms.ReconciliationRequest{StoreCode: a.StoreCode, PageSize: a.PageSize}
		var err1, err2 error
		req.From, err1 = time.ParseInLocation(time.DateOnly, a.From, beijing)
		req.To, err2 = time.ParseInLocation(time.DateOnly, a.To, beijing)
		switch {
		case err1 != nil || err2 != nil:
			return req, usageErr("--from-date and --to-date must be YYYY-MM-DD, not %q and %q", a.From, a.To)
		case req.To.Before(req.From):
			return req, usageErr("--to-date %s is before --from-date %s", a.To, a.From)
		}
		return req, nil
	}
	if *resume == 0 {
		if a.From == "" || a.To == "" || a.CSV == "" {
			return usageErr("zvcms takings needs --from-date, --to-date and --csv (or --resume JOB)")
		}
		if a.PageSize < 1 || a.PageSize > zvcms.MaxReconciliationPageSize {
			return usageErr("--page must be 1 to %d", zvcms.MaxReconciliationPageSize)
		}
		if _, err := days(); err != nil {
			return err
		}
	}
	e := exportJob{vendor: "zvcms", kind: "takings-export", header: reconcile.TakingsHeader}
	r, err := e.open(env, profile, config, *rate, jp, *resume, &a, func() string { return a.CSV }, "rows")
	if err != nil {
		return err
	}
	defer r.close()
	if r.done {
		return nil
	}
	req, err := days()
	if err != nil {
		return err
	}
	c, err := r.s.zvcms()
	if err != nil {
		return err
	}
	defer c.Close()
	p := &zvcmsTakingsPager{c: c, req: req, per: a.PageSize}
	defer p.close()
	return e.run(r, a.CSV, p)
}
