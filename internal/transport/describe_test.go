package transport

import (
	"context"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

type describedClient struct{}

func (describedClient) Redeem(context.Context, *redeemParams) (*redeemAnswer, error) {
	return &redeemAnswer{Serial: "S"}, nil
}

func TestDescribeTakesTheOpsNameClassAndKey(t *testing.T) {
	t.Parallel()
	a := Describe("fiction", opTypedKeyed, describedClient.Redeem, "redeems a code")
	require.NoError(t, couponkit.CheckAPIs(a))
	assert.Equal(t, "fiction", a.Vendor)
	assert.Equal(t, "Redeem", a.Method)
	assert.Equal(t, "redeem", a.Name)
	assert.Equal(t, "redeem", a.Operation)
	assert.Equal(t, couponkit.ClassKeyed, a.Class)
	assert.Equal(t, "bizId", a.KeyName)
	assert.Equal(t, opTypedKeyed.Path, a.Path)
	assert.Empty(t, a.Notes)
	noted := *opTypedKeyed
	noted.Notes = "path [likely]"
	assert.Equal(t, "path [likely]", Describe("fiction", &noted, describedClient.Redeem, "redeems a code").Notes)
	assert.Equal(t, reflect.TypeFor[redeemParams](), a.Request)
	got, err := a.Run(context.Background(), describedClient{}, &redeemParams{})
	require.NoError(t, err)
	assert.Equal(t, &redeemAnswer{Serial: "S"}, got)
}
