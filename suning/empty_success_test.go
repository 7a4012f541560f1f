package suning_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// body wraps a business node in the vendor's success envelope.
func body(node, inner string) string {
	return `{"sn_responseContent":{"sn_head":{},"sn_body":{"` + node + `":` + inner + `}}}`
}

// emptyCase is one typed call and a success answer that lacks what the call
// exists for. The createAppoint answers are the page's answer fields
// (resultCode, resultMsg, enrollInfoCode, actionId) with resultCode "0" and
// the activity id missing or another activity's (the page's sample id,
// 201911260077); the other methods' answers are not published, so what they
// must hold is a result field (resultFlag or resultCode), and for the query
// the activity asked for.
type emptyCase struct {
	name   string
	write  bool
	keyed  bool
	op     string
	answer string
	// setup creates what the call needs and returns its run.
	setup func(t *testing.T, c *suning.Client) func(ctx context.Context, c *suning.Client) (key string, err error)
}

func emptyCases() []emptyCase {
	create := func(t *testing.T, _ *suning.Client) func(context.Context, *suning.Client) (string, error) {
		req := createRequest(t)
		req.EnrollInfoCode = "SU-EMPTY-CREATE"
		return func(ctx context.Context, c *suning.Client) (string, error) {
			_, err := c.Create(ctx, req)
			return req.EnrollInfoCode, err
		}
	}
	change := func(stop bool) func(t *testing.T, c *suning.Client) func(context.Context, *suning.Client) (string, error) {
		return func(t *testing.T, c *suning.Client) func(context.Context, *suning.Client) (string, error) {
			req := created(t, c)
			req.EnrollInfoCode = "SU-EMPTY-CHANGE"
			return func(ctx context.Context, c *suning.Client) (string, error) {
				var err error
				if stop {
					_, err = c.Stop(ctx, req)
				} else {
					_, err = c.Modify(ctx, req)
				}
				return req.EnrollInfoCode, err
			}
		}
	}
	gotoAppoint := func(t *testing.T, c *suning.Client) func(context.Context, *suning.Client) (string, error) {
		g := gotoRequest(created(t, c))
		return func(ctx context.Context, c *suning.Client) (string, error) {
			_, err := c.GotoAppoint(ctx, g)
			return g.CustNo, err
		}
	}
	query := func(t *testing.T, c *suning.Client) func(context.Context, *suning.Client) (string, error) {
		req := created(t, c)
		return func(ctx context.Context, c *suning.Client) (string, error) {
			_, err := c.Query(ctx, &suning.QueryRequest{ActionID: req.ActionID, PartNumber: req.Goods[0].PartNumber, VendorID: req.VendorCode})
			return "", err
		}
	}
	booking := func(t *testing.T, c *suning.Client) func(context.Context, *suning.Client) (string, error) {
		req := created(t, c)
		return func(ctx context.Context, c *suning.Client) (string, error) {
			_, err := c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: req.ActionID, SNUnionID: "7012345678"})
			return "", err
		}
	}
	create0 := `{"resultCode":"0","resultMsg":"成功","enrollInfoCode":"1314520"`
	return []emptyCase{
		{"Create without actionId", true, true, suning.MethodAppointCreate, body(suning.NodeCreateAppoint, create0+`}`), create},
		{"Create with an empty actionId", true, true, suning.MethodAppointCreate, body(suning.NodeCreateAppoint, create0+`,"actionId":""}`), create},
		{"Modify of another activity", true, true, suning.MethodAppointCreate, body(suning.NodeCreateAppoint, create0+`,"actionId":"201911260077"}`), change(false)},
		{"Stop of another activity", true, true, suning.MethodAppointCreate, body(suning.NodeCreateAppoint, create0+`,"actionId":"201911260077"}`), change(true)},
		{"GotoAppoint, an empty node", true, false, suning.MethodGotoAppointCreate, body(suning.NodeCreateGotoappoint, `{}`), gotoAppoint},
		{"GotoAppoint, no result field", true, false, suning.MethodGotoAppointCreate, body(suning.NodeCreateGotoappoint, `{"actionId":"2019102800001","custNo":"7012345678"}`), gotoAppoint},
		{"Query, an empty node", false, false, suning.MethodAppointQuery, body(suning.NodeQueryAppoint, `{}`), query},
		{"Query, no actionId", false, false, suning.MethodAppointQuery, body(suning.NodeQueryAppoint, `{"resultFlag":"true","resultCode":"0","resultMsg":"成功"}`), query},
		{"Query, another activity", false, false, suning.MethodAppointQuery, body(suning.NodeQueryAppoint, `{"resultFlag":"true","resultCode":"0","resultMsg":"成功","actionId":"201911260077"}`), query},
		{"BookingInfo, an empty node", false, false, suning.MethodBookingInfoQuery, body(suning.NodeQueryBookinginfo, `{}`), booking},
		{"BookingInfo, no result field", false, false, suning.MethodBookingInfoQuery, body(suning.NodeQueryBookinginfo, `{"actionId":"2019102800001","snUnionId":"7012345678","bookingList":[]}`), booking},
	}
}

const emptyAttempts = 3

// A success that lacks what the call exists for is not a definite answer: a
// write whose answer it is has an unknown outcome reporting its key (sent
// once when Unsafe, every attempt with the same key when Keyed; the fake
// applied it once), and a read is retried, then fails with the unreadable
// answer.
func TestSuccessWithoutItsDataIsUnreadable(t *testing.T) {
	t.Parallel()
	for _, tc := range emptyCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := fakeClient(t, suningtest.Config{InMemory: true}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: emptyAttempts}))
			run := tc.setup(t, c)
			before, applied := srv.RequestCount(), srv.AppliedWrites()
			for range emptyAttempts {
				if tc.write {
					srv.AnswerNextAfterWrite(http.StatusOK, tc.answer)
				} else {
					srv.FailNextHTTP(http.StatusOK, tc.answer)
				}
			}
			key, err := run(context.Background(), c)
			require.Error(t, err)
			if tc.write {
				faulttest.Unknown(t, err, suning.Vendor, tc.op, key)
				assert.Equal(t, faulttest.Sends(tc.keyed, emptyAttempts), srv.RequestCount()-before)
				assert.Equal(t, 1, srv.AppliedWrites()-applied, "the write took effect once")
				return
			}
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
			assert.ErrorIs(t, err, transport.ErrUnreadable)
			assert.Equal(t, emptyAttempts, srv.RequestCount()-before, "a read is retried")
		})
	}
}

// A read whose first answer lacks its data is retried, and the second,
// whole answer is its result.
func TestQueryRetriesASuccessWithoutItsActivity(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{InMemory: true})
	req := created(t, c)
	srv.FailNextHTTP(http.StatusOK, body(suning.NodeQueryAppoint, `{"resultFlag":"true","resultCode":"0"}`))
	res, err := c.Query(context.Background(), &suning.QueryRequest{ActionID: req.ActionID, PartNumber: req.Goods[0].PartNumber, VendorID: req.VendorCode})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	assert.Equal(t, req.ActionID, res.ActionID)
}
