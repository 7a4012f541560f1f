package cli

import (
	"encoding/json"
	"testing"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/zvcms"
)

// A registry call runs as a single call: its flags from its request, its
// answer printed as JSON (an iterator's pages gathered, as customer-coupon-list's).
func TestRegistryCallRuns(t *testing.T) {
	_, env := startFake(t, "zvcms", &fakeserve.Seed{Coupons: []zvcms.Coupon{
		{CustomerID: "c1", CardID: "card1", Channel: "naixue"}, {CustomerID: "c1", CardID: "card2", Channel: "naixue"}}})
	if findCall("zvcms", "customer-coupon-list") == nil {
		t.Fatal("customer-coupon-list is not a single call")
	}
	r := run(t, env, "zvcms", "customer-coupon-list", "--customer-id", "c1", "--page-size", "1", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	var got zvcms.CustomerCoupons
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatal(err, r.out)
	}
	if len(got.Coupons) != 2 || got.Coupons[0].CardID != "card1" || got.Coupons[1].CardID != "card2" {
		t.Fatalf("coupons %+v", got.Coupons)
	}
}
