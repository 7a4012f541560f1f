package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// startTakings starts a zvcms fake holding 12 rows: stores 7 and 8 on
// 2026-12-01..03, from order sources 1 and 2, amounts in fen.
func startTakings(t *testing.T) (*zvcmstest.Server, map[string]string) {
	f, env := startFake(t, "zvcms", nil)
	srv := f.Server.(*zvcmstest.Server)
	for d := 1; d <= 3; d++ {
		for _, store := range []int64{7, 8} {
			for src := 1; src <= 2; src++ {
				gmv := couponkit.Fen(100000*store + 1000*int64(d) + int64(src))
				srv.AddDailyReconciliation("S"+string(rune('0'+store)), zvcms.DailyReconciliation{Date: time.Date(2026, 12, d, 0, 0, 0, 0, beijing),
					StoreID: store, StoreName: "店", OrderSource: src, GMV: gmv, Refunds: 100, Discounts: 50, RealIncome: gmv - 150})
			}
		}
	}
	return srv, env
}

// zvcms takings exports the daily reconciliation page by page, amounts in
// fen; a resume after the journal lost its last pages (and the file has
// half a page more) gives the same file as an uninterrupted export.
func TestZvcmsTakingsExportResumes(t *testing.T) {
	_, env := startTakings(t)
	dir := t.TempDir()
	lp := lostPages{args: func(out, jp string) []string {
		return []string{"zvcms", "takings", "--from-date", "2026-12-01", "--to-date", "2026-12-03", "--page", "5", "--csv", out, "--journal", jp}
	}, resume: []string{"zvcms", "takings", "--resume", "1"}, keep: 1, extra: 11}
	whole, want, pages, got := lp.run(t, env, dir, nil)
	if whole.code != 0 || !strings.Contains(whole.out, "12 rows") {
		t.Fatalf("exit %d: %s %s", whole.code, whole.out, whole.err)
	}
	lines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	if len(lines) != 13 || lines[0] != "date,store_id,store_name,wx_merchant_no,ali_store_no,order_source,source_name,gmv_fen,refund_fen,discount_fen,real_income_fen" ||
		lines[1] != "2026-12-01,7,店,,,1,,701001,100,50,700851" {
		t.Fatalf("%d lines:\n%s", len(lines), want)
	}
	if pages != 3 {
		t.Fatalf("%d pages, want 3", pages)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("resumed export differs:\n%s\n---\n%s", got, want)
	}
	r := run(t, env, "zvcms", "takings", "--from-date", "2026-12-03", "--to-date", "2026-12-01", "--csv", filepath.Join(dir, "x.csv"), "--journal", filepath.Join(dir, "b.db"))
	if r.code != 2 || !strings.Contains(r.err, "before --from-date") {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
}

// reconcile --takings compares the export with the user's totals per store
// and day (the export's order sources summed): a day missing on each side
// and a differing amount are listed, exit 1; matching totals exit 0.
func TestReconcileTakings(t *testing.T) {
	_, env := startTakings(t)
	dir := t.TempDir()
	takings := filepath.Join(dir, "takings.csv")
	if r := run(t, env, "zvcms", "takings", "--from-date", "2026-12-01", "--to-date", "2026-12-02", "--csv", takings, "--journal", filepath.Join(dir, "j.db")); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	totals := filepath.Join(dir, "totals.csv")
	// Store 7 on 12-01: sources 1 and 2 sum to 701001+701002 gmv, 1401703 income.
	os.WriteFile(totals, []byte("date,store_id,real_income_fen,gmv_fen\n"+
		"2026-12-01,7,1401703,1402003\n2026-12-01,8,1601703,1602003\n"+
		"2026-12-02,7,1403700,1404003\n"+ // income 3 fen short, gmv right
		"2026-12-03,7,100,100\n"), 0o644) // a day the export does not hold; store 8 on 12-02 missing
	r := run(t, env, "reconcile", "--takings", takings, "--totals", totals, "--csv")
	want := "kind,date,store_id,column,ours,vendor,diff\n" +
		"day-amount-differs,2026-12-02,7,real_income_fen,14037.00,14037.03,0.03\n" +
		"day-not-in-totals,2026-12-02,8,real_income_fen,,16037.03,\n" +
		"day-not-at-vendor,2026-12-03,7,real_income_fen,1.00,,\n"
	if r.code != 1 || r.out != want {
		t.Fatalf("exit %d:\n%s\nwant\n%s%s", r.code, r.out, want, r.err)
	}
	os.WriteFile(totals, []byte("date,store_id,real_income_fen\n2026-12-01,7,1401703\n2026-12-01,8,1601703\n2026-12-02,7,1403703\n2026-12-02,8,1603703\n"), 0o644)
	if r := run(t, env, "reconcile", "--takings", takings, "--totals", totals); r.code != 0 || strings.Count(r.out, "\n") != 1 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	os.WriteFile(totals, []byte("date,store_id,real_income_fen\n2026-12-01,7,12.50\n"), 0o644)
	if r := run(t, env, "reconcile", "--takings", takings, "--totals", totals); r.code != 1 || !strings.Contains(r.err, "line 2: real_income_fen: not an integer of fen") {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
}

// The help of zvcms takings and of reconcile --takings, as golden files.
func TestTakingsHelpGolden(t *testing.T) {
	for name, args := range map[string][]string{
		"help_zvcms_takings_h.golden":          {"zvcms", "takings", "-h"},
		"help_reconcile_takings_xcsv_h.golden": {"reconcile", "--takings", "x.csv", "-h"},
	} {
		r := run(t, nil, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.err)
		}
		golden(t, name, r.out)
	}
}
