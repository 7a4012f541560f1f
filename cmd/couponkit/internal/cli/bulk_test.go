package cli

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// bulkCase is one of the issue-side bulk jobs run against its fake: rows
// makes the input file whose first two rows carry keys k1 and k2 (plus a
// malformed third row), applied counts how often the fake applied a key,
// reads is how many requests go out before the write (zvcms lists the
// customer's coupons first), unsafe says an unknown outcome is never sent
// again on --resume.
type bulkCase struct {
	vendor, call string
	seed         *fakeserve.Seed
	rows         func(t *testing.T, f *fakeserve.Fake, k1, k2 string) string
	applied      func(f *fakeserve.Fake, key string) int
	reads        int
	unsafe       bool
}

func bulkCases() []bulkCase {
	return []bulkCase{
		{
			vendor: "zvcms", call: "issue", seed: &fakeserve.Seed{Count: 2}, reads: 1, unsafe: true,
			rows: func(t *testing.T, f *fakeserve.Fake, k1, k2 string) string {
				s := f.Server.(*zvcmstest.Server)
				cs := s.Coupons(f.Seeded[1][0])
				return fmt.Sprintf("biz_id,customer_id,coupon_id,num\n%s,%s,%s,2\n%s,%s,%s,1\n,%s,,1\n",
					k1, cs[0].CustomerID, cs[0].CouponID, k2, cs[1].CustomerID, cs[1].CouponID, cs[0].CustomerID)
			},
			applied: func(f *fakeserve.Fake, key string) int {
				n := 0
				for _, is := range f.Server.(*zvcmstest.Server).Issues() {
					if is.BizID == key {
						n++
					}
				}
				return n
			},
		},
		{
			vendor: "ebuy", call: "make-codes", unsafe: true,
			rows: func(t *testing.T, f *fakeserve.Fake, k1, k2 string) string {
				return fmt.Sprintf("outer_order_id,ticket_id,count\n%s,%d,3\n%s,%d,1\n%s,x,1\n", k1, ebuytest.DefaultProductID, k2, ebuytest.DefaultProductID, "o3")
			},
			applied: func(f *fakeserve.Fake, key string) int {
				n := 0
				for _, r := range f.Controls.Requests() {
					if r.API == "makeCode" && strings.Contains(string(r.Body), key) {
						n++
					}
				}
				return n
			},
		},
		{
			vendor: "taobaofilm", call: "send-codes",
			rows: func(t *testing.T, f *fakeserve.Fake, k1, k2 string) string {
				return fmt.Sprintf("ext_order_id,mix_id,partner_code,number\n%s,%s,%s,2\n%s,%s,%s,1\nk3,%s,%s,0\n",
					k1, taobaofilmtest.DefaultMixID, taobaofilmtest.DefaultPartnerCode, k2, taobaofilmtest.DefaultMixID, taobaofilmtest.DefaultPartnerCode,
					taobaofilmtest.DefaultMixID, taobaofilmtest.DefaultPartnerCode)
			},
			applied: func(f *fakeserve.Fake, key string) int {
				// The fake de-duplicates ext_order_id: a key applied twice
				// would show as a second request answered from scratch; count
				// the codes issued instead (row 1 issues 2, row 2 issues 1).
				n := int(f.Server.(*taobaofilmtest.Server).Issued(taobaofilmtest.DefaultMixID))
				return n
			},
		},
		{
			vendor: "houcaller", call: "record-consumption", unsafe: true,
			rows: func(t *testing.T, f *fakeserve.Fake, k1, k2 string) string {
				return fmt.Sprintf("serial_code,member_id,order_id,amount,biz_date\n%s,m1,o1,30.00,2025-01-02\n%s,m2,o2,12.5,2025-01-02\ns3,m3,o3,1,2025-13-02\n", k1, k2)
			},
			applied: func(f *fakeserve.Fake, key string) int {
				n := 0
				for _, c := range f.Server.(*houcallertest.Server).Consumptions() {
					if c.SerialCode == key {
						n++
					}
				}
				return n
			},
		},
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBulkDryRunSendsNothing(t *testing.T) {
	for _, c := range bulkCases() {
		t.Run(c.vendor, func(t *testing.T) {
			f, env := startFake(t, c.vendor, c.seed)
			in := writeFile(t, c.rows(t, f, "key-1", "key-2"))
			jp := filepath.Join(t.TempDir(), "j.db")
			before := f.RequestCount()
			r := run(t, env, c.vendor, c.call, "--from", in, "--dry-run", "--journal", jp)
			if r.code != 1 { // a malformed row: exit 1
				t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
			}
			if n := f.RequestCount() - before; n != 0 {
				t.Fatalf("dry run sent %d requests", n)
			}
			if strings.Count(r.out, "would send "+c.vendor+" "+c.call+": ") != 2 || !strings.Contains(r.out, "key-1") || !strings.Contains(r.out, "malformed: line 4:") {
				t.Fatalf("output:\n%s", r.out)
			}
			if _, err := os.Stat(jp); err == nil {
				t.Fatal("dry run created a journal")
			}
		})
	}
}

// The item's key is in the journal, state sent, when its write reaches the
// vendor: the fake reads the journal as the write arrives.
func TestBulkJournalsKeyBeforeSending(t *testing.T) {
	for _, c := range bulkCases() {
		t.Run(c.vendor, func(t *testing.T) {
			f, env := startFake(t, c.vendor, c.seed)
			rows := strings.SplitAfter(c.rows(t, f, "key-1", "key-2"), "\n")
			in := writeFile(t, rows[0]+rows[1])
			jp := filepath.Join(t.TempDir(), "j.db")
			var (
				mu         sync.Mutex
				state, key string
				seen       bool
			)
			faults := make([]couponkittest.Fault, c.reads)
			faults = append(faults, couponkittest.Fault{AfterHandler: true, Respond: func(w http.ResponseWriter, r *http.Request) {
				j, err := journal.Open(jp)
				if err == nil {
					items, ierr := j.Items(context.Background(), 1)
					j.Close()
					mu.Lock()
					if ierr == nil && len(items) == 1 {
						state, key, seen = items[0].State, items[0].Key, true
					}
					mu.Unlock()
				}
				w.WriteHeader(http.StatusBadGateway)
			}})
			f.Controls.Inject(faults...)
			r := run(t, env, c.vendor, c.call, "--from", in, "--journal", jp)
			mu.Lock()
			defer mu.Unlock()
			if !seen || state != journal.Sent || key != "key-1" {
				t.Fatalf("as the write arrived the journal held state %q key %q (seen %v); run: exit %d %s %s", state, key, seen, r.code, r.out, r.err)
			}
			if c.applied(f, "key-1") == 0 {
				t.Fatalf("the write was not applied")
			}
		})
	}
}

// An item whose answer is lost (the fake applies it and drops the
// connection) is left unknown and listed by journal unknown; the rest of the
// job runs; on --resume an Unsafe item is never sent again (zvcms: found
// applied by listing the customer's coupons), a Keyed one is sent again
// with its recorded key and applied once.
func TestBulkLostAnswerResume(t *testing.T) {
	for _, c := range bulkCases() {
		t.Run(c.vendor, func(t *testing.T) {
			f, env := startFake(t, c.vendor, c.seed)
			in := writeFile(t, c.rows(t, f, "key-1", "key-2"))
			jp := filepath.Join(t.TempDir(), "j.db")
			faults := make([]couponkittest.Fault, c.reads)
			drop := couponkittest.Fault{Drop: true, AfterHandler: true}
			faults = append(faults, drop)
			if !c.unsafe {
				faults = append(faults, drop, drop) // every attempt of a keyed write
			}
			f.Controls.Inject(faults...)
			r := run(t, env, c.vendor, c.call, "--from", in, "--journal", jp, "--concurrency", "1")
			if r.code != 1 || !strings.Contains(r.out, "malformed: line 4:") || !strings.Contains(r.out, "unresolved: item 1 state unknown key key-1") {
				t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
			}
			appliedBefore := c.applied(f, "key-1")
			if appliedBefore == 0 || c.applied(f, "key-2") == 0 {
				t.Fatalf("applied key-1 %d, key-2 %d times", appliedBefore, c.applied(f, "key-2"))
			}
			u := run(t, env, "journal", "unknown", "--journal", jp)
			if !strings.Contains(u.out, "key-1") || strings.Contains(u.out, "key-2") {
				t.Fatalf("journal unknown:\n%s", u.out)
			}
			before := f.RequestCount()
			r = run(t, env, c.vendor, c.call, "--resume", "1", "--journal", jp)
			sent := f.RequestCount() - before
			switch {
			case c.vendor == "zvcms":
				// One listing of the customer's coupons, no issue.
				if r.code != 1 || sent != 1 || !strings.Contains(r.out, "checked 1") || c.applied(f, "key-1") != 1 {
					t.Fatalf("resume: exit %d, %d requests, applied %d: %s %s", r.code, sent, c.applied(f, "key-1"), r.out, r.err)
				}
			case c.unsafe:
				if sent != 0 || c.applied(f, "key-1") != appliedBefore || !strings.Contains(r.out, "unresolved: item 1 state unknown key key-1") {
					t.Fatalf("resume: exit %d, %d requests: %s %s", r.code, sent, r.out, r.err)
				}
				if u := run(t, env, "journal", "unknown", "--journal", jp); !strings.Contains(u.out, "key-1") {
					t.Fatalf("journal unknown after resume:\n%s", u.out)
				}
			default:
				// Sent again with its ext_order_id, answered from the
				// fake's replay: three codes issued in all, not five.
				if sent != 1 || !strings.Contains(r.out, "done 2") || c.applied(f, "key-1") != 3 {
					t.Fatalf("resume: exit %d, %d requests, issued %d: %s %s", r.code, sent, c.applied(f, "key-1"), r.out, r.err)
				}
			}
		})
	}
}

// zvcms issue: a row of the same customer and coupon id as an item of
// unknown outcome waits, pending, for --resume, which settles the first by
// listing the coupons and then sends the second; an item journaled sent
// without the coupons listed before it cannot be checked and stays listed,
// never sent again.
func TestZvcmsIssueHoldsAndLists(t *testing.T) {
	f, env := startFake(t, "zvcms", &fakeserve.Seed{Count: 1})
	s := f.Server.(*zvcmstest.Server)
	cp := s.Coupons(f.Seeded[1][0])[0]
	in := writeFile(t, fmt.Sprintf("biz_id,customer_id,coupon_id\nk1,%s,%s\nk2,%s,%s\n", cp.CustomerID, cp.CouponID, cp.CustomerID, cp.CouponID))
	jp := filepath.Join(t.TempDir(), "j.db")
	f.Controls.Inject(couponkittest.Fault{}, couponkittest.Fault{Drop: true, AfterHandler: true})
	r := run(t, env, "zvcms", "issue", "--from", in, "--journal", jp)
	if r.code != 1 || !strings.Contains(r.out, "pending 1, unknown 1") || len(s.Issues()) != 1 {
		t.Fatalf("exit %d, %d issues: %s %s", r.code, len(s.Issues()), r.out, r.err)
	}
	before := f.RequestCount()
	r = run(t, env, "zvcms", "issue", "--resume", "1", "--journal", jp)
	if r.code != 0 || !strings.Contains(r.out, "checked 1, done 1") || f.RequestCount()-before != 3 || len(s.Issues()) != 2 {
		t.Fatalf("resume: exit %d, %d requests, %d issues: %s %s", r.code, f.RequestCount()-before, len(s.Issues()), r.out, r.err)
	}

	j, err := journal.Open(jp)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, _ := j.CreateJob(ctx, "issue", "zvcms", map[string]any{})
	err = j.AddItems(ctx, []journal.Item{{Job: id, Seq: 1, Key: "k9", State: journal.Sent,
		Input: []byte(fmt.Sprintf(`{"lines":[2],"entries":[{"customerId":%q,"couponId":%q,"num":1}]}`, cp.CustomerID, cp.CouponID))}})
	j.Close()
	if err != nil {
		t.Fatal(err)
	}
	before = f.RequestCount()
	r = run(t, env, "zvcms", "issue", "--resume", fmt.Sprint(id), "--journal", jp)
	if r.code != 1 || f.RequestCount() != before || !strings.Contains(r.out, "check failed: no state recorded") || !strings.Contains(r.out, "unresolved: item 1 state sent key k9") {
		t.Fatalf("exit %d, %d requests: %s %s", r.code, f.RequestCount()-before, r.out, r.err)
	}
	if u := run(t, env, "journal", "unknown", "--journal", jp); !strings.Contains(u.out, "k9") {
		t.Fatalf("journal unknown:\n%s", u.out)
	}
}

// ebuy make-codes is Unsafe unless EBUY_MAKE_CODES_DEDUPLICATES=true, which
// makes it Keyed on outer_order_id (ebuy.Config.MakeCodesDeduplicates)
// against a gateway that answers a repeated order with its first make: a
// lost answer is then retried by the client, and an item left unknown is
// sent again on --resume and answered from the first make, codes issued
// once. Unsafe, the same lost answer is an unknown outcome at once, never
// sent again.
func TestEbuyMakeCodesClassFollowsSetting(t *testing.T) {
	makes := func(f *fakeserve.Fake) int {
		n := 0
		for _, r := range f.Controls.Requests() {
			if r.API == "makeCode" {
				n++
			}
		}
		return n
	}
	row := fmt.Sprintf("outer_order_id,ticket_id,count\nkey-1,%d,2\n", ebuytest.DefaultProductID)
	drop := couponkittest.Fault{Drop: true, AfterHandler: true}

	t.Run("keyed: the client retries", func(t *testing.T) {
		f, env := startFakeWith(t, "ebuy", nil, fakeserve.Settings{"MakeCodesDeduplicates": "true"})
		env["EBUY_MAKE_CODES_DEDUPLICATES"] = "true"
		jp := filepath.Join(t.TempDir(), "j.db")
		f.Controls.Inject(drop)
		r := run(t, env, "ebuy", "make-codes", "--from", writeFile(t, row), "--journal", jp)
		if r.code != 0 || !strings.Contains(r.out, "done 1") || makes(f) != 2 {
			t.Fatalf("exit %d, %d makes: %s %s", r.code, makes(f), r.out, r.err)
		}
		j, _ := journal.Open(jp)
		defer j.Close()
		jb, _ := j.Job(context.Background(), 1)
		if !strings.Contains(string(jb.Args), `"keyed":true`) {
			t.Fatalf("job args %s: want keyed recorded", jb.Args)
		}
	})
	t.Run("keyed: resume sends again", func(t *testing.T) {
		f, env := startFakeWith(t, "ebuy", nil, fakeserve.Settings{"MakeCodesDeduplicates": "true"})
		env["EBUY_MAKE_CODES_DEDUPLICATES"] = "true"
		jp := filepath.Join(t.TempDir(), "j.db")
		f.Controls.Inject(drop, drop, drop)
		r := run(t, env, "ebuy", "make-codes", "--from", writeFile(t, row), "--journal", jp)
		if r.code != 1 || !strings.Contains(r.out, "unresolved: item 1 state unknown key key-1") {
			t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
		}
		before := makes(f)
		r = run(t, env, "ebuy", "make-codes", "--resume", "1", "--journal", jp)
		if r.code != 0 || !strings.Contains(r.out, "done 1") || makes(f) != before+1 {
			t.Fatalf("resume: exit %d, %d makes: %s %s", r.code, makes(f)-before, r.out, r.err)
		}
		j, _ := journal.Open(jp)
		defer j.Close()
		items, _ := j.Items(context.Background(), 1)
		if len(items) != 1 || items[0].State != journal.Done || items[0].Key != "key-1" {
			t.Fatalf("items %+v", items)
		}
	})
	t.Run("unsafe without the setting", func(t *testing.T) {
		for _, v := range []string{"", "false"} {
			f, env := startFakeWith(t, "ebuy", nil, fakeserve.Settings{"MakeCodesDeduplicates": "true"})
			env["EBUY_MAKE_CODES_DEDUPLICATES"] = v
			jp := filepath.Join(t.TempDir(), "j.db")
			f.Controls.Inject(drop)
			r := run(t, env, "ebuy", "make-codes", "--from", writeFile(t, row), "--journal", jp)
			if r.code != 1 || makes(f) != 1 || !strings.Contains(r.out, "unresolved: item 1 state unknown key key-1") {
				t.Fatalf("%q: exit %d, %d makes: %s %s", v, r.code, makes(f), r.out, r.err)
			}
			r = run(t, env, "ebuy", "make-codes", "--resume", "1", "--journal", jp)
			if makes(f) != 1 {
				t.Fatalf("%q: resume sent an Unsafe make again: %s %s", v, r.out, r.err)
			}
		}
	})
	t.Run("bad value", func(t *testing.T) {
		_, env := startFake(t, "ebuy", nil)
		env["EBUY_MAKE_CODES_DEDUPLICATES"] = "yes please"
		r := run(t, env, "ebuy", "make-codes", "--from", writeFile(t, row), "--journal", filepath.Join(t.TempDir(), "j.db"))
		if r.code != 1 || !strings.Contains(r.err, `EBUY_MAKE_CODES_DEDUPLICATES="yes please": want true or false`) {
			t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
		}
	})
}
