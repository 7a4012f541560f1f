package reconcile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
	"github.com/couponkit/couponkit/zvcms"
)

// TakingsHeader are the columns of a zvcms takings export (couponkit zvcms
// takings): one row per store, day and order source, amounts in fen.
var TakingsHeader = []string{"date", "store_id", "store_name", "wx_merchant_no", "ali_store_no", "order_source", "source_name",
	"gmv_fen", "refund_fen", "discount_fen", "real_income_fen"}

// beijing is the vendor's time zone (UTC+8), whatever the host's.
var beijing = time.FixedZone("CST", 8*3600)

// AmountColumns are the amounts a daily reconciliation compares, in fen.
var AmountColumns = []string{"gmv_fen", "refund_fen", "discount_fen", "real_income_fen"}

// TakingsRow is r as a row of TakingsHeader.
func TakingsRow(r zvcms.DailyReconciliation) []string {
	f := func(a couponkit.Fen) string { return strconv.FormatInt(int64(a), 10) }
	return []string{r.Date.In(beijing).Format(time.DateOnly), strconv.FormatInt(r.StoreID, 10), r.StoreName, r.WxMerchantNo, r.AliStoreNo,
		strconv.Itoa(r.OrderSource), r.SourceName, f(r.GMV), f(r.Refunds), f(r.Discounts), f(r.RealIncome)}
}

// DailyColumns documents the input files of a daily reconciliation.
const DailyColumns = `takings.csv: a couponkit zvcms takings export (` + "date, store_id, …, gmv_fen, refund_fen, discount_fen, real_income_fen" + `)
totals.csv columns:  date (YYYY-MM-DD, the Beijing day), store_id (zvcms's storeId, as the export
                     writes it), and one or more of gmv_fen, refund_fen, discount_fen,
                     real_income_fen (integer fen): your own per-store daily totals
The export's rows of one store and day (one per order source) are summed, and so are the
totals' rows of one store and day; only the amount columns totals.csv has are compared.`

// DayKey is a store's day.
type DayKey struct {
	Date, Store string
}

// Day is the summed amounts of a store's day, by column.
type Day struct {
	amounts map[string]couponkit.Fen
}

// LoadDaily reads a takings export or a totals file into store-day → summed
// amounts, and returns the amount columns it has (all of AmountColumns for
// an export: want them all with all). Malformed rows are returned as errors
// with their line numbers, and left out.
func LoadDaily(r io.Reader, name string, all bool) (map[DayKey]*Day, []string, []error, error) {
	cr, err := csvio.NewReader(r, "date", "store_id")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	var cols []string
	for _, c := range AmountColumns {
		if slices.Contains(cr.Header(), c) {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 || all && len(cols) < len(AmountColumns) {
		return nil, nil, nil, fmt.Errorf("%s: line 1: header needs %s of %s", name, map[bool]string{true: "every one", false: "one or more"}[all],
			strings.Join(AmountColumns, ", "))
	}
	out := map[DayKey]*Day{}
	var bad []error
	for {
		row, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return out, cols, bad, nil
		}
		if err != nil {
			return nil, nil, bad, err
		}
		if row.Err != nil {
			bad = append(bad, fmt.Errorf("%s: %w", name, row.Err))
			continue
		}
		day, err := time.Parse(time.DateOnly, row.Get("date"))
		k := DayKey{day.Format(time.DateOnly), row.Get("store_id")}
		if err != nil || k.Store == "" {
			bad = append(bad, fmt.Errorf("%s: %w", name, csvio.Bad(row.Line, "date must be YYYY-MM-DD and store_id not empty")))
			continue
		}
		amounts := make(map[string]couponkit.Fen, len(cols))
		for _, c := range cols {
			n, err := strconv.ParseInt(row.Get(c), 10, 64)
			if err != nil {
				bad = append(bad, fmt.Errorf("%s: %w", name, csvio.Bad(row.Line, "%s: not an integer of fen: %q", c, row.Get(c))))
				amounts = nil
				break
			}
			amounts[c] = couponkit.Fen(n)
		}
		if amounts == nil {
			continue
		}
		d := out[k]
		if d == nil {
			d = &Day{amounts: map[string]couponkit.Fen{}}
			out[k] = d
		}
		for c, a := range amounts {
			d.amounts[c] += a
		}
	}
}

// Kinds of a daily finding.
const (
	NotAtVendor = "day-not-at-vendor"  // in the totals, not in the takings
	NotInTotals = "day-not-in-totals"  // in the takings, not in the totals
	DayDiffers  = "day-amount-differs" // one column's sums differ
)

// DailyFinding is one mismatch of a store's day.
type DailyFinding struct {
	Kind string
	DayKey
	// Column is the amount that differs (DayDiffers), or "".
	Column string
	// Ours and Vendor are its sums (DayDiffers), or, for a missing day,
	// the real_income_fen (or first compared column) of the side that has it.
	Ours, Vendor couponkit.Fen
}

// CompareDaily compares the totals with the takings on the columns the
// totals have; the findings are sorted by day, store, kind and column.
func CompareDaily(totals, takings map[DayKey]*Day, cols []string) []DailyFinding {
	shown := cols[len(cols)-1] // real_income_fen when the totals have it
	var out []DailyFinding
	for k, o := range totals {
		v, ok := takings[k]
		if !ok {
			out = append(out, DailyFinding{Kind: NotAtVendor, DayKey: k, Column: shown, Ours: o.amounts[shown]})
			continue
		}
		for _, c := range cols {
			if o.amounts[c] != v.amounts[c] {
				out = append(out, DailyFinding{Kind: DayDiffers, DayKey: k, Column: c, Ours: o.amounts[c], Vendor: v.amounts[c]})
			}
		}
	}
	for k, v := range takings {
		if _, ok := totals[k]; !ok {
			out = append(out, DailyFinding{Kind: NotInTotals, DayKey: k, Column: shown, Vendor: v.amounts[shown]})
		}
	}
	slices.SortFunc(out, func(a, b DailyFinding) int {
		return strings.Compare(a.Date+"\x00"+a.Store+"\x00"+a.Kind+"\x00"+a.Column, b.Date+"\x00"+b.Store+"\x00"+b.Kind+"\x00"+b.Column)
	})
	return out
}

// cells are f's amounts in yuan, as the table and CSV show them: ours,
// the vendor's and the difference (vendor − ours), empty for a side that
// does not have the day.
func (f DailyFinding) cells() (ours, vendor, diff string) {
	switch f.Kind {
	case NotAtVendor:
		return f.Ours.Yuan(), "", ""
	case NotInTotals:
		return "", f.Vendor.Yuan(), ""
	}
	return f.Ours.Yuan(), f.Vendor.Yuan(), (f.Vendor - f.Ours).Yuan()
}

// WriteDailyTable writes findings as an aligned table, amounts in yuan.
func WriteDailyTable(w io.Writer, fs []DailyFinding) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tDATE\tSTORE\tCOLUMN\tOURS\tVENDOR\tDIFF")
	for _, f := range fs {
		o, v, d := f.cells()
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Kind, f.Date, f.Store, f.Column, o, v, d)
	}
	return tw.Flush()
}

// WriteDailyCSV writes findings as CSV, amounts in yuan.
func WriteDailyCSV(w io.Writer, fs []DailyFinding) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"kind", "date", "store_id", "column", "ours", "vendor", "diff"})
	for _, f := range fs {
		o, v, d := f.cells()
		cw.Write([]string{f.Kind, f.Date, f.Store, f.Column, o, v, d})
	}
	cw.Flush()
	return cw.Error()
}
