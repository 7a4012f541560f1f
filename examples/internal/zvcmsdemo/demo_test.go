package zvcmsdemo

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/leakcheck"
)

func clearEnv(t *testing.T) {
	for _, k := range []string{EnvGateway, EnvOpenID, EnvOpenKey, EnvGrantCode, EnvCustomerID, EnvChannel, EnvRedeem, EnvIssue} {
		t.Setenv(k, "")
	}
}

func TestRunOnFake(t *testing.T) {
	leakcheck.Check(t)
	clearEnv(t)
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), &out))
	s := out.String()
	assert.Contains(t, s, "built-in fake gateway")
	assert.Contains(t, s, "满50减10")
	assert.Contains(t, s, "免配送费")
	assert.NotContains(t, s, "停车2小时", "the redeemed coupon is not listed")
	assert.Contains(t, s, "redeemed 390913445498200001 (order 58.00 yuan, 10.00 yuan off) with bizId")
	assert.Contains(t, s, "refused: code 2002")
	assert.Contains(t, s, "coupon 390913445498200001 is now redeemed")
	assert.Contains(t, s, "coupon 390913445498200001 is unused again")
	assert.Contains(t, s, "issued 1 coupon(s) of 390913445519171002 (满50减10) with bizId")
	assert.Contains(t, s, "  390913445498200007  cash           满50减10", "the issued coupon is listed")
}

func TestRunNeedsAllGatewaySettings(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvGateway, "http://127.0.0.1:1")
	t.Setenv(EnvOpenID, "o")
	var out bytes.Buffer
	err := Run(context.Background(), &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvOpenKey)
	assert.Empty(t, out.String())
}
