package probe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/probe"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// fake is a vendor's fake served on loopback, with the probe inputs that
// fit its seeded state.
type fake struct {
	*fakeserve.Fake
	env    map[string]string
	inputs map[string]string
	// setup counts the requests the test's own set-up sent.
	setup int
}

func (f *fake) get(name string) string { return f.env[name] }

// startFake serves vendor's fake with set and seeds what the probe's inputs
// name: an e-Buy code made and not activated, 60 coupons of one zvcms
// customer, a Houcaller member holding a coupon, a Suning activity.
func startFake(t *testing.T, vendor string, set fakeserve.Settings) *fake {
	t.Helper()
	seed := &fakeserve.Seed{}
	switch vendor {
	case "ebuy":
		seed.Codes = append(seed.Codes, struct {
			Status string `json:"status"`
			Count  int    `json:"count"`
		}{"03", 1})
	case "zvcms":
		for range 60 {
			seed.Coupons = append(seed.Coupons, zvcms.Coupon{CustomerID: "383933091455959041", Title: "满50减10", Channel: "naixue"})
		}
	}
	f, err := fakeserve.StartWith(vendor, "127.0.0.1:0", seed, set)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	fk := &fake{Fake: f, env: map[string]string{}}
	for _, kv := range f.Settings {
		fk.env[kv[0]] = kv[1]
	}
	ctx := context.Background()
	switch vendor {
	case "ebuy":
		fk.inputs = map[string]string{"product-id": fmt.Sprint(ebuytest.DefaultProductID), "code": f.Seeded[1][0]}
	case "zvcms":
		fk.inputs = map[string]string{"customer-id": "383933091455959041", "card-id": f.Seeded[1][1], "channel": "naixue", "page-size": "60"}
	case "taobaofilm":
		fk.inputs = map[string]string{"mix-id": taobaofilmtest.DefaultMixID, "partner-code": taobaofilmtest.DefaultPartnerCode}
	case "houcaller":
		c, err := houcaller.NewClient(houcaller.Config{Gateway: fk.env["HOUCALLER_GATEWAY"], Channel: fk.env["HOUCALLER_CHANNEL"], DESKey: fk.env["HOUCALLER_DES_KEY"],
			CipherMode: houcaller.ECB})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if set["CipherMode"] == "" {
			if _, err := c.SellCard(ctx, &houcaller.SellCardRequest{CardInfoID: fk.env["HOUCALLER_CARD_INFO_ID"], SaleTime: time.Now(), SaleUser: "u1",
				SaleOrgCode: "o1", PayAmount: 100, MemberID: "m1", Count: 1}); err != nil {
				t.Fatal(err)
			}
		}
		fk.inputs = map[string]string{"member-id": "m1"}
	case "suning":
		c, err := suning.NewClient(suning.Config{Gateway: fk.env["SUNING_GATEWAY"], AppKey: fk.env["SUNING_APP_KEY"], AppSecret: fk.env["SUNING_APP_SECRET"], AccessToken: fk.env["SUNING_ACCESS_TOKEN"]})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		res, err := c.Create(ctx, activity())
		if err != nil {
			t.Fatal(err)
		}
		fk.inputs = map[string]string{"action-id": res.ActionID, "part-number": "000000000123456789", "vendor-id": "0010012345"}
	}
	fk.setup = f.RequestCount()
	return fk
}

func activity() *suning.AppointRequest {
	loc := time.FixedZone("CST", 8*3600)
	at := func(day, hour int) time.Time { return time.Date(2090, 6, day, hour, 0, 0, 0, loc) }
	return &suning.AppointRequest{
		ActionType: suning.ActionTypeNormal, ActionName: "618 新品手机预约", Terminal: suning.TerminalPCAndMobile,
		ActionStart: at(1, 0), ScheduleStart: at(1, 10), ScheduleEnd: at(17, 20), PurchaseStart: at(18, 0), TicketResaleStart: at(18, 2),
		PurchaseEnd: at(18, 23), ActionEnd: at(20, 0), SendUserMsg: suning.SendMsgYes, SendScalperMsg: suning.SendMsgNo,
		ExcludeCities: []string{"9017"}, VendorType: suning.VendorSelfOperated, VendorCode: "0010012345", VendorName: "示例商家",
		Transit: suning.TransitNo, NoticePhone: "13800138000", OtherTerminalSale: suning.OtherTerminalSaleNo,
		ShareImageURL: "https://img.example.com/phone.png", ShareTitle: "预约", ShareContent: "预约", ShareURL: "https://m.example.com/appoint",
		ReceiveSys: "SHOP", PartType: suning.PartSingle, OperateUser: "10086",
		Goods: []suning.Goods{{PartNumber: "000000000123456789", PartName: "新品手机", GeneralCode: "000000000123456788", TotalLimit: 1000,
			PersonBuyLimit: 1, AppointPrice: 399900, PriceLabel: "3??9", Price: 389900, DefaultFlag: suning.DefaultGoodsYes, ReminderSMS: "开始抢购"}},
	}
}

func run(t *testing.T, vendor string, f *fake, writes bool, only ...string) *probe.Report {
	t.Helper()
	rep, err := probe.Probe(context.Background(), probe.Options{Vendor: vendor, Get: f.get, Inputs: f.inputs, Writes: writes, Only: only})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Each open point that a fake setting changes: the probe run against the
// fake configured one way and the other must tell the two apart on that
// point (its status, or what it saw), and agree on every other point run.
func TestProbeTellsFakeSettingsApart(t *testing.T) {
	cases := []struct {
		vendor, point string
		a, b          fakeserve.Settings
		// wantA and wantB are the point's status and a piece of what it saw.
		wantA, wantB [2]string
		writes       bool
		only         []string
	}{
		{"ebuy", "uuid-dedup", nil, fakeserve.Settings{"IgnoreUUID": "true"},
			[2]string{"known", "answered as the first (replayed"}, [2]string{"contradicted", "run again and refused by the code's new state (code 91"}, true, nil},
		{"zvcms", "timestamp-window", nil, fakeserve.Settings{"Window": "1h"},
			[2]string{"known", "+15m0s refused (code 402"}, [2]string{"known", "+15m0s accepted; -15m0s accepted"}, false, nil},
		{"zvcms", "page-size", nil, fakeserve.Settings{"MaxPageSize": "50"},
			[2]string{"known", "pageSize 60 served whole (60 coupons of 60)"}, [2]string{"known", "pageSize 60 is capped at 50"}, false, nil},
		{"zvcms", "spelling", nil, fakeserve.Settings{"NativeTypes": "true"},
			[2]string{"known", "JSON strings (the vendor's page); data array"}, [2]string{"known", "a JSON bool and code a number (the vendor family's spelling); data {list, total}"}, false, nil},
		{"zvcms", "reverse-by-sent-bizid", nil, fakeserve.Settings{"ReverseByVendorBizID": "true"},
			[2]string{"known", "a reversal by the bizId sent ("}, [2]string{"known", "only the returned bizId reverses"}, true, nil},
		{"taobaofilm", "sign-methods", nil, fakeserve.Settings{"SignMethods": "md5,hmac"},
			[2]string{"known", "hmac-sha256 accepted; hmac accepted; md5 accepted"}, [2]string{"contradicted", "hmac-sha256 refused (code 25"}, false, []string{"sign-methods"}},
		{"taobaofilm", "clock-skew", nil, fakeserve.Settings{"MaxSkew": "1h"},
			[2]string{"known", "+15m0s refused (code 31"}, [2]string{"known", "+15m0s accepted"}, false, nil},
		{"taobaofilm", "cursor", nil, fakeserve.Settings{"CursorName": "cursor"},
			[2]string{"known", "3 pages"}, [2]string{"contradicted", "page 2 repeats page 1's cursor"}, false, nil},
		{"houcaller", "cipher", nil, fakeserve.Settings{"CipherMode": "CBC", "IV": "12345678"},
			[2]string{"known", "read by the gateway"}, [2]string{"contradicted", "is refused (code 1003"}, false, []string{"cipher"}},
		{"houcaller", "code-spelling", nil, fakeserve.Settings{"CodeAsString": "true"},
			[2]string{"known", "code is a JSON number"}, [2]string{"known", "code is a JSON string"}, false, nil},
		{"suning", "clock-skew", nil, fakeserve.Settings{"MaxSkew": "1h"},
			[2]string{"known", "+15m0s refused (code sys.check.app-time:error"}, [2]string{"contradicted", "+15m0s accepted"}, false, nil},
		{"suning", "enroll-dedup", nil, fakeserve.Settings{"IgnoreEnrollInfoCode": "true"},
			[2]string{"known", "answered with the first create's activity"}, [2]string{"contradicted", "made a second activity"}, true, nil},
	}
	for _, c := range cases {
		t.Run(c.vendor+"/"+c.point, func(t *testing.T) {
			ra := run(t, c.vendor, startFake(t, c.vendor, c.a), c.writes, c.only...)
			rb := run(t, c.vendor, startFake(t, c.vendor, c.b), c.writes, c.only...)
			for _, side := range []struct {
				rep  *probe.Report
				want [2]string
			}{{ra, c.wantA}, {rb, c.wantB}} {
				p := side.rep.Point(c.point)
				if p == nil || string(p.Status) != side.want[0] || !strings.Contains(p.Seen, side.want[1]) {
					t.Errorf("%s: got %+v, want %s with %q", c.point, p, side.want[0], side.want[1])
				}
			}
			if ra.Point(c.point).Seen == rb.Point(c.point).Seen {
				t.Errorf("%s: both ways saw %q", c.point, ra.Point(c.point).Seen)
			}
			for i, p := range ra.Points {
				q := rb.Points[i]
				if p.ID != c.point && (p.Status != q.Status || len(p.Evidence) != len(q.Evidence)) {
					t.Errorf("point %s differs too: %s %q / %s %q", p.ID, p.Status, p.Seen, q.Status, q.Seen)
				}
			}
		})
	}
}

// readAPIs are the calls each vendor's fake names for the reads.
var readAPIs = map[string][]string{
	"ebuy":       {"_getBrandProductDetailDirect", "_queryCodeDetailList"},
	"zvcms":      {"getCustomerCoupons", "getCustomerCouponList"},
	"taobaofilm": {"taobao.film.fcode.export.query"},
	"houcaller":  {"listCpnItemByMember"},
	"suning":     {"suning.custom.appoint.query"},
}

// Without --writes the probe sends reads only (the fake's request log), and
// every point that writes is reported open, not run; with all inputs given,
// every read point runs and the default fake agrees with the package on it.
func TestProbeReadsOnly(t *testing.T) {
	for _, vendor := range probe.Vendors() {
		t.Run(vendor, func(t *testing.T) {
			f := startFake(t, vendor, nil)
			rep := run(t, vendor, f, false)
			reqs := f.Controls.Requests()[f.setup:]
			if len(reqs) == 0 {
				t.Fatal("no request")
			}
			for _, r := range reqs {
				if !slices.Contains(readAPIs[vendor], r.API) {
					t.Errorf("sent %q (%s) without --writes", r.API, r.Path)
				}
			}
			if len(rep.Transcript) != len(reqs) {
				t.Errorf("transcript has %d exchanges, the fake got %d requests", len(rep.Transcript), len(reqs))
			}
			for _, p := range probe.Points(vendor) {
				got := rep.Point(p.ID)
				switch {
				case p.Writes:
					if got.Status != probe.Open || !strings.HasPrefix(got.Seen, "not run: ") || len(got.Evidence) != 0 {
						t.Errorf("%s: %s %q, want open, not run", p.ID, got.Status, got.Seen)
					}
				case got.Status != probe.Known:
					t.Errorf("%s: %s %q, want known against the default fake", p.ID, got.Status, got.Seen)
				}
			}
		})
	}
}

// With --writes the probe takes back what it wrote: the e-Buy code is not
// activated again, the zvcms coupon unused, every Suning activity the probe
// created stopped. Points without a reversal still send nothing.
func TestProbeWritesTakeBack(t *testing.T) {
	t.Run("ebuy", func(t *testing.T) {
		f := startFake(t, "ebuy", nil)
		// Twice: a second run has keys of its own, so it is not answered
		// from the first run's writes.
		var uuids []string
		for range 2 {
			rep := run(t, "ebuy", f, true)
			p := rep.Point("uuid-dedup")
			if p.Status != probe.Known || !strings.HasSuffix(p.Seen, "taken back") {
				t.Fatalf("uuid-dedup: %+v", p)
			}
			var env struct{ UUID string }
			json.Unmarshal([]byte(p.Evidence[0].RequestBody), &env)
			uuids = append(uuids, env.UUID)
			cs, _ := f.Server.(*ebuytest.Server).Code(f.inputs["code"])
			if cs.Status != ebuy.StatusNotActivated {
				t.Fatalf("code %s left %s", f.inputs["code"], cs.Status)
			}
		}
		if uuids[0] == "" || uuids[0] == uuids[1] || len(uuids[0]) != len("20261207-")+32 {
			t.Fatalf("uuids %q: want one of e-Buy's shape per run", uuids)
		}
		for _, r := range f.Controls.Requests() {
			if r.API == "makeCode" {
				t.Fatal("makeCode sent: it has no reversal")
			}
		}
	})
	t.Run("zvcms", func(t *testing.T) {
		for _, set := range []fakeserve.Settings{nil, {"ReverseByVendorBizID": "true"}} {
			f := startFake(t, "zvcms", set)
			run(t, "zvcms", f, true)
			s := f.Server.(*zvcmstest.Server)
			for _, cp := range s.Coupons(f.inputs["customer-id"]) {
				if cp.CardID == f.inputs["card-id"] && cp.UseStatus != zvcms.UseStatusUnused {
					t.Fatalf("%v: card %s left %v", set, cp.CardID, cp.UseStatus)
				}
			}
			if len(s.Redemptions()) != 1 || len(s.Issues()) != 0 {
				t.Fatalf("%v: %d redemptions, %d issues", set, len(s.Redemptions()), len(s.Issues()))
			}
		}
	})
	t.Run("suning", func(t *testing.T) {
		for _, set := range []fakeserve.Settings{nil, {"IgnoreEnrollInfoCode": "true"}} {
			f := startFake(t, "suning", set)
			run(t, "suning", f, true)
			acts := f.Server.(*suningtest.Server).Activities()
			created := 0
			for _, a := range acts {
				if a.ActionID == f.inputs["action-id"] {
					continue // the test's own
				}
				created++
				if a.Status != "stopped" {
					t.Errorf("%v: activity %s left %s", set, a.ActionID, a.Status)
				}
			}
			if want := map[bool]int{false: 1, true: 2}[set != nil]; created != want {
				t.Errorf("%v: the probe created %d activities, want %d", set, created, want)
			}
		}
	})
	t.Run("houcaller and taobaofilm write nothing", func(t *testing.T) {
		for _, vendor := range []string{"houcaller", "taobaofilm"} {
			f := startFake(t, vendor, nil)
			run(t, vendor, f, true)
			for _, r := range f.Controls.Requests()[f.setup:] {
				if !slices.Contains(readAPIs[vendor], r.API) {
					t.Errorf("%s: sent %q with --writes: it has no reversal", vendor, r.API)
				}
			}
		}
	})
}

// The report (JSON and Markdown) and the transcript hold no secret in any
// spelling: not the credentials, not the wrong ones the auth checks try,
// and not any request's or answer's own signature or token.
func TestProbeTranscriptHoldsNoSecret(t *testing.T) {
	secretVars := map[string][]string{
		"ebuy":       {"EBUY_APP_SECRET"},
		"zvcms":      {"ZVCMS_OPEN_KEY", "ZVCMS_GRANT_CODE"},
		"taobaofilm": {"TAOBAO_APP_SECRET", "TAOBAO_SESSION"},
		"houcaller":  {"HOUCALLER_DES_KEY"},
		"suning":     {"SUNING_APP_SECRET", "SUNING_ACCESS_TOKEN"},
	}
	for _, vendor := range probe.Vendors() {
		t.Run(vendor, func(t *testing.T) {
			f := startFake(t, vendor, nil)
			rep := run(t, vendor, f, true)
			var js, md, tr bytes.Buffer
			if err := rep.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteMarkdown(&md); err != nil {
				t.Fatal(err)
			}
			if err := rep.TranscriptOf().Write(&tr); err != nil {
				t.Fatal(err)
			}
			texts := []string{js.String(), md.String(), tr.String()}
			var secrets []string
			for _, v := range secretVars[vendor] {
				if s := f.env[v]; s != "" {
					secrets = append(secrets, s, s+"-probe-wrong")
				}
			}
			if len(secrets) == 0 {
				t.Fatal("no secret to look for")
			}
			secrets = append(secrets, signaturesSent(t, vendor, f)...)
			couponkittest.AssertNoSecret(t, texts, secrets...)
			// Houcaller sends no signature and never its key (only the
			// param it encrypts); the others' signatures are in every request.
			if vendor != "houcaller" && !strings.Contains(tr.String(), "[redacted]") {
				t.Error("nothing redacted: the transcript is not the exchanges")
			}
		})
	}
}

// signaturesSent reads each request's own signature or token from the
// fake's log, by each vendor's wire rule.
func signaturesSent(t *testing.T, vendor string, f *fake) []string {
	var out []string
	for _, r := range f.Controls.Requests()[f.setup:] {
		switch vendor {
		case "ebuy", "zvcms":
			var env map[string]any
			if json.Unmarshal(r.Body, &env) == nil {
				for _, k := range []string{"sign", "token"} {
					if s, ok := env[k].(string); ok && s != "" {
						out = append(out, s)
					}
				}
			}
		case "taobaofilm":
			if form, err := url.ParseQuery(string(r.Body)); err == nil && form.Get("sign") != "" {
				out = append(out, form.Get("sign"))
			}
		case "suning":
			if s := r.Header.Get("signInfo"); s != "" {
				out = append(out, s)
			}
		}
	}
	if vendor != "houcaller" && len(out) == 0 {
		t.Fatalf("%s: no signature found in the requests", vendor)
	}
	return out
}

// A saved transcript loads, and holds the fake to the answers it recorded:
// the same fake answers in the same shapes; a fake configured otherwise
// (zvcms's native types) is caught, field by field.
func TestTranscriptChecksFake(t *testing.T) {
	rep := run(t, "zvcms", startFake(t, "zvcms", nil), false)
	var buf bytes.Buffer
	if err := rep.TranscriptOf().Write(&buf); err != nil {
		t.Fatal(err)
	}
	recorded, err := probe.LoadTranscript(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if recorded.Vendor != "zvcms" || len(recorded.Exchanges) != len(rep.Transcript) || recorded.Exchanges[0].Call != "read, clock right" {
		t.Fatalf("loaded %+v", recorded)
	}
	same := run(t, "zvcms", startFake(t, "zvcms", nil), false).TranscriptOf()
	if d := probe.Compare(recorded, same); len(d) != 0 {
		t.Fatalf("the same fake differs: %v", d)
	}
	native := run(t, "zvcms", startFake(t, "zvcms", fakeserve.Settings{"NativeTypes": "true"}), false).TranscriptOf()
	d := probe.Compare(recorded, native)
	var texts []string
	for _, x := range d {
		texts = append(texts, x.String())
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"read: getCustomerCoupons: status is bool, recorded string",
		"read: getCustomerCoupons: code is number, recorded string",
		"read: getCustomerCoupons: data is object, recorded array",
		"read: getCustomerCoupons: data[] (object) is missing",
		"read: getCustomerCoupons: data.list (array) was not in the recorded answer",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in:\n%s", want, all)
		}
	}
	if _, err := probe.LoadTranscript(strings.NewReader(`{"vendor":"zvcms","exchanges":[],"extra":1}`)); err == nil {
		t.Error("a transcript with an unknown field loaded")
	}
}
