package taobaofilm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

func TestAPIs(t *testing.T) {
	t.Parallel()
	apis := taobaofilm.APIs()
	require.NoError(t, couponkit.CheckAPIs(apis...))
	for _, a := range apis {
		assert.Equal(t, couponkit.ClassUnsafe, a.Class, a.Method)
	}
}

// The fake serves every listed API: without its params it answers code 40
// (a missing argument), not 22 (no such method).
func TestFakeServesEveryAPI(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{InMemory: true})
	c, err := taobaofilm.NewClient(fakeConfig(srv), srv.ClientOption())
	require.NoError(t, err)
	defer c.Close()
	for _, a := range taobaofilm.APIs() {
		_, err := c.Call(context.Background(), a.Operation, nil, nil)
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce, a.Operation)
		assert.Equal(t, "40", ce.Code, "the fake does not serve %s (%s)", a.Operation, a.Method)
	}
}
