package houcallertest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit/houcaller"
)

func TestDefaultsAndClientConfig(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{CipherMode: houcaller.CBC, IV: "iv-8byte", Padding: houcaller.ZeroPadding})
	defer s.Close()
	cfg := s.ClientConfig()
	assert.Equal(t, s.URL()+"/htest/openapi/v1", cfg.Gateway)
	assert.Equal(t, DefaultChannel, cfg.Channel)
	assert.Equal(t, DefaultDESKey, cfg.DESKey)
	assert.Equal(t, houcaller.CBC, cfg.CipherMode)
	assert.Equal(t, "iv-8byte", cfg.IV)
	assert.Equal(t, houcaller.ZeroPadding, cfg.Padding)
	card := s.cards[DefaultCardInfoID]
	assert.Equal(t, []string{DefaultCardInfoID}, card.CouponIDs)
	assert.Equal(t, 365, card.ValidDays)
	assert.Zero(t, s.RequestCount())
}

func TestBadKeyPanicsWithoutEchoingIt(t *testing.T) {
	t.Parallel()
	defer func() {
		r := recover()
		assert.NotNil(t, r)
		assert.NotContains(t, r, "toolongkey")
		assert.Contains(t, r, "8 bytes")
	}()
	NewServer(Config{DESKey: "toolongkey"})
}
