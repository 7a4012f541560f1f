package reconcile

import (
	"bytes"
	"strings"
	"testing"
)

// A ledger's records are summed per order (a reversal nets out), rows
// without an order are counted and left out, and the report names the
// ledger's columns.
func TestComparePoints(t *testing.T) {
	orders, _, err := Load(strings.NewReader("order_no,amount\nA,10.00\nB,5.50\nC,1\n"), "orders.csv")
	if err != nil {
		t.Fatal(err)
	}
	ledger, skipped, bad, err := LoadPoints(strings.NewReader("member,order_no,amount,record_id,remark\n"+
		"m,A,12.00,r1,\nm,A,-2.00,r2,反结账\nm,B,5.49,r3,\nm,,0.00,r4,兑券\nm,Z,1.00,r5,\nm,C,1.001,r6,\n"), "ledger.csv")
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 1 || len(bad) != 1 || !strings.Contains(bad[0].Error(), "line 7") {
		t.Fatalf("skipped %d, bad %v", skipped, bad)
	}
	var buf bytes.Buffer
	if err := WritePointsCSV(&buf, ComparePoints(orders, ledger)); err != nil {
		t.Fatal(err)
	}
	want := "kind,order_no,order_amount,ledger_amount,diff,records\n" +
		"amount-differs,B,5.50,5.49,-0.01,r3\n" +
		"order-without-ledger,C,1.00,,,\n" +
		"ledger-without-order,Z,,1.00,,r5\n"
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := WritePointsTable(&buf, nil); err != nil || !strings.HasPrefix(buf.String(), "KIND  ORDER  ORDER AMOUNT  LEDGER  DIFF  RECORDS") {
		t.Fatalf("%v %q", err, buf.String())
	}
	if _, _, _, err := LoadPoints(strings.NewReader("order_no,amount_fen\nA,1\n"), "x.csv"); err == nil || !strings.Contains(err.Error(), "amount") {
		t.Fatalf("a ledger without amount: %v", err)
	}
}
