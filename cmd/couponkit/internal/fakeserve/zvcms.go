package fakeserve

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// startZvcms builds zvcms's fake with the seed's coupons, then Count more
// of a fresh customer each.
func startZvcms(seed *Seed, set Settings) (*vendorFake, error) {
	if err := checkZvcmsSeed(seed.Coupons); err != nil {
		return nil, err
	}
	c := zvcmstest.Config{InMemory: true, NativeTypes: seed.NativeTypes}
	if err := set.apply("zvcms", &c); err != nil {
		return nil, err
	}
	s := zvcmstest.NewServer(c)
	cfg := s.ClientConfig()
	vf := &vendorFake{fake: s, settings: [][2]string{{"ZVCMS_GATEWAY", cfg.Gateway}, {"ZVCMS_OPEN_ID", cfg.OpenID}, {"ZVCMS_OPEN_KEY", cfg.OpenKey}, {"ZVCMS_GRANT_CODE", cfg.GrantCode}}}
	vf.seeded = [][]string{{"customer_id", "card_ids", "channel"}}
	var customers []string
	seen := map[string]bool{}
	for _, c := range addZvcmsCoupons(s, seed) {
		vf.seeded = append(vf.seeded, []string{c.CustomerID, c.CardID, c.Channel})
		if !seen[c.CustomerID] {
			seen[c.CustomerID] = true
			customers = append(customers, c.CustomerID)
		}
	}
	vf.dump = func(w io.Writer) error {
		coupons := map[string][]zvcms.Coupon{}
		for _, id := range customers {
			coupons[id] = s.Coupons(id)
		}
		return json.NewEncoder(w).Encode(map[string]any{"coupons": coupons, "redemptions": s.Redemptions()})
	}
	return vf, nil
}

// addZvcmsCoupons adds the seed's coupons to s and returns them as added,
// in the seed's order, then Count more. The coupons that name their card id
// go in first, so that no fresh id the fake makes for the others can be one
// of theirs.
func addZvcmsCoupons(s *zvcmstest.Server, seed *Seed) []zvcms.Coupon {
	added := make([]zvcms.Coupon, len(seed.Coupons))
	for _, named := range []bool{true, false} {
		for i, c := range seed.Coupons {
			if (c.CardID != "") == named {
				added[i] = s.AddCoupon(c)
			}
		}
	}
	for range seed.Count {
		added = append(added, s.AddCoupon(zvcms.Coupon{Title: "seeded"}))
	}
	return added
}

// checkZvcmsSeed refuses a seed that gives two coupons one card id, naming
// both, rather than let the fake panic on the second.
func checkZvcmsSeed(coupons []zvcms.Coupon) error {
	at := map[string]int{}
	for i, c := range coupons {
		if c.CardID == "" {
			continue
		}
		if j, ok := at[c.CardID]; ok {
			return fmt.Errorf("seed: coupons[%d]: cardId %q is also coupons[%d]'s", i, c.CardID, j)
		}
		at[c.CardID] = i
	}
	return nil
}
