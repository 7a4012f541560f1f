package suning_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/leakcheck"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

func TestClientAndFakeLeaveNothingRunning(t *testing.T) {
	leakcheck.Check(t)
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, err := suning.NewClient(srv.ClientConfig())
	require.NoError(t, err)
	defer func() { require.NoError(t, c.Close()) }()
	srv.DropNextAfterWrite()
	_, err = c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
}
