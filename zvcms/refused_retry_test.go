package zvcms_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// The first attempt of each keyed write is applied and its answer dropped;
// the retry is refused with the code a gateway that does not de-duplicate
// would answer (the coupon is now redeemed, no longer redeemed, or the
// bizId is refused as a parameter). The call's outcome is unknown, with its
// bizId, and the refusal stays reachable; zvcms publishes no code meaning
// "already applied", so none is reported as such.
func TestRefusedRetryAfterAppliedAttemptIsUnknown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	writeOff := func(c *zvcms.Client, card string) error {
		_, err := c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "RR-1", Channel: zvcmstest.DefaultChannel,
			CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{card}})
		return err
	}
	cases := []struct {
		name, op, code string
		setup          func(c *zvcms.Client, card string) error
		run            func(c *zvcms.Client, card string) error
		applied        func(srv *zvcmstest.Server, card string) int
	}{
		{name: "WriteOffCoupon", op: "writeOffCoupon", code: zvcmstest.CodeCouponRedeemed, run: writeOff,
			applied: func(srv *zvcmstest.Server, _ string) int { return len(srv.Redemptions()) }},
		{name: "ReverseWriteOff", op: "couponReverse", code: zvcmstest.CodeNotRedeemed, setup: writeOff,
			run: func(c *zvcms.Client, _ string) error {
				_, err := c.ReverseWriteOff(ctx, &zvcms.ReverseRequest{BizID: "RR-1"})
				return err
			},
			applied: func(srv *zvcmstest.Server, _ string) int { return len(srv.Reversals()) }},
		{name: "ReverseWriteOff, bad param", op: "couponReverse", code: zvcmstest.CodeBadParam, setup: writeOff,
			run: func(c *zvcms.Client, _ string) error {
				_, err := c.ReverseWriteOff(ctx, &zvcms.ReverseRequest{BizID: "RR-1"})
				return err
			},
			applied: func(srv *zvcmstest.Server, _ string) int { return len(srv.Reversals()) }},
		{name: "IssueCoupons with IssueDeduplicates", op: "issueCouponsToCustomer", code: zvcmstest.CodeBadParam,
			run: func(c *zvcms.Client, _ string) error {
				_, err := c.IssueCoupons(ctx, &zvcms.IssueRequest{BizID: "RR-1", CustomerID: zvcmstest.DefaultCustomerID, CouponID: "389420520079552512", Num: 1})
				return err
			},
			applied: func(srv *zvcmstest.Server, _ string) int { return len(srv.Issues()) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := testclock.New(epoch)
			srv := zvcmstest.Start(t, zvcmstest.Config{Clock: clk, InMemory: true})
			card := srv.AddCoupon(zvcms.Coupon{}).CardID
			cfg := srv.ClientConfig()
			cfg.IssueDeduplicates = true
			c, err := zvcms.NewClient(cfg, couponkit.WithClock(clk), srv.ClientOption())
			require.NoError(t, err)
			t.Cleanup(func() { _ = c.Close() })
			if tc.setup != nil {
				require.NoError(t, tc.setup(c, card))
			}
			base := srv.RequestCount()
			srv.DropNextAfterWrite()
			srv.FailNext(tc.code, "refused")
			err = tc.run(c, card)
			u, ce := faulttest.Unknown(t, err, "zvcms", tc.op, "RR-1")
			assert.Equal(t, "bizId", u.KeyName)
			assert.Equal(t, 2, u.Attempts)
			assert.Equal(t, tc.code, ce.Code)
			assert.Equal(t, couponkit.FaultClient, ce.Fault)
			assert.False(t, couponkit.AlreadyApplied(err))
			assert.Equal(t, 2, srv.RequestCount()-base, "the refusal ends the call")
			assert.Equal(t, 1, tc.applied(srv, card), "the first attempt was applied")
		})
	}
}
