package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

func TestSingleCallsGolden(t *testing.T) {
	dir := t.TempDir()
	_, tenv := startFake(t, "taobaofilm", &fakeserve.Seed{Batches: []taobaofilmtest.Batch{{MixID: "mix1", PartnerCode: "p1", Name: "demo", Count: 4, Seed: 7, RedeemedPercent: 50,
		BindBegin: time.Date(2025, 1, 1, 0, 0, 0, 0, beijing), Expire: time.Date(2025, 12, 31, 23, 59, 59, 0, beijing), Denomination: 400}}})
	_, henv := startFake(t, "houcaller", nil)
	req := filepath.Join(dir, "sale.json")
	os.WriteFile(req, []byte(`{"cardInfoId":"`+henv["HOUCALLER_CARD_INFO_ID"]+`","saleTime":"2025-01-02T10:00:00+08:00","saleUser":"u1","saleOrgCode":"org1","payAmount":1000,"memberId":"m1","count":1}`), 0o644)
	cases := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"taobaofilm_export_codes", tenv, []string{"taobaofilm", "export-codes", "--mix-id", "mix1", "--partner-code", "p1", "--operate-type", "ALL"}},
		{"taobaofilm_export_codes_json", tenv, []string{"taobaofilm", "export-codes", "--mix-id", "mix1", "--partner-code", "p1", "--operate-type", "ALL", "--json"}},
		{"houcaller_sell_card", henv, []string{"houcaller", "sell-card", "--input", req, "--sale-no", "sale-1"}},
		{"houcaller_sell_card_json", henv, []string{"houcaller", "sell-card", "--input", req, "--sale-no", "sale-1", "--json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, c.env, c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
			}
			golden(t, "call_"+c.name+".golden", r.out)
			if strings.HasSuffix(c.name, "_json") && !json.Valid([]byte(r.out)) {
				t.Fatalf("not JSON: %s", r.out)
			}
		})
	}
}

func TestSingleCallInputErrors(t *testing.T) {
	_, env := startFake(t, "zvcms", nil)
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"customerId":"c1","nope":1}`), 0o644)
	for _, args := range [][]string{
		{"zvcms", "get-customer-coupons", "--input", bad},
		{"zvcms", "write-off-coupon", "--amount", "1.234"},
		{"zvcms", "no-such-call"},
	} {
		r := run(t, env, args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2: %s %s", args, r.code, r.out, r.err)
		}
	}
}
