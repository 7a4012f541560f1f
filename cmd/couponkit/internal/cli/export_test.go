package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

func taobaoSeed() *fakeserve.Seed {
	return &fakeserve.Seed{Batches: []taobaofilmtest.Batch{{MixID: "mix1", PartnerCode: "p1", Count: 700, Seed: 7, RedeemedPercent: 20, BoundPercent: 10}}}
}

// A page is journaled done together with its result; a journal whose last
// page lacks one (a kill between two statements, as an earlier version
// wrote it) resumes from the page before, giving the same file.
func TestExportResumesPastAPageWithoutResult(t *testing.T) {
	_, env := startFake(t, "taobaofilm", taobaoSeed())
	dir := t.TempDir()
	full := filepath.Join(dir, "full.csv")
	exp := func(jp, out string, extra ...string) result {
		return run(t, env, append([]string{"taobaofilm", "export", "--mix-id", "mix1", "--partner-code", "p1", "--operate", "ALL", "--csv", out, "--journal", jp}, extra...)...)
	}
	if r := exp(filepath.Join(dir, "a.db"), full); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	want, _ := os.ReadFile(full)

	part := filepath.Join(dir, "part.csv")
	jp := filepath.Join(dir, "b.db")
	if r := exp(jp, part); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	// Cut the journal back to its first two pages, the second one done
	// without its result, and leave a half-written third page in the file.
	j, err := journal.Open(jp)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	items, err := j.Items(ctx, 1)
	if err != nil || len(items) < 4 {
		t.Fatalf("%d pages, %v", len(items), err)
	}
	var p2 exportPage
	json.Unmarshal(items[1].Result, &p2)
	if err := j.DeleteAfter(ctx, 1, 2); err != nil {
		t.Fatal(err)
	}
	if err := j.Finish(ctx, 1, 2, journal.Done, nil, ""); err != nil {
		t.Fatal(err)
	}
	j.Close()
	if err := os.Truncate(part, p2.Bytes+17); err != nil {
		t.Fatal(err)
	}

	r := run(t, env, "taobaofilm", "export", "--resume", "1", "--journal", jp)
	if r.code != 0 {
		t.Fatalf("resume: exit %d: %s %s", r.code, r.out, r.err)
	}
	got, _ := os.ReadFile(part)
	if !bytes.Equal(got, want) {
		t.Fatalf("resumed export differs: %d bytes vs %d", len(got), len(want))
	}
	// A second resume finds the export complete.
	r = run(t, env, "taobaofilm", "export", "--resume", "1", "--journal", jp)
	if r.code != 0 || !bytes.Contains([]byte(r.out), []byte("already complete")) {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
}

// On --resume, items of unknown outcome are checked with the vendor's query
// call first: e-Buy's code history, zvcms's customer coupons. An item found
// applied is recorded checked and not sent again; one not applied is sent
// with its recorded key.
func TestResumeChecksUnknownOutcomes(t *testing.T) {
	ctx := context.Background()
	t.Run("ebuy", func(t *testing.T) {
		f, env := startFake(t, "ebuy", ebuySeed(45))
		codes := writeCodes(t, f, "")
		jp := filepath.Join(t.TempDir(), "j.db")
		if r := run(t, env, "ebuy", "activate", "--from", codes, "--journal", jp); r.code != 0 {
			t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
		}
		j, err := journal.Open(jp)
		if err != nil {
			t.Fatal(err)
		}
		// Item 3 applied but its answer lost; a second job's only item
		// recorded sent but never sent (killed right after).
		if err := j.Finish(ctx, 1, 3, journal.Unknown, nil, "unknown outcome"); err != nil {
			t.Fatal(err)
		}
		j.Close()
		before := f.RequestCount()
		r := run(t, env, "ebuy", "activate", "--resume", "1", "--journal", jp)
		if r.code != 0 || !strings.Contains(r.out, "1 item(s) of unknown outcome found applied") || !strings.Contains(r.out, "checked 1, done 2") {
			t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
		}
		// Five history queries, no activation sent.
		if n := f.RequestCount() - before; n != 5 {
			t.Fatalf("%d requests on resume, want the 5 history queries", n)
		}
	})
	t.Run("zvcms", func(t *testing.T) {
		f, env := startFake(t, "zvcms", &fakeserve.Seed{Count: 2})
		c1, c2 := f.Seeded[1], f.Seeded[2]
		// The first coupon redeemed under biz-a, its answer lost.
		if r := run(t, env, "zvcms", "write-off-coupon", "--biz-id", "biz-a", "--channel", "naixue", "--customer-id", c1[0], "--card-ids", c1[1]); r.code != 0 {
			t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
		}
		jp := filepath.Join(t.TempDir(), "j.db")
		j, err := journal.Open(jp)
		if err != nil {
			t.Fatal(err)
		}
		id, err := j.CreateJob(ctx, "redeem", "zvcms", map[string]any{})
		if err != nil {
			t.Fatal(err)
		}
		item := func(seq int64, key string, c []string) journal.Item {
			in, _ := json.Marshal(map[string]any{"lines": []int{int(seq) + 1}, "entries": []redemption{{BizID: key, Channel: "naixue", CustomerID: c[0], CardIDs: []string{c[1]}}}})
			return journal.Item{Job: id, Seq: seq, Input: in, Key: key, State: journal.Sent}
		}
		if err := j.AddItems(ctx, []journal.Item{item(1, "biz-a", c1), item(2, "biz-b", c2)}); err != nil {
			t.Fatal(err)
		}
		j.Close()
		before := f.RequestCount()
		r := run(t, env, "zvcms", "redeem", "--resume", "1", "--journal", jp)
		if r.code != 0 || !strings.Contains(r.out, "1 item(s) of unknown outcome found applied") || !strings.Contains(r.out, "checked 1, done 1") {
			t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
		}
		// Two coupon queries and one write-off (biz-b's).
		if n := f.RequestCount() - before; n != 3 {
			t.Fatalf("%d requests on resume, want 3", n)
		}
		j, _ = journal.Open(jp)
		defer j.Close()
		items, _ := j.Items(ctx, id)
		if items[0].State != journal.Checked || items[1].State != journal.Done || items[1].Key != "biz-b" {
			t.Fatalf("items %+v", items)
		}
	})
}

// e-Buy code histories and Houcaller coupon lists export to CSV the same way:
// a resume after the journal lost its last pages gives the same file.
func TestListExportsResume(t *testing.T) {
	ctx := context.Background()
	ef, eenv := startFake(t, "ebuy", ebuySeed(23))
	codes := writeCodes(t, ef, "")
	if r := run(t, eenv, "ebuy", "activate", "--from", codes, "--journal", filepath.Join(t.TempDir(), "a.db")); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	_, henv := startFake(t, "houcaller", nil)
	var members strings.Builder
	members.WriteString("member_id\n")
	for i := range 7 {
		m := "m" + string(rune('0'+i))
		members.WriteString(m + "\n")
		if r := run(t, henv, "houcaller", "sell-card", "--card-info-id", henv["HOUCALLER_CARD_INFO_ID"], "--member-id", m, "--sale-no", "s"+m, "--count", "1",
			"--pay-amount", "10", "--sale-user", "u", "--sale-org-code", "o", "--sale-time", "2025-01-02 10:00:00"); r.code != 0 {
			t.Fatalf("sale: exit %d: %s %s", r.code, r.out, r.err)
		}
	}
	mp := filepath.Join(t.TempDir(), "members.csv")
	os.WriteFile(mp, []byte(members.String()), 0o644)
	cases := []struct {
		name string
		env  map[string]string
		args []string
		rows int
	}{
		{"ebuy", eenv, []string{"ebuy", "history", "--from", codes, "--page", "5"}, 23 * 2},
		{"houcaller", henv, []string{"houcaller", "coupons", "--from", mp, "--page", "2"}, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			full := filepath.Join(dir, "full.csv")
			if r := run(t, c.env, append(c.args, "--csv", full, "--journal", filepath.Join(dir, "a.db"))...); r.code != 0 {
				t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
			}
			want, _ := os.ReadFile(full)
			if n := bytes.Count(want, []byte("\n")); n != c.rows+1 {
				t.Fatalf("%d lines:\n%s", n, want)
			}
			part := filepath.Join(dir, "part.csv")
			jp := filepath.Join(dir, "b.db")
			if r := run(t, c.env, append(c.args, "--csv", part, "--journal", jp)...); r.code != 0 {
				t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
			}
			// As if killed after the first page was journaled and the
			// second half written.
			j, _ := journal.Open(jp)
			items, _ := j.Items(ctx, 1)
			var p1 exportPage
			json.Unmarshal(items[0].Result, &p1)
			j.DeleteAfter(ctx, 1, 1)
			j.Close()
			os.Truncate(part, p1.Bytes+9)
			if r := run(t, c.env, c.args[0], c.args[1], "--resume", "1", "--journal", jp); r.code != 0 {
				t.Fatalf("resume: exit %d: %s %s", r.code, r.out, r.err)
			}
			got, _ := os.ReadFile(part)
			if !bytes.Equal(got, want) {
				t.Fatalf("resumed export differs:\n%s\n---\n%s", got, want)
			}
		})
	}
}

// zvcms reverse undoes redemptions by the bizId the vendor returned for
// them (the redeem job journals it; the fake accepts no other): the coupons
// are unused again; a reversal of unknown outcome is checked on --resume.
func TestZvcmsReverse(t *testing.T) {
	ctx := context.Background()
	f, env := startFakeWith(t, "zvcms", &fakeserve.Seed{Count: 3}, fakeserve.Settings{"ReverseByVendorBizID": "true"})
	var red, rev strings.Builder
	red.WriteString("biz_id,customer_id,card_ids\n")
	rev.WriteString("biz_id,customer_id,card_ids\n")
	for i, r := range f.Seeded[1:] {
		b := "biz-" + string(rune('a'+i))
		red.WriteString(b + "," + r[0] + "," + r[1] + "\n")
		rev.WriteString(b + "," + r[0] + "," + r[1] + "\n")
	}
	rev.WriteString(",c,x\n")
	dir := t.TempDir()
	rp, vp := filepath.Join(dir, "red.csv"), filepath.Join(dir, "rev.csv")
	os.WriteFile(rp, []byte(red.String()), 0o644)
	os.WriteFile(vp, []byte(rev.String()), 0o644)
	jp := filepath.Join(dir, "j.db")
	if r := run(t, env, "zvcms", "redeem", "--from", rp, "--journal", jp, "--channel", "naixue"); r.code != 0 {
		t.Fatalf("redeem: exit %d: %s %s", r.code, r.out, r.err)
	}
	before := f.RequestCount()
	vendorIDs := map[string]string{}
	for _, red := range f.Server.(*zvcmstest.Server).Redemptions() {
		vendorIDs[red.BizID] = red.VendorBizID
	}
	if len(vendorIDs) != 3 || vendorIDs["biz-a"] == "" || vendorIDs["biz-a"] == "biz-a" {
		t.Fatalf("the fake's redemptions: %v", vendorIDs)
	}
	if r := run(t, env, "zvcms", "reverse", "--from", vp, "--journal", jp, "--dry-run"); r.code != 1 || f.RequestCount() != before ||
		!strings.Contains(r.out, "would send zvcms reverse: couponReverse bizId="+vendorIDs["biz-a"]+" (redemption sent as biz-a)") ||
		!strings.Contains(r.out, "couponReverse bizId="+vendorIDs["biz-c"]+" (redemption sent as biz-c)") {
		t.Fatalf("dry run: exit %d, %d requests: %s %s", r.code, f.RequestCount()-before, r.out, r.err)
	}
	r := run(t, env, "zvcms", "reverse", "--from", vp, "--journal", jp)
	if r.code != 1 || !strings.Contains(r.out, "line 5: empty biz_id") || !strings.Contains(r.out, "done 3") {
		t.Fatalf("reverse: exit %d: %s %s", r.code, r.out, r.err)
	}
	for _, row := range f.Seeded[1:] {
		out := run(t, env, "zvcms", "get-customer-coupons", "--customer-id", row[0], "--card-id", row[1], "--json")
		if !strings.Contains(out.out, `"UseStatus": 0`) {
			t.Errorf("card %s not unused after the reversal: %s", row[1], out.out)
		}
	}
	j, _ := journal.Open(jp)
	items, _ := j.Items(ctx, 2)
	if items[0].Key != vendorIDs["biz-a"] {
		t.Fatalf("key %q, want the bizId the vendor returned, %s", items[0].Key, vendorIDs["biz-a"])
	}
	j.Finish(ctx, 2, 2, journal.Unknown, nil, "unknown outcome")
	j.Close()
	before = f.RequestCount()
	r = run(t, env, "zvcms", "reverse", "--resume", "2", "--journal", jp)
	if !strings.Contains(r.out, "1 item(s) of unknown outcome found applied") || f.RequestCount()-before != 1 {
		t.Fatalf("resume: exit %d, %d requests: %s %s", r.code, f.RequestCount()-before, r.out, r.err)
	}
}

// A redeem job journaled before the vendor's bizId was recorded (its
// results carry only the bizId sent) is reversed by the bizId sent; a
// biz_id no redeem job sent is sent as given.
func TestZvcmsReverseOldJournal(t *testing.T) {
	ctx := context.Background()
	f, env := startFake(t, "zvcms", &fakeserve.Seed{Count: 2})
	dir := t.TempDir()
	rows := f.Seeded[1:]
	red := "biz_id,customer_id,card_ids\nbiz-a," + rows[0][0] + "," + rows[0][1] + "\nbiz-b," + rows[1][0] + "," + rows[1][1] + "\n"
	rp, vp := filepath.Join(dir, "red.csv"), filepath.Join(dir, "rev.csv")
	os.WriteFile(rp, []byte(red), 0o644)
	os.WriteFile(vp, []byte(red), 0o644)
	jp := filepath.Join(dir, "j.db")
	if r := run(t, env, "zvcms", "redeem", "--from", rp, "--journal", jp, "--channel", "naixue"); r.code != 0 {
		t.Fatalf("redeem: exit %d: %s %s", r.code, r.out, r.err)
	}
	j, _ := journal.Open(jp)
	items, _ := j.Items(ctx, 1)
	var res map[string]string
	json.Unmarshal(items[0].Result, &res)
	if res["vendorBizId"] == "" || res["bizId"] != "biz-a" {
		t.Fatalf("redeem result %s: want the vendor's bizId beside the one sent", items[0].Result)
	}
	// As an older version journaled it: the bizId sent only.
	j.Finish(ctx, 1, 1, journal.Done, map[string]string{"bizId": "biz-a"}, "")
	j.Close()
	r := run(t, env, "zvcms", "reverse", "--from", vp, "--journal", jp)
	if r.code != 0 || !strings.Contains(r.out, "done 2") {
		t.Fatalf("reverse: exit %d: %s %s", r.code, r.out, r.err)
	}
	j, _ = journal.Open(jp)
	defer j.Close()
	items, _ = j.Items(ctx, 2)
	if items[0].Key != "biz-a" || items[1].Key != vendorBizIDOf(f, "biz-b") {
		t.Fatalf("keys %q %q: want biz-a (no vendor bizId journaled) and biz-b's vendor bizId", items[0].Key, items[1].Key)
	}
	for _, row := range rows {
		out := run(t, env, "zvcms", "get-customer-coupons", "--customer-id", row[0], "--card-id", row[1], "--json")
		if !strings.Contains(out.out, `"UseStatus": 0`) {
			t.Errorf("card %s not unused after the reversal: %s", row[1], out.out)
		}
	}
}

// vendorBizIDOf is the bizId the zvcms fake returned for the redemption sent as biz.
func vendorBizIDOf(f *fakeserve.Fake, biz string) string {
	for _, red := range f.Server.(*zvcmstest.Server).Redemptions() {
		if red.BizID == biz {
			return red.VendorBizID
		}
	}
	return ""
}

// zvcms coupons exports a customer's coupons page by page; a resume after
// the journal lost its last pages (and the file has half a page more) gives
// the same file as an uninterrupted export.
func TestZvcmsCouponsExportResumes(t *testing.T) {
	f, env := startFake(t, "zvcms", &fakeserve.Seed{Count: 23})
	customer := f.Seeded[1][0]
	dir := t.TempDir()
	lp := lostPages{args: func(out, jp string) []string {
		return []string{"zvcms", "coupons", "--customer-id", customer, "--page", "5", "--csv", out, "--journal", jp}
	}, resume: []string{"zvcms", "coupons", "--resume", "1"}, keep: 2, extra: 11}
	whole, want, pages, got := lp.run(t, env, dir, nil)
	if whole.code != 0 || !strings.Contains(whole.out, "23 rows") {
		t.Fatalf("exit %d: %s %s", whole.code, whole.out, whole.err)
	}
	if n := bytes.Count(want, []byte("\n")); n != 24 || !bytes.HasPrefix(want, []byte("customer_id,card_id,coupon_id,")) {
		t.Fatalf("%d lines:\n%s", n, want)
	}
	if pages != 5 {
		t.Fatalf("%d pages, want 5", pages)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("resumed export differs:\n%s\n---\n%s", got, want)
	}
	if r := run(t, env, "zvcms", "coupons", "--resume", "1", "--journal", filepath.Join(dir, "b.db")); r.code != 0 || !strings.Contains(r.out, "already complete") {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
}

// lostPages is an export killed after a page: its journal lost every page
// after the keep-th, and its file holds extra bytes past the end of that
// page (half a page written before the kill).
type lostPages struct {
	args   func(out, jp string) []string // the export's command line, writing out, journaling to jp
	resume []string                      // the command line that resumes job 1, without --journal
	keep   int
	extra  int64
}

// run runs the export whole (full.csv, a.db in dir), then again (part.csv,
// b.db), cuts the second back as lp says, runs before (when set) and
// resumes it. It returns the first run's result and file, the number of
// pages the second run journaled, and the resumed file. Any run's exit
// other than 0, but the first's, fails the test.
func (lp lostPages) run(t *testing.T, env map[string]string, dir string, before func()) (whole result, want []byte, pages int, got []byte) {
	t.Helper()
	ctx := context.Background()
	full := filepath.Join(dir, "full.csv")
	whole = run(t, env, lp.args(full, filepath.Join(dir, "a.db"))...)
	want, _ = os.ReadFile(full)
	part, jp := filepath.Join(dir, "part.csv"), filepath.Join(dir, "b.db")
	if r := run(t, env, lp.args(part, jp)...); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	j, err := journal.Open(jp)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := j.Items(ctx, 1)
	var kept exportPage
	json.Unmarshal(items[lp.keep-1].Result, &kept)
	j.DeleteAfter(ctx, 1, int64(lp.keep))
	j.Close()
	os.Truncate(part, kept.Bytes+lp.extra)
	if before != nil {
		before()
	}
	if r := run(t, env, append(lp.resume, "--journal", jp)...); r.code != 0 {
		t.Fatalf("resume: exit %d: %s %s", r.code, r.out, r.err)
	}
	got, _ = os.ReadFile(part)
	return whole, want, len(items), got
}

// exportArgs runs a taobaofilm export of the seeded batch to out.
func taobaoExport(t *testing.T, env map[string]string, jp, out string) result {
	return run(t, env, "taobaofilm", "export", "--mix-id", "mix1", "--partner-code", "p1", "--operate", "ALL", "--csv", out, "--journal", jp)
}

// A gateway that answers a page with the first page again (it ignored the
// cursor): the export stops before writing any row twice, and --resume,
// against a gateway that answers well, completes the same file as an
// uninterrupted export.
func TestExportStopsOnRepeatedPage(t *testing.T) {
	f, env := startFake(t, "taobaofilm", taobaoSeed())
	dir := t.TempDir()
	full := filepath.Join(dir, "full.csv")
	if r := taobaoExport(t, env, filepath.Join(dir, "a.db"), full); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	want, _ := os.ReadFile(full)
	part, jp := filepath.Join(dir, "part.csv"), filepath.Join(dir, "b.db")
	f.Controls.Inject(couponkittest.Fault{}, couponkittest.Fault{})
	f.Server.(*taobaofilmtest.Server).IgnoreCursorNext() // the third page
	r := taobaoExport(t, env, jp, part)
	got, _ := os.ReadFile(part)
	if r.code != 1 || !strings.Contains(r.err, "again") || bytes.Count(got, []byte("\n")) != 201 {
		t.Fatalf("exit %d, %d lines written: %s %s", r.code, bytes.Count(got, []byte("\n")), r.out, r.err)
	}
	if r := run(t, env, "taobaofilm", "export", "--resume", "1", "--journal", jp); r.code != 0 {
		t.Fatalf("resume: exit %d: %s %s", r.code, r.out, r.err)
	}
	if got, _ := os.ReadFile(part); !bytes.Equal(got, want) {
		t.Fatalf("resumed export differs: %d bytes vs %d", len(got), len(want))
	}
}

// A gateway that ends the export (has_next false) before the batch's
// total_count of codes: the export fails saying so instead of reporting a
// short file complete; --resume asks again and completes it.
func TestExportStopsShortOfTotal(t *testing.T) {
	f, env := startFake(t, "taobaofilm", taobaoSeed())
	dir := t.TempDir()
	full := filepath.Join(dir, "full.csv")
	if r := taobaoExport(t, env, filepath.Join(dir, "a.db"), full); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	want, _ := os.ReadFile(full)
	part, jp := filepath.Join(dir, "part.csv"), filepath.Join(dir, "b.db")
	end := `{"film_fcode_export_query_response":{"result":{"return_code":"0","return_message":"","return_value":{"basic":{"mix_id":"mix1","name":"b","total_count":700},` +
		`"coupon_list":{"f_code_info":[]},"has_next":false,"last_sequence":200,"current_rows":0}},"request_id":"r3"}}`
	f.Controls.Inject(couponkittest.Fault{}, couponkittest.Fault{}, couponkittest.Fault{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(end)})
	r := taobaoExport(t, env, jp, part)
	if r.code != 1 || !strings.Contains(r.err, "ended the export after 200 of the 700 rows") {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	if r := run(t, env, "taobaofilm", "export", "--resume", "1", "--journal", jp); r.code != 0 {
		t.Fatalf("resume: exit %d: %s %s", r.code, r.out, r.err)
	}
	if got, _ := os.ReadFile(part); !bytes.Equal(got, want) {
		t.Fatalf("resumed export differs: %d bytes vs %d", len(got), len(want))
	}
}

// Two runs of one export at once would write one file twice: the second is
// refused while the first holds the job.
func TestExportSecondRunRefused(t *testing.T) {
	_, env := startFake(t, "taobaofilm", taobaoSeed())
	dir := t.TempDir()
	jp := filepath.Join(dir, "j.db")
	j, err := journal.Open(jp)
	if err != nil {
		t.Fatal(err)
	}
	l, err := j.Plan(context.Background(), journal.JobSpec{Kind: "export", Vendor: "taobaofilm",
		Args: map[string]string{"mixId": "mix1", "partnerCode": "p1", "operate": "ALL", "csv": filepath.Join(dir, "out.csv")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	defer l.Release()
	r := run(t, env, "taobaofilm", "export", "--resume", "1", "--journal", jp)
	if r.code != 1 || !strings.Contains(r.err, "job 1 is being run by") {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Fatal("the refused run wrote the file")
	}
}
