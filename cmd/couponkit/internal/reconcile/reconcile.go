// Package reconcile matches redemptions against orders: redemptions without
// an order, orders without a redemption, and amounts that differ. Amounts are
// parsed exactly (couponkit.ParseYuan) and compared in fen.
package reconcile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
)

// Columns documents the input files.
const Columns = `orders.csv columns:      order_no, amount (yuan, such as 12.50) or amount_fen (integer fen)
redemptions.csv columns: order_no, amount (yuan) or amount_fen (fen); optional code
Several redemptions of one order are summed before comparing.`

// Kind of a finding.
const (
	NoOrder      = "redemption-without-order"
	NoRedemption = "order-without-redemption"
	AmountDiffer = "amount-differs"
)

// Finding is one mismatch.
type Finding struct {
	Kind      string
	OrderNo   string
	OrderFen  couponkit.Fen
	RedeemFen couponkit.Fen
	Codes     []string
	HasOrder  bool
	HasRedeem bool
}

type Entry struct {
	fen   couponkit.Fen
	codes []string
	n     int
}

// Load reads one file into order_no → summed amount; malformed rows are
// returned as errors with their line numbers.
func Load(r io.Reader, name string) (map[string]*Entry, []error, error) {
	cr, err := csvio.NewReader(r, "order_no")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	hasYuan, hasFen := false, false
	for _, c := range cr.Header() {
		hasYuan = hasYuan || c == "amount"
		hasFen = hasFen || c == "amount_fen"
	}
	if !hasYuan && !hasFen {
		return nil, nil, fmt.Errorf("%s: line 1: header needs amount or amount_fen", name)
	}
	out := map[string]*Entry{}
	var bad []error
	for {
		row, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return out, bad, nil
		}
		if err != nil {
			return nil, bad, err
		}
		if row.Err != nil {
			bad = append(bad, fmt.Errorf("%s: %w", name, row.Err))
			continue
		}
		no := row.Get("order_no")
		if no == "" {
			bad = append(bad, fmt.Errorf("%s: %w", name, csvio.Bad(row.Line, "empty order_no")))
			continue
		}
		var f couponkit.Fen
		if hasYuan && row.Get("amount") != "" {
			f, err = couponkit.ParseYuan(row.Get("amount"))
		} else {
			var n int64
			n, err = strconv.ParseInt(row.Get("amount_fen"), 10, 64)
			f = couponkit.Fen(n)
		}
		if err != nil {
			bad = append(bad, fmt.Errorf("%s: %w", name, csvio.Bad(row.Line, "amount: %v", err)))
			continue
		}
		e := out[no]
		if e == nil {
			e = &Entry{}
			out[no] = e
		}
		e.fen += f
		e.n++
		if c := row.Get("code"); c != "" {
			e.codes = append(e.codes, c)
		}
	}
}

// Compare returns the findings, sorted by order number.
func Compare(orders, redemptions map[string]*Entry) []Finding {
	var out []Finding
	for no, r := range redemptions {
		o, ok := orders[no]
		switch {
		case !ok:
			out = append(out, Finding{Kind: NoOrder, OrderNo: no, RedeemFen: r.fen, Codes: r.codes, HasRedeem: true})
		case o.fen != r.fen:
			out = append(out, Finding{Kind: AmountDiffer, OrderNo: no, OrderFen: o.fen, RedeemFen: r.fen, Codes: r.codes, HasOrder: true, HasRedeem: true})
		}
	}
	for no, o := range orders {
		if _, ok := redemptions[no]; !ok {
			out = append(out, Finding{Kind: NoRedemption, OrderNo: no, OrderFen: o.fen, HasOrder: true})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].OrderNo != out[j].OrderNo {
			return out[i].OrderNo < out[j].OrderNo
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

func amt(f couponkit.Fen, ok bool) string {
	if !ok {
		return ""
	}
	return f.Yuan()
}

// labels head the columns of the file compared with the orders (its amount
// and its items) in a report: in the table, and in CSV.
type labels struct{ table, csv [2]string }

var redemptionLabels = labels{table: [2]string{"REDEEMED", "CODES"}, csv: [2]string{"redeemed_amount", "codes"}}

// WriteTable writes findings as an aligned table.
func WriteTable(w io.Writer, fs []Finding) error { return writeTable(w, fs, redemptionLabels) }

func writeTable(w io.Writer, fs []Finding, l labels) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tORDER\tORDER AMOUNT\t"+l.table[0]+"\tDIFF\t"+l.table[1])
	for _, f := range fs {
		diff := ""
		if f.HasOrder && f.HasRedeem {
			diff = (f.RedeemFen - f.OrderFen).Yuan()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.Kind, f.OrderNo, amt(f.OrderFen, f.HasOrder), amt(f.RedeemFen, f.HasRedeem), diff, strings.Join(f.Codes, " "))
	}
	return tw.Flush()
}

// WriteCSV writes findings as CSV with amounts in yuan.
func WriteCSV(w io.Writer, fs []Finding) error { return writeCSV(w, fs, redemptionLabels) }

func writeCSV(w io.Writer, fs []Finding, l labels) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"kind", "order_no", "order_amount", l.csv[0], "diff", l.csv[1]})
	for _, f := range fs {
		diff := ""
		if f.HasOrder && f.HasRedeem {
			diff = (f.RedeemFen - f.OrderFen).Yuan()
		}
		cw.Write([]string{f.Kind, f.OrderNo, amt(f.OrderFen, f.HasOrder), amt(f.RedeemFen, f.HasRedeem), diff, strings.Join(f.Codes, " ")})
	}
	cw.Flush()
	return cw.Error()
}
