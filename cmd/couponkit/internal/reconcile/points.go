package reconcile

import (
	"errors"
	"fmt"
	"io"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
)

// PointsColumns documents the points ledger input (couponkit houcaller
// points writes it).
const PointsColumns = `points.csv columns:      order_no (the record's srcId), amount (yuan, the order amount); optional record_id
Rows without an order_no (points exchanged, expired, earned in the mall …) are
counted and left out; the amounts of an order's records are summed.`

// The kinds of a finding of the points ledger against the orders.
const (
	LedgerNoOrder = "ledger-without-order"
	OrderNoLedger = "order-without-ledger"
)

// LoadPoints reads a points ledger export into order_no → summed amount,
// with the record ids as the entry's codes. Rows without an order_no are
// not entries: skipped counts them. Malformed rows are returned as errors
// with their line numbers.
func LoadPoints(r io.Reader, name string) (m map[string]*Entry, skipped int, bad []error, err error) {
	cr, err := csvio.NewReader(r, "order_no", "amount")
	if err != nil {
		return nil, 0, nil, fmt.Errorf("%s: %w", name, err)
	}
	m = map[string]*Entry{}
	for {
		row, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return m, skipped, bad, nil
		}
		if err != nil {
			return nil, skipped, bad, err
		}
		if row.Err != nil {
			bad = append(bad, fmt.Errorf("%s: %w", name, row.Err))
			continue
		}
		no := row.Get("order_no")
		if no == "" {
			skipped++
			continue
		}
		f, err := couponkit.ParseYuan(row.Get("amount"))
		if err != nil {
			bad = append(bad, fmt.Errorf("%s: %w", name, csvio.Bad(row.Line, "amount: %v", err)))
			continue
		}
		e := m[no]
		if e == nil {
			e = &Entry{}
			m[no] = e
		}
		e.fen += f
		e.n++
		if id := row.Get("record_id"); id != "" {
			e.codes = append(e.codes, id)
		}
	}
}

// ComparePoints returns the findings of a points ledger against the orders,
// sorted by order number: ledger records of an order not in the orders
// (LedgerNoOrder), orders without a record (OrderNoLedger), and orders whose
// amount differs from their records' (AmountDiffer), compared in fen.
func ComparePoints(orders, ledger map[string]*Entry) []Finding {
	fs := Compare(orders, ledger)
	for i := range fs {
		switch fs[i].Kind {
		case NoOrder:
			fs[i].Kind = LedgerNoOrder
		case NoRedemption:
			fs[i].Kind = OrderNoLedger
		}
	}
	return fs
}

// pointsLabels head the ledger's columns of a report.
var pointsLabels = labels{table: [2]string{"LEDGER", "RECORDS"}, csv: [2]string{"ledger_amount", "records"}}

// WritePointsTable writes the findings of ComparePoints as an aligned table.
func WritePointsTable(w io.Writer, fs []Finding) error { return writeTable(w, fs, pointsLabels) }

// WritePointsCSV writes the findings of ComparePoints as CSV with amounts in
// yuan.
func WritePointsCSV(w io.Writer, fs []Finding) error { return writeCSV(w, fs, pointsLabels) }
