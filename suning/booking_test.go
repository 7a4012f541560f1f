package suning_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// gotoRequest books the first goods of the activity req (created) for one
// customer.
func gotoRequest(req *suning.AppointRequest) *suning.GotoAppointRequest {
	return &suning.GotoAppointRequest{
		ActionID: req.ActionID, CustNo: "7012345678", PartNumber: req.Goods[0].PartNumber,
		PurchaseType: "1", StoreCode: "7611", TelNo: "13900139000", TerminalFlag: "2", VendorCode: req.VendorCode,
	}
}

// TestCustomerCallsJudgeResultFields: a resultFlag other than "true", or
// without one a resultCode other than "0", is the vendor's refusal (a
// client fault, not retried); numbers and booleans are read as their text.
// A node with neither field is unreadable (empty_success_test.go).
func TestCustomerCallsJudgeResultFields(t *testing.T) {
	t.Parallel()
	cases := []struct {
		node     string
		code     string // "" for success
		wantCode string
	}{
		{`{"resultFlag":"false","resultCode":"E01","resultMsg":"已预约"}`, "E01", ""},
		{`{"resultFlag":false,"resultMsg":"已预约"}`, suning.ResultFailure, ""},
		{`{"resultCode":1,"resultMsg":"已预约"}`, "1", ""},
		{`{"resultCode":0,"resultMsg":"ok"}`, "", "0"},
		{`{"resultFlag":true}`, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.node, func(t *testing.T) {
			t.Parallel()
			for _, node := range []string{suning.NodeCreateGotoappoint, suning.NodeQueryBookinginfo} {
				answer := `{"sn_responseContent":{"sn_body":{"` + node + `":` + tc.node + `}}}`
				c, seen, _ := mockClient(t, goldenConfig(t), answer)
				var (
					code string
					err  error
				)
				if node == suning.NodeCreateGotoappoint {
					var res *suning.GotoAppointResult
					if res, err = c.GotoAppoint(context.Background(), gotoRequest(&suning.AppointRequest{ActionID: "1", VendorCode: "2",
						Goods: []suning.Goods{{PartNumber: "3"}}})); err == nil {
						code = res.ResultCode
					}
				} else {
					var res *suning.BookingInfoResult
					if res, err = c.BookingInfo(context.Background(), &suning.BookingInfoRequest{ActionID: "1", SNUnionID: "2"}); err == nil {
						code = res.ResultCode
					}
				}
				if tc.code == "" {
					require.NoError(t, err, node)
					assert.Equal(t, tc.wantCode, code, node)
					continue
				}
				var e *couponkit.Error
				require.ErrorAs(t, err, &e, node)
				assert.Equal(t, tc.code, e.Code, node)
				assert.Equal(t, "已预约", e.Message, node)
				assert.Equal(t, couponkit.FaultClient, e.Fault, node)
				assert.Len(t, *seen, 1, "%s: a refusal is not retried", node)
			}
		})
	}
}

// TestGotoAppointShowsInBookingInfo: a booking made with GotoAppoint is in
// the fake's state and in BookingInfo's answer for the same customer; other
// customers have none; a stopped activity takes no booking.
func TestGotoAppointShowsInBookingInfo(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{})
	ctx := context.Background()
	act := created(t, c)
	g := gotoRequest(act)

	res, err := c.GotoAppoint(ctx, g)
	require.NoError(t, err)
	assert.Equal(t, suning.ResultSuccess, res.ResultCode)
	assert.Equal(t, 1, res.Meta.Attempts)

	bookings := srv.Bookings(act.ActionID)
	require.Len(t, bookings, 1)
	b := bookings[0]
	assert.Equal(t, suningtest.Booking{ActionID: act.ActionID, CustNo: "7012345678", PartNumber: "000000000123456789",
		PurchaseType: "1", StoreCode: "7611", TelNo: "13900139000", TerminalFlag: "2", VendorCode: "0010012345", BookTime: b.BookTime}, b)

	info, err := c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: act.ActionID, SNUnionID: "7012345678"})
	require.NoError(t, err)
	var node suningtest.BookingAnswer
	require.NoError(t, json.Unmarshal(info.Node, &node))
	assert.Equal(t, []suningtest.Booking{b}, node.BookingList)
	assert.Equal(t, "7012345678", node.SNUnionID)

	other, err := c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: act.ActionID, SNUnionID: "7000000000"})
	require.NoError(t, err)
	assert.JSONEq(t, `[]`, mustField(t, other.Node, "bookingList"))

	_, err = c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: "2099010100001", SNUnionID: "7012345678"})
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, suning.CodeNoResult, e.Code)

	_, err = c.Stop(ctx, act)
	require.NoError(t, err)
	_, err = c.GotoAppoint(ctx, g)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, suning.CodeDataGetFail, e.Code)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
	assert.Len(t, srv.Bookings(act.ActionID), 1)
}

func mustField(t *testing.T, node json.RawMessage, name string) string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(node, &m))
	return string(m[name])
}

// TestGotoAppointIsNotRetriedOnceSent: after a 5xx the booking is not sent
// again (the vendor documents no de-duplication); the error reports the
// customer. BookingInfo, a read, is retried and settles it.
func TestGotoAppointIsNotRetriedOnceSent(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3}))
	ctx := context.Background()
	act := created(t, c)
	before := srv.RequestCount()

	srv.FailNextHTTP(http.StatusBadGateway, "<html>bad gateway</html>")
	_, err := c.GotoAppoint(ctx, gotoRequest(act))
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	assert.Equal(t, "7012345678", key)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, suning.GotoAppointKeyName, u.KeyName)
	assert.Equal(t, before+1, srv.RequestCount(), "sent once")

	srv.FailNextHTTP(http.StatusBadGateway, "<html>bad gateway</html>")
	info, err := c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: act.ActionID, SNUnionID: key})
	require.NoError(t, err)
	assert.Equal(t, 2, info.Meta.Attempts, "a read is retried")
	assert.JSONEq(t, `[]`, mustField(t, info.Node, "bookingList"), "the 5xx came before the fake booked")
}

// TestCallReachesCustomerMethodsWithoutNode: the generic Call knows the
// business nodes of the two customer methods.
func TestCallReachesCustomerMethodsWithoutNode(t *testing.T) {
	t.Parallel()
	c, _, _ := fakeClient(t, suningtest.Config{})
	act := created(t, c)
	var out struct {
		ResultFlag string `json:"resultFlag"`
	}
	params := map[string]string{"actionId": act.ActionID, "custNo": "7012345678", "partNumber": act.Goods[0].PartNumber,
		"purchaseType": "1", "telNo": "13900139000", "terminalFlag": "2", "vendorCode": act.VendorCode}
	_, err := c.Call(context.Background(), suning.MethodGotoAppointCreate, params, &out)
	require.NoError(t, err)
	assert.Equal(t, "true", out.ResultFlag)
	var raw json.RawMessage
	_, err = c.Call(context.Background(), suning.MethodBookingInfoQuery, map[string]string{"actionId": act.ActionID, "snUnionId": "7012345678"}, &raw, couponkit.Read())
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"custNo":"7012345678"`)
}
