package fakekit

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// write is an unsafe write through the module's own client pipeline.
func write(c *transport.Client, url string) error {
	_, err := c.Do(context.Background(), &transport.Call{
		Operation: "make", URL: url + "/api/make", Class: transport.Unsafe, KeyName: "orderNo", Key: "K-1",
		Build: func(int) (transport.Payload, error) {
			return transport.Payload{Body: []byte(`{"orderNo":"K-1"}`), ContentType: "application/json"}, nil
		},
		Check: func(r *transport.Response) error {
			if strings.Contains(string(r.Body), `"ok":true`) {
				return nil
			}
			if strings.Contains(string(r.Body), `"LIMIT"`) {
				return &couponkit.Error{Fault: couponkit.FaultThrottle, Message: "limited", RetryAfter: 2 * time.Second}
			}
			return &couponkit.Error{Fault: couponkit.FaultClient, Message: "refused"}
		},
	})
	return err
}

// A client on an in-memory fake's transport tells a write that left from
// one that never did, as over a socket, and retries a throttle on the
// bubble's clock.
func TestInMemoryFakeWithClientPipeline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v := &vendor{}
		fake := Start(t, http.HandlerFunc(v.serve), v.options(Options{InMemory: true}))
		c := transport.New("vendor", couponkit.ResolveOptions(fake.ClientOption()))
		defer c.Close()

		fake.DropNextAfterWrite()
		err := write(c, fake.URL())
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, "the write left: its outcome is unknown")
		assert.Equal(t, int32(1), v.writes.Load())

		fake.ThrottleNext(2 * time.Second)
		start := time.Now()
		require.NoError(t, write(c, fake.URL()))
		assert.GreaterOrEqual(t, time.Since(start), 2*time.Second, "the retry waited out the window on the bubble's clock")
		assert.Equal(t, int32(2), v.writes.Load())
		assert.Equal(t, 3, fake.RequestCount())

		fake.Close()
		err = write(c, fake.URL())
		require.Error(t, err)
		assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), "a closed fake refuses: the write never left")
	})
}
