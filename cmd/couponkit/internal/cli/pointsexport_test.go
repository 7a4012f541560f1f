package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

// seedPoints gives each member records in December 2023 and February 2024
// (counts[i] for member i in December, i+1 in February; January empty),
// and returns the members list file.
func seedPoints(t *testing.T, f *fakeserve.Fake, counts ...int) string {
	t.Helper()
	srv := f.Server.(*houcallertest.Server)
	var list strings.Builder
	list.WriteString("member_id\n")
	for i, n := range counts {
		m := "M" + strconv.Itoa(i)
		list.WriteString(m + "\n")
		for j := range n {
			srv.AddPointsRecord(m, houcaller.PointsRecord{ID: m + "-12-" + strconv.Itoa(j), OrderID: m + "-O" + strconv.Itoa(j),
				BizDate: time.Date(2023, 12, 1+j%28, 0, 0, 0, 0, beijing), Amount: couponkit.Fen(1000 + j), PointsEarned: int64(j),
				ScoreType: houcaller.ScoreEarned, BusinessType: houcaller.BusinessConsumptionHaobi})
		}
		for j := range i + 1 {
			srv.AddPointsRecord(m, houcaller.PointsRecord{ID: m + "-02-" + strconv.Itoa(j), BizDate: time.Date(2024, 2, 3, 0, 0, 0, 0, beijing),
				PointsSpent: 30, ScoreType: houcaller.ScoreExchanged, BusinessType: houcaller.BusinessCouponExchange, Remark: "轻烹商城兑券"})
		}
	}
	p := filepath.Join(t.TempDir(), "members.csv")
	if err := os.WriteFile(p, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func pointsArgsFor(members, out, jp string, extra ...string) []string {
	return append([]string{"houcaller", "points", "--from", members, "--from-month", "2023-12", "--to-month", "2024-02", "--page", "5",
		"--csv", out, "--journal", jp}, extra...)
}

// The export writes every member's records of every month, a ledger page a
// journaled page; killed after a page (the journal cut back, half a page
// written after it), --resume completes the same file; a second --resume
// finds it complete.
func TestHoucallerPointsExportResumes(t *testing.T) {
	ctx := context.Background()
	f, env := startFake(t, "houcaller", nil)
	members := seedPoints(t, f, 12, 0, 3)
	dir := t.TempDir()
	before := 0
	lp := lostPages{args: func(out, jp string) []string { return pointsArgsFor(members, out, jp) },
		resume: []string{"houcaller", "points", "--resume", "1"}, keep: 2, extra: 13}
	r, want, _, got := lp.run(t, env, dir, func() { before = f.RequestCount() })
	if r.code != 0 || !strings.Contains(r.out, "21 rows") {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	lines := strings.Split(strings.TrimSpace(string(want)), "\n")
	if lines[0] != strings.Join(pointsHeader, ",") || len(lines) != 22 {
		t.Fatalf("%d lines:\n%s", len(lines), want)
	}
	if lines[1] != "M0,2023-12,M0-12-0,M0-O0,2023-12-01 00:00:00,,,10.00,0.00,0.00,0,0,1,-5," {
		t.Fatalf("first row %q", lines[1])
	}
	if lines[21] != "M2,2024-02,M2-02-2,,2024-02-03 00:00:00,,,0.00,0.00,0.00,0,30,3,1,轻烹商城兑券" {
		t.Fatalf("last row %q", lines[21])
	}
	// M0: December 5+5+2, January empty, February 1; M1: three empty-ish
	// months (December and January empty, February 2); M2: 3, empty, 3.
	j, _ := journal.Open(filepath.Join(dir, "a.db"))
	items, _ := j.Items(ctx, 1)
	j.Close()
	if len(items) != 5+3+3 {
		t.Fatalf("%d pages journaled, want 11", len(items))
	}
	var first exportPage
	json.Unmarshal(items[0].Result, &first)
	if string(first.Cursor) != `{"i":0,"month":"2023-12","offset":5}` || !first.HasNext {
		t.Fatalf("first page %+v", first)
	}

	if !bytes.Equal(got, want) {
		t.Fatalf("resumed export differs:\n%s\n---\n%s", got, want)
	}
	if n := f.RequestCount() - before; n != 11-2 {
		t.Fatalf("%d requests on resume, want the 9 pages after the second", n)
	}
	if r := run(t, env, "houcaller", "points", "--resume", "1", "--journal", filepath.Join(dir, "b.db")); r.code != 0 || !strings.Contains(r.out, "already complete") {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
}

// A gateway that answers a later page from offset 0 (it ignores
// page.offset): the export stops before writing a row twice; --resume,
// against a gateway that answers well, completes the same file. A month
// that the gateway ends short of its own page count stops it too.
func TestHoucallerPointsExportStopsOnUntrustedPages(t *testing.T) {
	f, env := startFake(t, "houcaller", nil)
	members := seedPoints(t, f, 12)
	dir := t.TempDir()
	full := filepath.Join(dir, "full.csv")
	if r := run(t, env, pointsArgsFor(members, full, filepath.Join(dir, "a.db"))...); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	want, _ := os.ReadFile(full)

	t.Run("repeated", func(t *testing.T) {
		part, jp := filepath.Join(dir, "rep.csv"), filepath.Join(dir, "rep.db")
		f.Server.(*houcallertest.Server).IgnoreOffsetNext()
		r := run(t, env, pointsArgsFor(members, part, jp)...)
		got, _ := os.ReadFile(part)
		if r.code != 1 || !strings.Contains(r.err, "page repeated") || bytes.Count(got, []byte("\n")) != 1+5 {
			t.Fatalf("exit %d, %d lines written: %s %s", r.code, bytes.Count(got, []byte("\n")), r.out, r.err)
		}
		if r := run(t, env, "houcaller", "points", "--resume", "1", "--journal", jp); r.code != 0 {
			t.Fatalf("resume: exit %d: %s %s", r.code, r.out, r.err)
		}
		if got, _ := os.ReadFile(part); !bytes.Equal(got, want) {
			t.Fatalf("resumed export differs:\n%s\n---\n%s", got, want)
		}
	})
	t.Run("short", func(t *testing.T) {
		part, jp := filepath.Join(dir, "short.csv"), filepath.Join(dir, "short.db")
		end := `{"msg":"操作成功","code":0,"data":{"totalIncScore":66,"totalExpScore":0,"records":[],"page":{"next":false,"pages":3}}}`
		f.Controls.Inject(couponkittest.Fault{}, couponkittest.Fault{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(end)})
		r := run(t, env, pointsArgsFor(members, part, jp)...)
		if r.code != 1 || !strings.Contains(r.err, "listing ended short") || !strings.Contains(r.err, "after 5 records") {
			t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
		}
		if r := run(t, env, "houcaller", "points", "--resume", "1", "--journal", jp); r.code != 0 {
			t.Fatalf("resume: exit %d: %s %s", r.code, r.out, r.err)
		}
		if got, _ := os.ReadFile(part); !bytes.Equal(got, want) {
			t.Fatalf("resumed export differs:\n%s\n---\n%s", got, want)
		}
	})
}

// Bad flags are refused before any request, and leave no journal; one
// member by phone is exported too.
func TestHoucallerPointsExportFlags(t *testing.T) {
	f, env := startFake(t, "houcaller", nil)
	members := seedPoints(t, f, 2)
	dir := t.TempDir()
	jp := filepath.Join(dir, "j.db")
	out := filepath.Join(dir, "out.csv")
	before := f.RequestCount()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--csv", out, "--from-month", "2023-12"}, "needs --member or --from"},
		{[]string{"--member", "M0", "--from", members, "--csv", out, "--from-month", "2023-12"}, "needs --member or --from"},
		{[]string{"--member", "M0", "--csv", out}, "needs --member or --from"},
		{[]string{"--member", "M0", "--csv", out, "--from-month", "2023-13"}, `--from-month "2023-13" is not yyyy-MM`},
		{[]string{"--member", "M0", "--csv", out, "--from-month", "2023-12", "--to-month", "2023-11"}, "is before --from-month"},
		{[]string{"--member", "M0", "--csv", out, "--from-month", "2023-12", "--by", "id"}, `--by "id" is not`},
		{[]string{"--member", "M0", "--csv", out, "--from-month", "2023-12", "--score-type", "11"}, "--score-type 11"},
		{[]string{"--member", "M0", "--csv", out, "--from-month", "2023-12", "--page", "0"}, "--page must be at least 1"},
	} {
		r := run(t, env, append([]string{"houcaller", "points", "--journal", jp}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d, want 2 with %q: %s %s", c.args, r.code, c.want, r.out, r.err)
		}
	}
	if f.RequestCount() != before {
		t.Errorf("%d requests sent", f.RequestCount()-before)
	}
	if _, err := os.Stat(jp); err == nil {
		t.Error("a journal file was created")
	}

	f.Server.(*houcallertest.Server).AddMember(houcallertest.Member{ID: "M0", Phone: "13800138000"})
	r := run(t, env, "houcaller", "points", "--by", "phone", "--member", "13800138000", "--from-month", "2023-12", "--score-type", "1",
		"--csv", out, "--journal", jp)
	got, _ := os.ReadFile(out)
	if r.code != 0 || bytes.Count(got, []byte("\n")) != 3 || !bytes.Contains(got, []byte("\n13800138000,2023-12,M0-12-1,M0-O1,")) {
		t.Fatalf("exit %d: %s %s\n%s", r.code, r.out, r.err, got)
	}
}

// The reconciliation of a points ledger: consumptions recorded through the
// command, their ledger exported, compared with the till's orders by
// order_no, amounts in fen; records without an order are counted, not
// compared.
func TestReconcilePoints(t *testing.T) {
	f, env := startFake(t, "houcaller", nil)
	dir := t.TempDir()
	cons := filepath.Join(dir, "cons.csv")
	os.WriteFile(cons, []byte("serial_code,member_id,order_id,amount,biz_date\ns1,M0,O-1,30.00,2024-01-02\ns2,M0,O-2,12.50,2024-01-03\ns3,M0,O-3,8,2024-01-04\n"), 0o644)
	if r := run(t, env, "houcaller", "record-consumption", "--from", cons, "--journal", filepath.Join(dir, "j.db")); r.code != 0 {
		t.Fatalf("record: exit %d: %s %s", r.code, r.out, r.err)
	}
	f.Server.(*houcallertest.Server).AddPointsRecord("M0", houcaller.PointsRecord{ID: "x", BizDate: time.Date(2024, 1, 9, 0, 0, 0, 0, beijing), PointsSpent: 5})
	ledger := filepath.Join(dir, "ledger.csv")
	if r := run(t, env, "houcaller", "points", "--member", "M0", "--from-month", "2024-01", "--csv", ledger, "--journal", filepath.Join(dir, "j.db")); r.code != 0 {
		t.Fatalf("export: exit %d: %s %s", r.code, r.out, r.err)
	}
	orders := filepath.Join(dir, "orders.csv")
	os.WriteFile(orders, []byte("order_no,amount_fen\nO-1,3000\nO-2,1249\nO-4,500\n"), 0o644)
	r := run(t, env, "reconcile", "--orders", orders, "--points", ledger, "--csv")
	want := "kind,order_no,order_amount,ledger_amount,diff,records\n" +
		"amount-differs,O-2,12.49,12.50,0.01," + recordID(t, f, "O-2") + "\n" +
		"ledger-without-order,O-3,,8.00,," + recordID(t, f, "O-3") + "\n" +
		"order-without-ledger,O-4,5.00,,,\n"
	if r.code != 1 || r.out != want || !strings.Contains(r.err, "1 record(s) without an order_no left out") {
		t.Fatalf("exit %d:\n%s\nwant\n%s\n%s", r.code, r.out, want, r.err)
	}
	if r := run(t, env, "reconcile", "--orders", orders, "--points", ledger, "--redemptions", orders); r.code != 2 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
}

// recordID is the id of the ledger record of order.
func recordID(t *testing.T, f *fakeserve.Fake, order string) string {
	for _, r := range f.Server.(*houcallertest.Server).PointsRecords("M0") {
		if r.OrderID == order {
			return r.ID
		}
	}
	t.Fatalf("no record of %s", order)
	return ""
}
