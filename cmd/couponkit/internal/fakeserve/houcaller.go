package fakeserve

import (
	"encoding/json"
	"io"

	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

// startHoucaller builds Houcaller's fake with the seed's cards (none: the
// fake's default card); HOUCALLER_CARD_INFO_ID names the first.
func startHoucaller(seed *Seed, set Settings) (*vendorFake, error) {
	c := houcallertest.Config{InMemory: true, Cards: seed.Cards}
	if err := set.apply("houcaller", &c); err != nil {
		return nil, err
	}
	s := houcallertest.NewServer(c)
	cfg := s.ClientConfig()
	card := houcallertest.DefaultCardInfoID
	if len(seed.Cards) > 0 {
		card = seed.Cards[0].InfoID
	}
	vf := &vendorFake{fake: s, settings: [][2]string{{"HOUCALLER_GATEWAY", cfg.Gateway}, {"HOUCALLER_CHANNEL", cfg.Channel}, {"HOUCALLER_DES_KEY", cfg.DESKey}, {"HOUCALLER_CARD_INFO_ID", card}}}
	vf.seeded = [][]string{{"card_info_id"}}
	if len(seed.Cards) == 0 {
		vf.seeded = append(vf.seeded, []string{card})
	}
	for _, c := range seed.Cards {
		vf.seeded = append(vf.seeded, []string{c.InfoID})
	}
	vf.dump = func(w io.Writer) error {
		sales := s.Sales()
		coupons := map[string][]houcallertest.Coupon{}
		for _, sale := range sales {
			if _, ok := coupons[sale.MemberID]; !ok {
				coupons[sale.MemberID] = s.Coupons(sale.MemberID)
			}
		}
		return json.NewEncoder(w).Encode(map[string]any{"sales": sales, "coupons": coupons})
	}
	return vf, nil
}
