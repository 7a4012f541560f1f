package fakeserve

import (
	"fmt"

	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// startTaobaofilm builds the TOP fake with the seed's batches (none: the
// fake's default batch).
func startTaobaofilm(seed *Seed, set Settings) (*vendorFake, error) {
	c := taobaofilmtest.Config{InMemory: true, Batches: seed.Batches}
	if err := set.apply("taobaofilm", &c); err != nil {
		return nil, err
	}
	s := taobaofilmtest.NewServer(c)
	cfg := s.ClientConfig()
	vf := &vendorFake{fake: s, settings: [][2]string{{"TAOBAO_GATEWAY", cfg.Gateway}, {"TAOBAO_APP_KEY", cfg.AppKey}, {"TAOBAO_APP_SECRET", cfg.AppSecret}}}
	if cfg.Session != "" {
		vf.settings = append(vf.settings, [2]string{"TAOBAO_SESSION", cfg.Session})
	}
	batches := seed.Batches
	if len(batches) == 0 {
		batches = []taobaofilmtest.Batch{taobaofilmtest.DefaultBatch()}
	}
	vf.seeded = [][]string{{"mix_id", "partner_code", "count"}}
	for _, b := range batches {
		vf.seeded = append(vf.seeded, []string{b.MixID, b.PartnerCode, fmt.Sprint(b.Count)})
	}
	return vf, nil
}
