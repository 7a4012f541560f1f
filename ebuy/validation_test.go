package ebuy_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
)

func TestNewClientValidatesConfig(t *testing.T) {
	t.Parallel()
	ok := ebuy.Config{Gateway: ebuy.TestGateway, AppID: "a", AppSecret: "s"}
	cases := []struct {
		field string
		edit  func(*ebuy.Config)
	}{
		{"Gateway", func(c *ebuy.Config) { c.Gateway = "" }},
		{"Gateway", func(c *ebuy.Config) { c.Gateway = "ftp://x" }},
		{"Gateway", func(c *ebuy.Config) { c.Gateway = "https://" }},
		{"AppID", func(c *ebuy.Config) { c.AppID = "" }},
		{"AppSecret", func(c *ebuy.Config) { c.AppSecret = "" }},
		{"Lang", func(c *ebuy.Config) { c.Lang = "\xff" }},
		{"BrandID", func(c *ebuy.Config) { c.BrandID = "\xfe" }},
		{"MaxBatchConcurrency", func(c *ebuy.Config) { c.MaxBatchConcurrency = -1 }},
		{"Headers", func(c *ebuy.Config) { c.Headers = 7 }},
	}
	for _, tc := range cases {
		cfg := ok
		tc.edit(&cfg)
		c, err := ebuy.NewClient(cfg)
		assert.Nil(t, c)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
	}
	c, err := ebuy.NewClient(ok)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "Close may be called more than once")
}

func TestNewClientReportsEveryInvalidFieldInOrder(t *testing.T) {
	t.Parallel()
	_, err := ebuy.NewClient(ebuy.Config{})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Gateway", ve.Field, "the first field of Config first")
	assert.Equal(t, []string{"Gateway", "AppID", "AppSecret"}, invalidFields(err))

	bad := ebuy.Config{Gateway: "ftp://x", AppSecret: "s", Lang: "\xff", BrandID: "\xfe", PaasVersion: "\xfd", MaxBatchConcurrency: -1, Headers: 9}
	for range 5 { // the same order every time
		_, err = ebuy.NewClient(bad)
		assert.Equal(t, []string{"Gateway", "AppID", "Lang", "BrandID", "PaasVersion", "MaxBatchConcurrency", "Headers"}, invalidFields(err))
	}
}

// invalidFields returns the Field of every *couponkit.ValidationError joined in err.
func invalidFields(err error) []string {
	var out []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ve *couponkit.ValidationError
		if errors.As(e, &ve) {
			out = append(out, ve.Field)
		}
	}
	return out
}

// TestValidationSendsNothing checks that nil requests (a write's and each
// read's) and each bad argument of the generic Call are refused with a
// ValidationError naming the field, before any request is sent (the call
// table does the same for each typed call's bad requests).
func TestValidationSendsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		field string
		call  func(c *ebuy.Client) error
	}{
		{"ActivateCodesRequest", func(c *ebuy.Client) error { _, err := c.ActivateCodes(ctx, nil); return err }},
		{"ProductDetailRequest", func(c *ebuy.Client) error { _, err := c.ProductDetail(ctx, nil); return err }},
		{"CodeHistoryRequest", func(c *ebuy.Client) error { _, err := c.CodeHistory(ctx, nil); return err }},
		{"api", func(c *ebuy.Client) error { _, err := c.Call(ctx, "a/b", nil, nil); return err }},
		{"api", func(c *ebuy.Client) error { _, err := c.Call(ctx, "", nil, nil); return err }},
		{"params", func(c *ebuy.Client) error { _, err := c.Call(ctx, "x", []int{1}, nil); return err }},
		{"params", func(c *ebuy.Client) error { _, err := c.Call(ctx, "x", make(chan int), nil); return err }},
		{"params", func(c *ebuy.Client) error { _, err := c.Call(ctx, "x", json.RawMessage(`{"a":`), nil); return err }},
		{"params", func(c *ebuy.Client) error { _, err := c.Call(ctx, "x", []byte(`"text"`), nil); return err }},
		{"out", func(c *ebuy.Client) error { _, err := c.Call(ctx, "x", nil, struct{}{}); return err }},
		{"Key", func(c *ebuy.Client) error {
			_, err := c.Call(ctx, "x", nil, nil, couponkit.Keyed("uuid", ""))
			return err
		}},
		{"Key", func(c *ebuy.Client) error {
			_, err := c.Call(ctx, "x", nil, nil, couponkit.Keyed("uuid", "has space"))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := mockClient(t, ebuy.Config{}, func([]byte) (int, []byte) { return 200, nil })
			err := tc.call(c)
			var ve *couponkit.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing sent")
		})
	}
}
