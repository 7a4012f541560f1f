package suning_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// sentKey returns the enrollInfoCode of a recorded request body.
func sentKey(t *testing.T, body []byte) string {
	t.Helper()
	var b struct {
		R struct {
			B struct {
				N struct {
					Key string `json:"enrollInfoCode"`
				} `json:"createAppoint"`
			} `json:"sn_body"`
		} `json:"sn_request"`
	}
	require.NoError(t, json.Unmarshal(body, &b))
	return b.R.B.N.Key
}

func TestRetryAfterDropKeepsKeyAndBodyAndResigns(t *testing.T) {
	t.Parallel()
	c, srv, clk := fakeClient(t, suningtest.Config{})
	clk.Step = time.Second // every attempt gets its own AppRequestTime
	srv.DropNextAfterWrite()

	res, err := c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, reqs[0].Body, reqs[1].Body, "the body is built once per call")
	assert.Equal(t, res.SentEnrollInfoCode, sentKey(t, reqs[0].Body))
	assert.NotEqual(t, reqs[0].Header.Get("AppRequestTime"), reqs[1].Header.Get("AppRequestTime"), "fresh time per attempt")
	assert.NotEqual(t, reqs[0].Header.Get("signInfo"), reqs[1].Header.Get("signInfo"), "signed again per attempt")

	// The first attempt took effect; the second was answered from the
	// de-duplication store, so there is one activity.
	acts := srv.Activities()
	require.Len(t, acts, 1)
	assert.Equal(t, res.ActionID, acts[0].ActionID)
}

func TestRetryAfter5xxAndServerFault(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{})
	srv.FailNextHTTP(http.StatusBadGateway, "<html>bad gateway</html>")
	srv.FailNext(suning.CodeServiceUnavailable, "服务不可用")
	res, err := c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	assert.Equal(t, 3, res.Meta.Attempts)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, res.SentEnrollInfoCode, sentKey(t, r.Body))
	}
	assert.Len(t, srv.Activities(), 1)
}

func TestThrottleIsRetriedAfterTheWindow(t *testing.T) {
	t.Parallel()
	c, srv, clk := fakeClient(t, suningtest.Config{})
	srv.FailNext(suning.CodeAPIFrequencyLimit, "访问频率限制")
	res, err := c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	sleeps := clk.Sleeps()
	require.Len(t, sleeps, 1)
	assert.GreaterOrEqual(t, sleeps[0], couponkit.DefaultRetryPolicy.ThrottleDelay)
}

func TestAuthAndClientFaultsAreNotRetried(t *testing.T) {
	t.Parallel()
	for _, code := range []string{suning.CodeSignError, suning.CodeUserOverdue, "biz.custom.createappoint.format-error:price"} {
		c, srv, _ := fakeClient(t, suningtest.Config{})
		srv.FailNext(code, "no")
		_, err := c.Create(context.Background(), createRequest(t))
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, code, e.Code)
		assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
		assert.Equal(t, 1, srv.RequestCount(), code)
		assert.Empty(t, srv.Activities())
	}
}

func TestUnknownOutcomeCarriesKeyAndResolvesByResending(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{})
	for range 3 {
		srv.DropNextAfterWrite()
	}
	req := createRequest(t)
	_, err := c.Create(context.Background(), req)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, "enrollInfoCode", u.KeyName)
	assert.Equal(t, 3, u.Attempts)
	key, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	for _, r := range srv.Requests() {
		assert.Equal(t, key, sentKey(t, r.Body), "every attempt carried the reported key")
	}
	// Every attempt reached the vendor, which acted once.
	require.Len(t, srv.Activities(), 1)
	created := srv.Activities()[0].ActionID

	// Resending with the key learns the outcome without acting again.
	req.EnrollInfoCode = key
	res, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, created, res.ActionID)
	assert.Equal(t, key, res.SentEnrollInfoCode)
	assert.Len(t, srv.Activities(), 1)
}

func TestUnknownOutcomeWhenNothingTookEffect(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
	srv.FailNextHTTP(http.StatusServiceUnavailable, "<html>busy</html>")
	srv.FailNextHTTP(http.StatusServiceUnavailable, "<html>busy</html>")
	req := createRequest(t)
	_, err := c.Create(context.Background(), req)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, _ := couponkit.IdempotencyKey(err)
	assert.Empty(t, srv.Activities())

	req.EnrollInfoCode = key
	res, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, key, res.EnrollInfoCode)
	assert.Len(t, srv.Activities(), 1)
}

func TestTimeoutAfterWriteIsUnknown(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{},
		couponkit.WithTimeout(time.Second), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	srv.DelayNext(time.Hour)
	_, err := c.Create(context.Background(), createRequest(t))
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))
}

func TestQueryIsRetriedAsARead(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{})
	res, err := c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	srv.DropNext()
	srv.FailNextHTTP(http.StatusInternalServerError, "")
	q, err := c.Query(context.Background(), &suning.QueryRequest{ActionID: res.ActionID, PartNumber: "000000000123456789", VendorID: "0010012345"})
	require.NoError(t, err)
	assert.Equal(t, 3, q.Meta.Attempts)
	assert.Equal(t, res.ActionID, q.ActionID)
}
