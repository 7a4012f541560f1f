package transport

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
)

// A client pointed at an in-memory fake's URL but built without the fake's
// ClientOption fails at once, naming Gateway, instead of retrying "no such
// host" with real waits.
func TestInMemoryFakeURLWithoutItsTransport(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"http://zvcms.fake.invalid", "http://fake.invalid", "https://EBUY.FAKE.INVALID./paas", "http://gateway.invalid:8080"} {
		clock := couponkittest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
		c := New("zvcms", couponkit.ResolveOptions(couponkit.WithClock(clock)))
		ep := jsonEndpoint(c, base)
		_, err := ep.Invoke(context.Background(), opRead, "", "x", nil)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, base)
		assert.Equal(t, "Gateway", ve.Field)
		assert.Contains(t, ve.Reason, "ClientOption()")
		assert.Empty(t, clock.Sleeps(), "no retry, no wait")

		typed := &Typed[string]{Endpoint: ep, Wrap: func(_ *Op, _ string, p []byte) (string, error) { return string(p), nil }}
		var a plainAnswer
		_, err = Send(context.Background(), typed, opRead, "", nil, &a)
		require.ErrorAs(t, err, &ve, base)
	}
	c := New("zvcms", couponkit.ResolveOptions())
	_, err := jsonEndpoint(c, "http://zvcms.fake.invalid").Invoke(context.Background(), opRead, "", "x", nil)
	assert.ErrorContains(t, err, "zvcms.fake.invalid cannot be reached over the network (it is an in-memory fake's address")
}

func TestInvalidHostWithATransportOfItsOwn(t *testing.T) {
	t.Parallel()
	ok := couponkittest.HandlerTransport(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"ok":true}`)) }))
	for _, opt := range []couponkit.Option{couponkit.WithTransport(ok), couponkit.WithHTTPClient(&http.Client{Transport: ok})} {
		c := New("zvcms", couponkit.ResolveOptions(opt))
		_, err := jsonEndpoint(c, "http://zvcms.fake.invalid").Invoke(context.Background(), opRead, "", "x", nil)
		require.NoError(t, err)
	}
	// Names that merely contain "invalid" are not under .invalid.
	c := New("zvcms", couponkit.ResolveOptions())
	for _, base := range []string{"http://invalid.example.com", "http://a.invalidx"} {
		assert.NoError(t, c.invalidHost(base), base)
	}
}
