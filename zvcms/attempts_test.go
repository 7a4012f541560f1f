package zvcms_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// TestEveryAttemptIsSignedAfresh: each attempt carries the clock's current
// timestamp (10 digits, seconds), a new nonce and the token for both, with the
// same params bytes.
func TestEveryAttemptIsSignedAfresh(t *testing.T) {
	t.Parallel()
	// Every Sleep moves the clock a minute, so each retry has a later timestamp.
	clk := testclock.New(epoch)
	clk.MinAdvance = time.Minute
	c, mt := mock(t, zvcms.Config{OpenID: "o", OpenKey: "k", GrantCode: "g"}, couponkit.WithClock(clk))
	var bodies [][]byte
	mt.RegisterResponder(http.MethodPost, mockGateway+"/v3/crm/coupon/writeOffCoupon", func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		bodies = append(bodies, b)
		if len(bodies) < 3 {
			return httpmock.NewStringResponse(http.StatusServiceUnavailable, "busy"), nil
		}
		return httpmock.NewStringResponse(http.StatusOK, okWriteOff), nil
	})
	_, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{BizID: "B1", Channel: "ch", CustomerID: "c", CardIDs: []string{"A"}})
	require.NoError(t, err)
	require.Len(t, bodies, 3)
	var prev int64
	first := parseRequest(t, bodies[0])
	for i, b := range bodies {
		r := parseRequest(t, b)
		require.Len(t, r.Timestamp, 10)
		ts, err := strconv.ParseInt(r.Timestamp, 10, 64)
		require.NoError(t, err)
		if i > 0 {
			assert.GreaterOrEqual(t, ts-prev, int64(60), "attempt %d reuses an old timestamp", i+1)
			assert.NotEqual(t, first.Nonce, r.Nonce)
		} else {
			assert.Equal(t, epoch.Unix(), ts)
		}
		prev = ts
		assert.Equal(t, zvcms.DefaultToken("k", "o", "g", r.Timestamp, r.Nonce), r.Token)
		assert.Equal(t, string(first.Params), string(r.Params))
		n, err := strconv.ParseInt(r.Nonce, 10, 64)
		require.NoError(t, err)
		assert.True(t, n >= 1 && n <= 1<<31-1, "nonce %d", n)
	}
}

func TestDefaultNonceRange(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		s := zvcms.DefaultNonce()
		n, err := strconv.ParseInt(s, 10, 64)
		require.NoError(t, err)
		require.True(t, n >= 1 && n <= 1<<31-1, s)
		seen[s] = true
	}
	assert.Greater(t, len(seen), 990, "nonces repeat too often")
}

// TestConcurrentUse runs queries and redemptions of one client at once.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	const n = 16
	cards := make([]string, n)
	for i := range cards {
		cards[i] = f.srv.AddCoupon(zvcms.Coupon{}).CardID
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := f.c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID})
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := f.c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{Channel: zvcmstest.DefaultChannel,
				CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{cards[i]}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Len(t, f.srv.Redemptions(), n)
	for _, cp := range f.srv.Coupons(zvcmstest.DefaultCustomerID) {
		assert.Equal(t, zvcms.UseStatusRedeemed, cp.UseStatus)
	}
}
