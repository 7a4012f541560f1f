package cli

import (
	"fmt"
	"os"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/reconcile"
)

// ---- reconcile

func cmdReconcile(args []string, env Env) error {
	if isDailyReconcile(args) {
		return cmdReconcileDaily(args, env)
	}
	fs := newFlags("reconcile", "couponkit reconcile --orders orders.csv --redemptions export.csv [--csv]\n       couponkit reconcile --orders orders.csv --points ledger.csv [--csv]\n       couponkit reconcile --takings takings.csv --totals totals.csv [--csv] (see --takings -h)\n\nLists redemptions without an order, orders without a redemption and amounts\nthat differ (compared exactly, in fen); with --points, the records of a\nHoucaller points ledger (couponkit houcaller points) against the orders, by\norder_no.\n\n"+reconcile.Columns+"\n"+reconcile.PointsColumns, env)
	orders := fs.String("orders", "", "orders CSV `file`")
	reds := fs.String("redemptions", "", "redemptions CSV `file`")
	points := fs.String("points", "", "Houcaller points ledger CSV `file` (couponkit houcaller points), instead of --redemptions")
	asCSV := fs.Bool("csv", false, "write CSV instead of a table")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if *points != "" {
		if *reds != "" {
			return usageErr("reconcile takes --redemptions or --points, not both")
		}
		return reconcilePoints(*orders, *points, *asCSV, env)
	}
	if *orders == "" || *reds == "" {
		return usageErr("reconcile needs --orders and --redemptions (or --points)")
	}
	load := func(p string) (map[string]*reconcileEntry, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		m, bad, err := reconcile.Load(f, p)
		for _, b := range bad {
			fmt.Fprintf(env.Stderr, "malformed: %v\n", b)
		}
		return m, err
	}
	om, err := load(*orders)
	if err != nil {
		return err
	}
	rm, err := load(*reds)
	if err != nil {
		return err
	}
	fsd := reconcile.Compare(om, rm)
	if *asCSV {
		err = reconcile.WriteCSV(env.Stdout, fsd)
	} else {
		err = reconcile.WriteTable(env.Stdout, fsd)
	}
	if err != nil {
		return err
	}
	if len(fsd) > 0 {
		return &exitErr{1}
	}
	return nil
}

type reconcileEntry = reconcile.Entry
