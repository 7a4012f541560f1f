package suningdemo

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/leakcheck"
)

func clearEnv(t *testing.T) {
	for _, v := range []string{EnvGateway, EnvAppKey, EnvAppSecret, EnvAccessToken, EnvVendorCode, EnvCustNo} {
		t.Setenv(v, "")
	}
}

func TestRunOnFake(t *testing.T) {
	clearEnv(t)
	leakcheck.Check(t)
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), &out))
	s := out.String()
	assert.Contains(t, s, "with 2 goods on the built-in fake gateway")
	assert.Regexp(t, `created activity [0-9]{13} \(enrollInfoCode SU[0-9]{30}, 1 attempt\(s\)\)`, s)
	assert.Contains(t, s, "now 3799.00 yuan")
	assert.Contains(t, s, `"新品手机预约(延长一天)" on pc+mobile terminals`)
	assert.Contains(t, s, "customer 7012345678 booked 新品手机 8G+256G")
	assert.Regexp(t, `booking info of customer 7012345678: 1 booking\(s\)\n  goods 000000000123456789 booked 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \(Beijing time\) on terminal 2, phone 13900139000\n`, s)
	assert.NotContains(t, s, `"bookingList"`, "no raw JSON")
	assert.Contains(t, s, "stopped, modified 1 time(s)")
}

func TestRunRejectsPartialEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvGateway, "http://127.0.0.1:1/api/http/sopRequest")
	err := Run(context.Background(), &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvAppKey+" and "+EnvAppSecret)
}

func TestRunAgainstGatewayFromEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvGateway, "http://127.0.0.1:1/api/http/sopRequest")
	t.Setenv(EnvAppKey, "key")
	t.Setenv(EnvAppSecret, "s3cr3t-value")
	t.Setenv(EnvAccessToken, "t0ken-value")
	var out bytes.Buffer
	err := Run(context.Background(), &out)
	require.Error(t, err, "nothing listens on port 1")
	assert.Contains(t, out.String(), "on the gateway http://127.0.0.1:1/api/http/sopRequest")
	assert.Contains(t, err.Error(), "create:")
	assert.NotContains(t, err.Error(), "s3cr3t-value")
	assert.NotContains(t, err.Error(), "t0ken-value")
}
