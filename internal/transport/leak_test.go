package transport

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/leakcheck"
)

func TestNoGoroutineLeftAfterClose(t *testing.T) {
	leakcheck.Check(t)
	srv := fakekit.NewServer(okHandler())
	c := New("test", couponkit.ResolveOptions())
	for i := 0; i < 3; i++ {
		_, err := c.Do(context.Background(), e2eCall(srv.URL, Keyed))
		require.NoError(t, err)
	}
	c.Close()
	srv.Close()
}
