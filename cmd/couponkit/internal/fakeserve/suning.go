package fakeserve

import (
	"encoding/json"
	"io"

	"github.com/couponkit/couponkit/suning/suningtest"
)

// startSuning builds Suning's fake; it takes no seed (activities are made
// by create calls).
func startSuning(_ *Seed, set Settings) (*vendorFake, error) {
	c := suningtest.Config{InMemory: true}
	if err := set.apply("suning", &c); err != nil {
		return nil, err
	}
	s := suningtest.NewServer(c)
	cfg := s.ClientConfig()
	vf := &vendorFake{fake: s, settings: [][2]string{{"SUNING_GATEWAY", cfg.Gateway}, {"SUNING_APP_KEY", cfg.AppKey}, {"SUNING_APP_SECRET", cfg.AppSecret}, {"SUNING_OAUTH_TOKEN_URL", cfg.OAuthTokenURL}}}
	if cfg.AccessToken != "" {
		vf.settings = append(vf.settings, [2]string{"SUNING_ACCESS_TOKEN", cfg.AccessToken})
	}
	vf.dump = func(w io.Writer) error {
		return json.NewEncoder(w).Encode(map[string]any{"activities": s.Activities()})
	}
	return vf, nil
}
