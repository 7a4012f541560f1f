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
	t.Parallel()
	cases := []struct {
		cfg   suning.Config
		field string
	}{
		{suning.Config{AppSecret: "s"}, "AppKey"},
		{suning.Config{AppKey: "k"}, "AppSecret"},
		{suning.Config{AppKey: "k\n", AppSecret: "s"}, "AppKey"},
		{suning.Config{AppKey: "k", AppSecret: "s", AccessToken: "t\r"}, "AccessToken"},
		{suning.Config{AppKey: "k", AppSecret: "s", VersionNo: "v1.2\n"}, "VersionNo"},
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
	assert.NoError(t, c.Close(), "Close may be called more than once")
}

// fields returns the Field of every *couponkit.ValidationError joined in err.
func fields(t *testing.T, err error) []string {
	t.Helper()
	j, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "a joined error: %v", err)
	var out []string
	for _, e := range j.Unwrap() {
		var ve *couponkit.ValidationError
		require.ErrorAs(t, e, &ve)
		out = append(out, ve.Field)
	}
	return out
}

func TestNewClientReportsEveryInvalidField(t *testing.T) {
	t.Parallel()
	_, err := suning.NewClient(suning.Config{})
	assert.Equal(t, []string{"AppKey", "AppSecret"}, fields(t, err), "an empty Config names every required field")
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "AppKey", ve.Field)

	_, err = suning.NewClient(suning.Config{Gateway: "ftp://x", AppKey: "k\r", AccessToken: "t\n", VersionNo: "v\n"})
	assert.Equal(t, []string{"Gateway", "AppKey", "AppSecret", "AccessToken", "VersionNo"}, fields(t, err), "in Config's order")
}

func TestPricesMustBeWholeYuanThatFit(t *testing.T) {
	t.Parallel()
	c, seen, _ := mockClient(t, goldenConfig(t), okCreate)
	cases := []struct {
		mutate func(r *suning.AppointRequest)
		field  string
		reason string
	}{
		{func(r *suning.AppointRequest) { r.Goods[0].Price = 389950 }, "Goods[0].Price", "whole number of yuan, got 3899.50 yuan"},
		{func(r *suning.AppointRequest) { r.Goods[1].AppointPrice = 1 }, "Goods[1].AppointPrice", "whole number of yuan, got 0.01 yuan"},
		{func(r *suning.AppointRequest) { r.SubGoods[0].Price = 3990 }, "SubGoods[0].Price", "whole number of yuan"},
		{func(r *suning.AppointRequest) { r.SubGoods[0].AppointPrice = -500 }, "SubGoods[0].AppointPrice", "must be positive"},
		{func(r *suning.AppointRequest) { r.Goods[0].Price = 1_000_000_000_000_000_000 /* 10^16 yuan */ }, "Goods[0].Price", "more than 16 integer digits"},
	}
	for _, tc := range cases {
		req := goldenRequest(t)
		tc.mutate(req)
		_, err := c.Modify(context.Background(), req)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, "%s %v", tc.field, tc.reason)
		assert.Equal(t, tc.field, ve.Field)
		assert.Contains(t, ve.Reason, tc.reason)
	}
	assert.Empty(t, *seen, "nothing is sent")
}

func TestVersionNoAndKeyGeneratorAreConfigurable(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	a := suning.DefaultEnrollInfoCode(goldenTime)
	b := suning.DefaultEnrollInfoCode(goldenTime)
	assert.Regexp(t, `^SU240601102030[0-9]{18}$`, a)
	assert.NotEqual(t, a, b)
	// Beijing date, whatever the instant's location.
	assert.Regexp(t, `^SU240601000000`, suning.DefaultEnrollInfoCode(time.Date(2024, 5, 31, 16, 0, 0, 0, time.UTC)))
}

func TestEnumStrings(t *testing.T) {
	t.Parallel()
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
