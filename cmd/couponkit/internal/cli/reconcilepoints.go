package cli

import (
	"fmt"
	"os"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/reconcile"
)

// reconcilePoints compares a Houcaller points ledger export with the orders:
// ledger records of an order not in the orders, orders without a record,
// amounts that differ (in fen). Rows of the ledger without an order are
// counted on stderr, never dropped silently; exit 1 when there is a finding.
func reconcilePoints(orders, points string, asCSV bool, env Env) error {
	if orders == "" {
		return usageErr("reconcile --points needs --orders")
	}
	f, err := os.Open(orders)
	if err != nil {
		return err
	}
	om, bad, err := reconcile.Load(f, orders)
	f.Close()
	for _, b := range bad {
		fmt.Fprintf(env.Stderr, "malformed: %v\n", b)
	}
	if err != nil {
		return err
	}
	f, err = os.Open(points)
	if err != nil {
		return err
	}
	lm, skipped, bad, err := reconcile.LoadPoints(f, points)
	f.Close()
	for _, b := range bad {
		fmt.Fprintf(env.Stderr, "malformed: %v\n", b)
	}
	if err != nil {
		return err
	}
	if skipped > 0 {
		fmt.Fprintf(env.Stderr, "%s: %d record(s) without an order_no left out (points not earned on an order)\n", points, skipped)
	}
	fs := reconcile.ComparePoints(om, lm)
	if asCSV {
		err = reconcile.WritePointsCSV(env.Stdout, fs)
	} else {
		err = reconcile.WritePointsTable(env.Stdout, fs)
	}
	if err != nil {
		return err
	}
	if len(fs) > 0 || len(bad) > 0 {
		return &exitErr{1}
	}
	return nil
}
