package transport

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/leakcheck"
)

// The server outlives the check, so only Client.Close can end the
// connections' goroutines on both sides.
func TestClientCloseLeavesNoGoroutine(t *testing.T) {
	srv := fakekit.NewServer(okHandler())
	t.Cleanup(srv.Close)
	leakcheck.Check(t)
	c := New("test", couponkit.ResolveOptions())
	for i := 0; i < 3; i++ {
		_, err := c.Do(context.Background(), e2eCall(srv.URL, Keyed))
		require.NoError(t, err)
	}
	c.Close()
}

func TestFakeCloseLeavesNoGoroutine(t *testing.T) {
	leakcheck.Check(t)
	srv := fakekit.NewServer(okHandler())
	srv.Inject(fakekit.Fault{Drop: true})
	c := New("test", couponkit.ResolveOptions())
	t.Cleanup(c.Close)
	_, err := c.Do(context.Background(), e2eCall(srv.URL, Keyed))
	require.NoError(t, err)
	srv.Close()
}
