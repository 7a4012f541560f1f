package houcallerdemo

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/leakcheck"
)

func clearEnv(t *testing.T) {
	for _, v := range []string{EnvGateway, EnvChannel, EnvDESKey, EnvCardInfoID, EnvMemberID} {
		t.Setenv(v, "")
	}
}

func TestRunOnFake(t *testing.T) {
	clearEnv(t)
	leakcheck.Check(t)
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), &out))
	s := out.String()
	assert.Contains(t, s, "on the built-in fake gateway")
	assert.Contains(t, s, "3 card(s) for 11.22 yuan, 1 attempt(s)")
	assert.Contains(t, s, "coupon L68F353AD0019: HKC0000000002, HKC0000000003, HKC0000000004")
	assert.Contains(t, s, "member card MC0000000001: active")
	assert.Contains(t, s, "3 coupon code(s) issued")
	assert.Contains(t, s, "member L38E1ASJP00Q4 holds 3 coupon(s):")
	assert.Contains(t, s, "  HKC0000000002 名牛卡专享券: redeemed")
	assert.Contains(t, s, "  HKC0000000004 名牛卡专享券: unused")
	assert.Contains(t, s, "last coupon of item L68F353AD0019: HKC0000000004, unused, sold in order ")
	assert.Contains(t, s, "recorded for order POS-526-0002: 30.00 yuan, 30 豪币 earned")
}

func TestRunRejectsPartialEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvGateway, "http://127.0.0.1:1/openapi/v1")
	err := Run(context.Background(), &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvDESKey)
}

func TestRunAgainstGatewayFromEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvGateway, "http://127.0.0.1:1/openapi/v1")
	t.Setenv(EnvChannel, "hkl-test")
	t.Setenv(EnvDESKey, "bad")
	err := Run(context.Background(), &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DESKey")
	assert.NotContains(t, err.Error(), "bad", "the key is never echoed")
}
