package suning_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
)

func TestNewClientValidatesConfig(t *testing.T) {
	cases := []struct {
		cfg   suning.Config
		field string
	}{
		{suning.Config{AppSecret: "s"}, "AppKey"},
		{suning.Config{AppKey: "k"}, "AppSecret"},
		{suning.Config{AppKey: "k\n", AppSecret: "s"}, "AppKey"},
		{suning.Config{AppKey: "k", AppSecret: "s", AccessToken: "t\r"}, "AccessToken"},
		{suning.Config{AppKey: "k", AppSecret: "s", Gateway: "open.suning.com/api"}, "Gateway"},
		{suning.Config{AppKey: "k", AppSecret: "s", Gateway: "ftp://open.suning.com/api"}, "Gateway"},
		{suning.Config{AppKey: "k", AppSecret: "s", Gateway: "http://"}, "Gateway"},
	}
	for _, tc := range cases {
		c, err := suning.NewClient(tc.cfg)
		assert.Nil(t, c)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tc.field, ve.Field)
	}
	c, err := suning.NewClient(suning.Config{AppKey: "k", AppSecret: "s"})
	require.NoError(t, err)
	assert.NoError(t, c.Close())
}

func TestVersionNoAndKeyGeneratorAreConfigurable(t *testing.T) {
	cfg := goldenConfig(t)
	cfg.VersionNo = "v1.3"
	var at time.Time
	cfg.NewKey = func(now time.Time) string { at = now; return "MYKEY-1" }
	c, seen, _ := mockClient(t, cfg, okCreate)
	res, err := c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	assert.Equal(t, "MYKEY-1", res.SentEnrollInfoCode)
	assert.True(t, at.Equal(goldenTime), "the generator gets the client clock's time")
	assert.Equal(t, []string{"v1.3"}, (*seen)[0].header.Values("VersionNo"))
	assert.Equal(t, "MYKEY-1", sentKey(t, (*seen)[0].body))
}

func TestDefaultEnrollInfoCode(t *testing.T) {
	a := suning.DefaultEnrollInfoCode(goldenTime)
	b := suning.DefaultEnrollInfoCode(goldenTime)
	assert.Regexp(t, `^SU240601102030[0-9]{18}$`, a)
	assert.NotEqual(t, a, b)
	// Beijing date, whatever the instant's location.
	assert.Regexp(t, `^SU240601000000`, suning.DefaultEnrollInfoCode(time.Date(2024, 5, 31, 16, 0, 0, 0, time.UTC)))
}

func TestEnumStrings(t *testing.T) {
	assert.Equal(t, "modify", suning.OperateModify.String())
	assert.Equal(t, "normal", suning.ActionTypeNormal.String())
	assert.Equal(t, "pc+mobile", suning.TerminalPCAndMobile.String())
	assert.Equal(t, "overseas", suning.VendorOverseas.String())
	assert.Equal(t, "no", suning.TransitNo.String())
	assert.Equal(t, "yes", suning.OtherTerminalSaleYes.String())
	assert.Equal(t, "bundle", suning.PartBundle.String())
	assert.Equal(t, "yes", suning.SendMsgYes.String())
	assert.Equal(t, "no", suning.DefaultGoodsNo.String())
	assert.Equal(t, "9", suning.PartType("9").String())
}
