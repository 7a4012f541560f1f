package suning_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// The fake refuses a price with fen, as the client does before sending:
// prices are whole yuan ("3999"), so "3999.00" is a format error.
func TestFakeRefusesPricesTheClientRefuses(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{InMemory: true})
	req := createRequest(t)
	req.Goods[0].Price = 389950
	_, err := c.Create(context.Background(), req)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Zero(t, srv.RequestCount())

	for _, price := range []string{"3899.00", "3899.5", "1.00", "0", "-1", "+1"} {
		var out map[string]any
		node := createNode(t, "SU-PRICE-"+price)
		node = []byte(replaceOnce(t, string(node), `"price":"3899"`, `"price":"`+price+`"`))
		_, err := c.Call(context.Background(), suning.MethodAppointCreate, node, &out)
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce, price)
		assert.Equal(t, suning.CodeFormatError+":price", ce.Code, price)
	}
	assert.Zero(t, srv.AppliedWrites())
}

// replaceOnce replaces the one occurrence of old in s.
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	require.Equal(t, 1, strings.Count(s, old), "%s in %s", old, s)
	return strings.Replace(s, old, new, 1)
}
