package ebuydemo

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/leakcheck"
)

func clearEnv(t *testing.T) {
	for _, v := range []string{EnvGateway, EnvAppID, EnvAppSecret, EnvBrandID, EnvTicketID} {
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
	assert.Contains(t, s, "made 3 codes for order DEMO-")
	assert.Contains(t, s, "activated 3 codes (1 attempt(s))")
	assert.Contains(t, s, "freeze: 2 code(s)\n  1031000000000000001  frozen (已冻结)")
	assert.Contains(t, s, "unfreeze: 1 code(s)\n  1031000000000000001  unused (未使用)")
	assert.Contains(t, s, "deactivated 1 code\n  1031000000000000001  not activated (未激活)")
	assert.Regexp(t, `type 1  操作成功\n.*type 3  激活\n.*type 5  冻结\n.*type 6  解冻\n.*type 4  取消激活\n`, s)
	assert.Regexp(t, `redeemed 1031000000000000003 at a till \(cashierTransNo POS-\d{14}\)\nrefund: redemption of 1031000000000000003 taken back \(撤销成功\), the code is usable again\n`, s)
	assert.Regexp(t, `issued 2 codes to sales order WX-\d{14}: 1031000000000000004, 1031000000000000005\n`, s)
	assert.Regexp(t, `notification verify \(uuid \d{8}-[0-9a-f]{32}\): code 1031000000000000003 of batch 1031000000010741 redeemed at .*, acknowledged`, s)
}

func TestRunRejectsPartialEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvGateway, "http://127.0.0.1:1")
	err := Run(context.Background(), &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing "+EnvAppID+", "+EnvAppSecret+", "+EnvBrandID)
}

func TestRunAgainstGatewayFromEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvGateway, "http://127.0.0.1:1")
	t.Setenv(EnvAppID, "ebuy0000000000a1")
	t.Setenv(EnvAppSecret, "s3cr3t-value")
	t.Setenv(EnvBrandID, "4339")
	t.Setenv(EnvTicketID, "1031000000010741")
	var out bytes.Buffer
	err := Run(context.Background(), &out)
	require.Error(t, err, "nothing listens on port 1")
	assert.Contains(t, out.String(), "on the gateway http://127.0.0.1:1")
	assert.Contains(t, err.Error(), "make codes:")
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "a refused connection provably sent nothing")
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))
	assert.NotContains(t, err.Error(), "s3cr3t-value")
	assert.NotContains(t, out.String(), "s3cr3t-value")
}

func TestRunRejectsBadTicket(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvTicketID, "abc")
	require.ErrorContains(t, Run(context.Background(), &bytes.Buffer{}), EnvTicketID)
}
