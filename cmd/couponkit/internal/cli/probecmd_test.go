package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/zvcms"
)

// couponkit probe zvcms against the fake: the Markdown report by default,
// JSON with --json, a transcript with --transcript; exit 1 when a point is
// contradicted; credentials from the environment only, and never printed.
func TestProbeCommand(t *testing.T) {
	seed := &fakeserve.Seed{}
	for range 3 {
		seed.Coupons = append(seed.Coupons, zvcms.Coupon{CustomerID: "383933091455959041", Channel: "naixue"})
	}
	_, env := startFake(t, "zvcms", seed)
	in := []string{"--input", "customer-id=383933091455959041"}

	r := run(t, env, append([]string{"probe", "zvcms"}, in...)...)
	if r.code != 0 || !strings.Contains(r.out, "# couponkit probe: zvcms") || !strings.Contains(r.out, "| spelling | known | known |") ||
		!strings.Contains(r.out, "| reverse-by-sent-bizid | open | open | not run: it writes") || !strings.Contains(r.err, "spelling: known:") {
		t.Fatalf("exit %d:\n%s\n%s", r.code, r.out, r.err)
	}
	for _, v := range []string{env["ZVCMS_OPEN_KEY"], env["ZVCMS_GRANT_CODE"]} {
		if strings.Contains(r.out+r.err, v) {
			t.Fatalf("a credential was printed")
		}
	}

	tp := filepath.Join(t.TempDir(), "t.json")
	r = run(t, env, append([]string{"probe", "zvcms", "--json", "--only", "spelling,auth", "--transcript", tp}, in...)...)
	var rep struct {
		Vendor string
		Points []struct{ ID, Status string }
	}
	if err := json.Unmarshal([]byte(r.out), &rep); r.code != 0 || err != nil || rep.Vendor != "zvcms" || len(rep.Points) != 2 || rep.Points[1].ID != "auth" {
		t.Fatalf("exit %d, %v:\n%s", r.code, err, r.out)
	}
	b, err := os.ReadFile(tp)
	if err != nil || !strings.Contains(string(b), `"call": "read: getCustomerCoupons"`) {
		t.Fatalf("transcript: %v\n%s", err, b)
	}

	// A Suning gateway whose clock window is wider than the documented 10
	// minutes contradicts clock-skew: exit 1.
	_, senv := startFakeWith(t, "suning", nil, fakeserve.Settings{"MaxSkew": "1h"})
	r = run(t, senv, "probe", "suning", "--only", "clock-skew", "--input", "action-id=1", "--input", "part-number=1", "--input", "vendor-id=1")
	if r.code != 1 || !strings.Contains(r.out, "| clock-skew | known | contradicted |") {
		t.Fatalf("exit %d:\n%s\n%s", r.code, r.out, r.err)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"probe"}, "probe needs a vendor"},
		{[]string{"probe", "acme"}, `no probe for "acme"`},
		{[]string{"probe", "zvcms", "--input", "nokey"}, `want NAME=VALUE, got "nokey"`},
		{[]string{"probe", "zvcms", "--only", "nosuch"}, `zvcms has no point "nosuch"`},
	} {
		if r := run(t, env, c.args...); r.code == 0 || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d, %q", c.args, r.code, r.err)
		}
	}
	if r := run(t, map[string]string{}, "probe", "zvcms"); r.code != 1 || !strings.Contains(r.err, "OpenID") {
		t.Errorf("no credentials: exit %d, %q", r.code, r.err)
	}
}
