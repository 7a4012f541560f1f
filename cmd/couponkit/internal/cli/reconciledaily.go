package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/reconcile"
)

// isDailyReconcile reports whether reconcile's args ask for the daily
// reconciliation (--takings).
func isDailyReconcile(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		return strings.HasPrefix(a, "-") && name == "takings"
	})
}

// cmdReconcileDaily compares a zvcms takings export with the user's own
// per-store daily totals.
func cmdReconcileDaily(args []string, env Env) error {
	fs := newFlags("reconcile", "couponkit reconcile --takings takings.csv --totals totals.csv [--csv]\n\n"+
		"Compares zvcms's daily reconciliation (couponkit zvcms takings) with your own per-store\n"+
		"daily totals: store days missing on either side and amounts that differ (compared\nexactly, in fen; shown in yuan).\n\n"+reconcile.DailyColumns, env)
	takings := fs.String("takings", "", "takings CSV `file` (couponkit zvcms takings)")
	totals := fs.String("totals", "", "your totals CSV `file`")
	asCSV := fs.Bool("csv", false, "write CSV instead of a table")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if *takings == "" || *totals == "" {
		return usageErr("reconcile --takings needs --totals too")
	}
	malformed := 0
	load := func(p string, all bool) (map[reconcile.DayKey]*reconcile.Day, []string, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		m, cols, bad, err := reconcile.LoadDaily(f, p, all)
		for _, b := range bad {
			fmt.Fprintf(env.Stderr, "malformed: %v\n", b)
		}
		malformed += len(bad)
		return m, cols, err
	}
	tm, _, err := load(*takings, true)
	if err != nil {
		return err
	}
	om, cols, err := load(*totals, false)
	if err != nil {
		return err
	}
	fsd := reconcile.CompareDaily(om, tm, cols)
	if *asCSV {
		err = reconcile.WriteDailyCSV(env.Stdout, fsd)
	} else {
		err = reconcile.WriteDailyTable(env.Stdout, fsd)
	}
	if err != nil {
		return err
	}
	if len(fsd) > 0 || malformed > 0 {
		return &exitErr{1}
	}
	return nil
}
