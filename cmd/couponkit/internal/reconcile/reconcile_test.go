package reconcile

import (
	"bytes"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	orders, bad, err := Load(strings.NewReader("order_no,amount\nA,10.00\nB,5.5\nC,0.10\nD,oops\n"), "orders.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || !strings.Contains(bad[0].Error(), "line 5") {
		t.Fatalf("bad %v", bad)
	}
	reds, _, err := Load(strings.NewReader("order_no,amount_fen,code\nA,600,c1\nA,400,c2\nB,549,c3\nZ,100,c4\n"), "redemptions.csv")
	if err != nil {
		t.Fatal(err)
	}
	fs := Compare(orders, reds)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, fs); err != nil {
		t.Fatal(err)
	}
	want := "kind,order_no,order_amount,redeemed_amount,diff,codes\n" +
		"amount-differs,B,5.50,5.49,-0.01,c3\n" +
		"order-without-redemption,C,0.10,,,\n" +
		"redemption-without-order,Z,,1.00,,c4\n"
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
