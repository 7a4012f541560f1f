package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// activated counts the seeded codes of f that are activated (status 00).
func activated(f *fakeserve.Fake) int {
	n := 0
	for _, r := range f.Seeded[1:] {
		if cs, ok := f.Server.(*ebuytest.Server).Code(r[0]); ok && cs.Status == ebuy.StatusUnused {
			n++
		}
	}
	return n
}

func writeInput(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "codes.csv")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A code repeated inside a chunk and across chunks: found when the input is
// planned, with both CSV lines; refused by default (nothing sent, no journal);
// with --skip-repeats the first is kept and every code is activated once.
func TestRepeatedRowsRefusedOrSkipped(t *testing.T) {
	f, env := startFake(t, "ebuy", ebuySeed(45))
	var b strings.Builder
	b.WriteString("code\n")
	for i, r := range f.Seeded[1:] {
		b.WriteString(r[0] + "\n")
		if i == 3 {
			b.WriteString(r[0] + "\n") // line 6 repeats line 5, in the first chunk
		}
		if i == 30 {
			b.WriteString(f.Seeded[6][0] + "\n") // line 34 repeats line 8 (after the repeat at line 6), in the second chunk
		}
	}
	in := writeInput(t, b.String())
	jp := filepath.Join(t.TempDir(), "j.db")
	before := f.RequestCount()
	r := run(t, env, "ebuy", "activate", "--from", in, "--journal", jp)
	if r.code != 1 || f.RequestCount() != before ||
		!strings.Contains(r.out, "repeated: line 6: code "+f.Seeded[4][0]+" repeats line 5") ||
		!strings.Contains(r.out, "repeated: line 34: code "+f.Seeded[6][0]+" repeats line 8") ||
		!strings.Contains(r.err, "2 row(s) repeat an earlier row") || !strings.Contains(r.err, "--skip-repeats") {
		t.Fatalf("exit %d, %d requests:\n%s\n%s", r.code, f.RequestCount()-before, r.out, r.err)
	}
	if _, err := os.Stat(jp); err == nil {
		t.Fatal("a refused input left a journal")
	}
	if r := run(t, env, "ebuy", "activate", "--from", in, "--dry-run"); r.code != 1 || !strings.Contains(r.out, "2 repeated") {
		t.Fatalf("dry run: exit %d:\n%s\n%s", r.code, r.out, r.err)
	}
	r = run(t, env, "ebuy", "activate", "--from", in, "--journal", jp, "--skip-repeats")
	if r.code != 0 || !strings.Contains(r.out, "skipped: line 6:") || !strings.Contains(r.out, "done 3, skipped 2") || activated(f) != 45 {
		t.Fatalf("--skip-repeats: exit %d, %d activated:\n%s\n%s", r.code, activated(f), r.out, r.err)
	}
}

// A chunk e-Buy refuses as a whole for one code (already activated) is
// split: every other code of it is activated, the one refused is reported
// with its line and e-Buy's reason, and the run says how to list every
// failure.
func TestChunkRefusedForOneCodeIsSplit(t *testing.T) {
	f, env := startFake(t, "ebuy", ebuySeed(45))
	bad := f.Seeded[10][0]
	c, err := ebuy.NewClient(ebuy.Config{Gateway: env["EBUY_GATEWAY"], AppID: env["EBUY_APP_ID"], AppSecret: env["EBUY_APP_SECRET"], BrandID: env["EBUY_BRAND_ID"]})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ActivateCodes(t.Context(), &ebuy.ActivateCodesRequest{Codes: []string{bad}}); err != nil {
		t.Fatal(err)
	}
	codes := writeCodes(t, f, "")
	jp := filepath.Join(t.TempDir(), "j.db")
	r := run(t, env, "ebuy", "activate", "--from", codes, "--journal", jp)
	if r.code != 1 || activated(f) != 45 {
		t.Fatalf("exit %d, %d of 45 activated:\n%s\n%s", r.code, activated(f), r.out, r.err)
	}
	for _, want := range []string{"split 1", "rows: done 44, failed 1", "failed: item ", "(line 11): ", bad,
		"every failed item with its error: couponkit journal show --journal " + jp + " --job 1 --state failed"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	if s := run(t, env, "journal", "show", "--journal", jp, "--job", "1", "--state", "failed"); strings.Count(s.out, "\n") != 2 || !strings.Contains(s.out, bad) {
		t.Errorf("journal show --state failed:\n%s", s.out)
	}
}

// The same input run again on the same journal without --resume is refused
// (it would send every row again: with generated keys, double
// consumptions); --new-job starts a new job on purpose.
func TestSameInputTwiceRefused(t *testing.T) {
	f, env := startFake(t, "houcaller", nil)
	s := f.Server.(*houcallertest.Server)
	in := writeInput(t, "member_id,order_id,amount,biz_date\nm1,o1,10,2025-01-02\nm2,o2,12.5,2025-01-02\n")
	jp := filepath.Join(t.TempDir(), "j.db")
	if r := run(t, env, "houcaller", "record-consumption", "--from", in, "--journal", jp); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	before := f.RequestCount()
	r := run(t, env, "houcaller", "record-consumption", "--from", in, "--journal", jp)
	if r.code != 1 || f.RequestCount() != before || !strings.Contains(r.err, "was already run as job 1") || !strings.Contains(r.err, "--resume 1") || !strings.Contains(r.err, "--new-job") {
		t.Fatalf("rerun: exit %d, %d requests: %s %s", r.code, f.RequestCount()-before, r.out, r.err)
	}
	if r := run(t, env, "houcaller", "record-consumption", "--from", in, "--journal", jp, "--new-job"); r.code != 0 || !strings.Contains(r.out, "job 2:") || len(s.Consumptions()) != 4 {
		t.Fatalf("--new-job: exit %d, %d consumptions: %s %s", r.code, len(s.Consumptions()), r.out, r.err)
	}
}

// Flags that cannot work are refused before anything is read, journaled or
// sent; a missing input is named; no journal file is created for either.
func TestBadFlagsAndInputLeaveNoJournal(t *testing.T) {
	f, env := startFake(t, "ebuy", ebuySeed(5))
	codes := writeCodes(t, f, "")
	dir := t.TempDir()
	jp := filepath.Join(dir, "j.db")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--from", codes, "--resume", "1"}, 2, "--from and --resume do not go together"},
		{[]string{"--from", codes, "--concurrency", "0"}, 2, "--concurrency must be at least 1"},
		{[]string{"--from", codes, "--rate", "-5"}, 2, "--rate must be 0 (no limit) or a positive number"},
		{[]string{"--from", codes, "--rate", "NaN"}, 2, "--rate must be"},
		{[]string{"--from", codes, "--chunk", "0"}, 2, "--chunk must be at least 1"},
		{[]string{"--from", filepath.Join(dir, "cdoes.csv")}, 1, "cdoes.csv: no such file"},
		{[]string{"--resume", "1"}, 1, "journal " + jp + ": no such file"},
	}
	before := f.RequestCount()
	for _, c := range cases {
		r := run(t, env, append([]string{"ebuy", "activate", "--journal", jp}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d, want %d with %q: %s %s", c.args, r.code, c.code, c.want, r.out, r.err)
		}
	}
	if f.RequestCount() != before {
		t.Errorf("%d requests sent", f.RequestCount()-before)
	}
	if _, err := os.Stat(jp); err == nil {
		t.Error("a journal file was created")
	}
	// A header without the column names the file too.
	bad := writeInput(t, "kode\nX\n")
	if r := run(t, env, "ebuy", "activate", "--journal", jp, "--from", bad); r.code != 1 || !strings.Contains(r.err, bad+": line 1: header lacks column(s) code") {
		t.Errorf("exit %d: %s %s", r.code, r.out, r.err)
	}
}

// A journal that is not an SQLite file is named, and SQLite's code is said
// in words.
func TestJournalErrorsNameTheFile(t *testing.T) {
	jp := writeInput(t, strings.Repeat("not a database, just text\n", 200))
	r := run(t, nil, "journal", "show", "--journal", jp)
	if r.code != 1 || !strings.Contains(r.err, "journal "+jp+": not a journal: the file is not an SQLite database (SQLITE_NOTADB)") {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
}

// An item of unknown outcome is listed with the rows it holds, and can be
// settled by hand after a check with the vendor: recorded done (or failed)
// with a note naming who settled it; --resume then neither lists nor sends
// it.
func TestSettleUnknownItem(t *testing.T) {
	f, env := startFake(t, "houcaller", nil)
	in := writeInput(t, "serial_code,member_id,order_id,amount,biz_date\ns1,m1,o1,10,2025-01-02\ns2,m2,o2,12.5,2025-01-02\n")
	jp := filepath.Join(t.TempDir(), "j.db")
	f.Controls.Inject(couponkittest.Fault{Drop: true, AfterHandler: true})
	if r := run(t, env, "houcaller", "record-consumption", "--from", in, "--journal", jp, "--concurrency", "1"); r.code != 1 || !strings.Contains(r.out, "unresolved: item 1 state unknown key s1") {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	u := run(t, env, "journal", "unknown", "--journal", jp)
	if !strings.Contains(u.out, `"memberId":"m1"`) || !strings.Contains(u.out, `"orderId":"o1"`) || strings.Contains(u.out, "m2") {
		t.Fatalf("journal unknown does not show the row:\n%s", u.out)
	}
	if r := run(t, env, "journal", "settle", "--journal", jp, "--job", "1", "--item", "2", "--state", "done", "--note", "x"); r.code != 1 || !strings.Contains(r.err, "is done, not of unknown outcome") {
		t.Fatalf("settling a done item: exit %d: %s", r.code, r.err)
	}
	if r := run(t, env, "journal", "settle", "--journal", jp, "--job", "1", "--item", "1", "--state", "done"); r.code != 2 || !strings.Contains(r.err, "--note is required") {
		t.Fatalf("without a note: exit %d: %s", r.code, r.err)
	}
	r := run(t, env, "journal", "settle", "--journal", jp, "--job", "1", "--item", "1", "--state", "done", "--note", "srcId o1 found in the CRM console")
	if r.code != 0 || !strings.Contains(r.out, "item 1 settled done") {
		t.Fatalf("settle: exit %d: %s %s", r.code, r.out, r.err)
	}
	if u := run(t, env, "journal", "unknown", "--journal", jp); strings.Contains(u.out, "s1") {
		t.Fatalf("still unknown after settling:\n%s", u.out)
	}
	e := run(t, env, "journal", "export", "--journal", jp)
	if !strings.Contains(e.out, "settled done by ") || !strings.Contains(e.out, "(was unknown): srcId o1 found in the CRM console") {
		t.Fatalf("the note is not kept:\n%s", e.out)
	}
	before := f.RequestCount()
	if r := run(t, env, "houcaller", "record-consumption", "--resume", "1", "--journal", jp); r.code != 0 || f.RequestCount() != before || strings.Contains(r.out, "unresolved") {
		t.Fatalf("resume after settling: exit %d, %d requests: %s %s", r.code, f.RequestCount()-before, r.out, r.err)
	}
}

// --resume checks the items of unknown outcome concurrently, with progress:
// the first history query is held by the fake until a second one arrives
// (a check of another item, in flight at the same time).
func TestResumeChecksConcurrently(t *testing.T) {
	ctx := context.Background()
	f, env := startFake(t, "ebuy", ebuySeed(20))
	codes := writeCodes(t, f, "")
	jp := filepath.Join(t.TempDir(), "j.db")
	if r := run(t, env, "ebuy", "activate", "--from", codes, "--journal", jp, "--chunk", "5"); r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	j, err := journal.Open(jp)
	if err != nil {
		t.Fatal(err)
	}
	for seq := int64(1); seq <= 4; seq++ {
		if err := j.Finish(ctx, 1, seq, journal.Unknown, nil, "unknown outcome"); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	before := f.RequestCount()
	together := make(chan bool, 1)
	f.Controls.Inject(couponkittest.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) {
		// A bound only for checks made one at a time, which never send a
		// second query while this one is held; shorter than the client's
		// 15-second attempt timeout, after which it would ask again.
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		together <- f.Controls.WaitRequests(wctx, before+2) == nil
		w.WriteHeader(http.StatusServiceUnavailable) // a read: the client asks again
	}})
	r := run(t, env, "ebuy", "activate", "--resume", "1", "--journal", jp, "--concurrency", "4")
	if !<-together {
		t.Error("the checks were sent one at a time")
	}
	if r.code != 0 || !strings.Contains(r.out, "checking 4 item(s) of unknown outcome") || !strings.Contains(r.out, "4 item(s) of unknown outcome found applied") ||
		!strings.Contains(r.err, "ebuy activate check 4/4") {
		t.Fatalf("exit %d:\n%s\n%s", r.code, r.out, r.err)
	}
	// 20 history queries and the one answered 503, no activation.
	if n := f.RequestCount() - before; n != 21 {
		t.Fatalf("%d requests on resume, want 21", n)
	}
}

// repeatFirstList answers request n from now on with the answer to the
// first (a listing's first page, relayed to the fake once through its own
// client and kept): a gateway that ignored the page number.
func repeatFirstList(t *testing.T, f *fakeserve.Fake, n int) {
	t.Helper()
	var first []byte
	faults := []couponkittest.Fault{{Respond: func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequest(r.Method, f.Controls.URL()+r.URL.RequestURI(), r.Body)
		req.Header = r.Header.Clone()
		resp, err := f.Controls.Client().Do(req)
		if err != nil {
			t.Error(err)
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		defer resp.Body.Close()
		first, _ = io.ReadAll(resp.Body)
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.Write(first)
	}}}
	// The relayed request is a request too: it passes untouched.
	faults = append(faults, make([]couponkittest.Fault, 1+n-2)...)
	faults = append(faults, couponkittest.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Write(first)
	}})
	f.Controls.Inject(faults...)
}

// zvcms coupons: a listing whose second page repeats the first stops the
// export before any coupon is written twice.
func TestZvcmsCouponsExportStopsOnRepeatedPage(t *testing.T) {
	f, env := startFake(t, "zvcms", &fakeserve.Seed{Count: 12})
	customer := f.Seeded[1][0]
	out := filepath.Join(t.TempDir(), "out.csv")
	repeatFirstList(t, f, 2)
	r := run(t, env, "zvcms", "coupons", "--customer-id", customer, "--page", "5", "--csv", out, "--journal", filepath.Join(t.TempDir(), "j.db"))
	b, _ := os.ReadFile(out)
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		card := strings.Split(line, ",")[1]
		if seen[card] {
			t.Errorf("card %s written twice", card)
		}
		seen[card] = true
	}
	if r.code != 1 {
		t.Fatalf("exit %d with %d coupons written: %s %s", r.code, len(seen), r.out, r.err)
	}
}

// zvcms issue: when the listing taken before an issue repeats a page, the
// issue is not sent (its outcome could not be checked from that listing).
// The SDK's iterator stops on the repeated page (couponkit.ErrPageRepeated)
// before the command's own check of repeated cards sees it; either names it.
func TestZvcmsIssueListingRepeatedPageNotSent(t *testing.T) {
	f, env := startFake(t, "zvcms", &fakeserve.Seed{Count: 25})
	s := f.Server.(*zvcmstest.Server)
	cs := s.Coupons(f.Seeded[1][0])
	in := writeInput(t, fmt.Sprintf("biz_id,customer_id,coupon_id\nk1,%s,%s\n", cs[0].CustomerID, cs[0].CouponID))
	repeatFirstList(t, f, 2)
	r := run(t, env, "zvcms", "issue", "--from", in, "--journal", filepath.Join(t.TempDir(), "j.db"))
	if r.code != 1 || len(s.Issues()) != 0 || !strings.Contains(r.out, "page repeated") {
		t.Fatalf("exit %d, %d issues: %s %s", r.code, len(s.Issues()), r.out, r.err)
	}
}
