package fakeserve

import (
	"encoding/json"
	"io"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// startEbuy builds e-Buy's fake with the seed's codes: made (status 03,
// the default) or seeded in another status. Its settings carry
// EBUY_MAKE_CODES_PATH when the fake serves makeCode at another path
// (MakeCodesPath=…), so that a client reads it with the credentials.
func startEbuy(seed *Seed, set Settings) (*vendorFake, error) {
	c := ebuytest.Config{InMemory: true}
	if err := set.apply("ebuy", &c); err != nil {
		return nil, err
	}
	s := ebuytest.NewServer(c)
	cfg := s.ClientConfig()
	vf := &vendorFake{fake: s, settings: [][2]string{{"EBUY_GATEWAY", cfg.Gateway}, {"EBUY_APP_ID", cfg.AppID}, {"EBUY_APP_SECRET", cfg.AppSecret}, {"EBUY_BRAND_ID", cfg.BrandID}}}
	if cfg.MakeCodesPath != "" {
		vf.settings = append(vf.settings, [2]string{"EBUY_MAKE_CODES_PATH", cfg.MakeCodesPath})
	}
	var all []string
	vf.seeded = [][]string{{"code", "status"}}
	for _, c := range seed.Codes {
		st := ebuy.CodeStatus(c.Status)
		if st == "" {
			st = ebuy.StatusNotActivated
		}
		var codes []string
		if st == ebuy.StatusNotActivated {
			codes = s.MakeCodes(c.Count)
		} else {
			codes = s.SeedCodes(c.Count, st)
		}
		for _, code := range codes {
			vf.seeded = append(vf.seeded, []string{code, string(st)})
		}
		all = append(all, codes...)
	}
	vf.dump = func(w io.Writer) error {
		type state struct {
			Code   string `json:"code"`
			Status string `json:"status"`
		}
		out := make([]state, 0, len(all))
		for _, c := range all {
			if cs, ok := s.Code(c); ok {
				out = append(out, state{c, string(cs.Status)})
			}
		}
		return json.NewEncoder(w).Encode(map[string]any{"codes": out})
	}
	return vf, nil
}
