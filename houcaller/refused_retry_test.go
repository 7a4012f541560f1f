package houcaller_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/faulttest"
)

// A keyed write's first attempt is recorded and its answer dropped; the
// retry is refused. The fake, like a gateway that keeps serialCode unique
// without de-duplicating it, refuses the repeated consumption on its own
// with CodeDuplicateSerial. The call's outcome is unknown, with its key, and
// the refusal stays reachable; Houcaller publishes no code meaning "already
// applied", so none is reported as such.
func TestRefusedRetryAfterAppliedAttemptIsUnknown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name, op, keyName, key string
		mod                    func(*houcaller.Config)
		inject                 func(srv *houcallertest.Server)
		call                   func(c *houcaller.Client) error
		applied                func(srv *houcallertest.Server) int
	}{
		{name: "RecordConsumption with SerialCodeDedup", op: houcaller.EndpointRecordConsumption, keyName: "serialCode", key: "S-RR-1",
			mod: func(cfg *houcaller.Config) { cfg.SerialCodeDedup = true },
			call: func(c *houcaller.Client) error {
				req := exampleConsumption()
				req.SerialCode = "S-RR-1"
				_, err := c.RecordConsumption(ctx, req)
				return err
			},
			applied: consumptionsRecorded},
		{name: "Call keyed on serialCode", op: houcaller.EndpointRecordConsumption, keyName: "serialCode", key: "S-RR-2",
			call: func(c *houcaller.Client) error {
				params := map[string]any{"consAmt": 10, "amount": 30, "bizDate": "2022-02-15 00:00:00", "srcId": "O-1",
					"scoreAmt": 20, "remark": "", "serialCode": "S-RR-2", "memberId": "K4H9095FA0008"}
				_, err := c.Call(ctx, houcaller.EndpointRecordConsumption, params, nil, couponkit.Keyed("serialCode", "S-RR-2"))
				return err
			},
			applied: consumptionsRecorded},
		{name: "SellCard with SaleNoDedup", op: houcaller.EndpointSellCard, keyName: "saleNo", key: exampleSale().SaleNo,
			mod: func(cfg *houcaller.Config) { cfg.SaleNoDedup = true },
			inject: func(srv *houcallertest.Server) {
				srv.FailNext(houcallertest.CodeDuplicateSerial, "唯一业务号重复")
			},
			call: func(c *houcaller.Client) error {
				_, err := c.SellCard(ctx, exampleSale())
				return err
			},
			applied: func(srv *houcallertest.Server) int { return len(srv.Sales()) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, tc.mod)
			srv.DropNextAfterWrite()
			if tc.inject != nil {
				tc.inject(srv)
			}
			err := tc.call(c)
			u, ce := faulttest.Unknown(t, err, "houcaller", tc.op, tc.key)
			assert.Equal(t, tc.keyName, u.KeyName)
			assert.Equal(t, 2, u.Attempts)
			assert.Equal(t, houcallertest.CodeDuplicateSerial, ce.Code)
			assert.False(t, couponkit.AlreadyApplied(err))
			assert.Equal(t, 2, srv.RequestCount(), "the refusal ends the call")
			require.Equal(t, 1, tc.applied(srv), "the first attempt was recorded, once")
		})
	}
}

func consumptionsRecorded(srv *houcallertest.Server) int { return len(srv.Consumptions()) }
