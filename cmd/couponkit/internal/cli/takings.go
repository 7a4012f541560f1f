package cli

import (
	"context"
	"iter"
	"strings"
	"time"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/reconcile"
	"github.com/couponkit/couponkit/zvcms"
)

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
	f := &exportFlags{}
	f.add(fs)
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
	a := takingsArgs{*from, *to, *store, *page, f.out}
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
	if f.resume == 0 {
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
	return e.export(env, f, &a, func() string { return a.CSV }, "rows", func(r *exportRun) (pager, func(), error) {
		req, err := days()
		if err != nil {
			return nil, nil, err
		}
		c, err := r.s.zvcms()
		if err != nil {
			return nil, nil, err
		}
		p := &seqPager[zvcms.DailyReconciliation]{
			list: func(ctx context.Context) iter.Seq2[zvcms.DailyReconciliation, error] {
				return c.Reconciliation(ctx, &req)
			},
			row:  reconcile.TakingsRow,
			key:  func(row []string) string { return "store " + row[1] + " on " + row[0] + " from source " + row[5] },
			per:  a.PageSize,
			have: "the vendor lists %d rows now",
		}
		return p, func() { p.close(); c.Close() }, nil
	})
}
