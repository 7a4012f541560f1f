package zvcms_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// TestGetCouponStatus: the params on the wire, the vendor family's answer
// in both spellings, the one rule (an answer without a status is retried,
// then unreadable) and requests refused before sending.
func TestGetCouponStatus(t *testing.T) {
	t.Parallel()
	want := zvcms.CouponStatus{Status: 1, UseOrderCode: "O-1", UseStoreID: "12", UseStoreName: "一店", UseStoreNo: "S001",
		UsedAt: time.Date(2019, 10, 15, 17, 10, 28, 0, cntime.Location())}
	for _, data := range []string{
		`{"status":1,"useOrderCode":"O-1","useStoreId":12,"useStoreName":"一店","useStoreNo":"S001","useTime":"2019-10-15 17:10:28"}`,
		`{"status":"1","useOrderCode":"O-1","useStoreId":"12","useStoreName":"一店","useStoreNo":"S001","useTime":"2019-10-15 17:10:28"}`,
		`{"useOrderCode":"O-1"}`, // no status
	} {
		c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
		sent := answering(t, mt, "/v3/coupon/status", data)
		got, err := c.GetCouponStatus(context.Background(), &zvcms.CouponStatusRequest{Code: "CPN001", Kind: zvcms.CodeKindCoupon})
		assert.Equal(t, `{"id":"CPN001","type":1}`, (*sent)[0])
		if len(*sent) > 1 {
			assert.True(t, transport.IsUnreadable(err), "%v", err)
			assert.ErrorContains(t, err, "no status in the answer")
			assert.Len(t, *sent, maxAttempts, "a read is retried")
			continue
		}
		require.NoError(t, err, data)
		got.Meta = couponkit.Meta{}
		assert.Equal(t, want, *got, data)
	}
	c, mt := mock(t, zvcms.Config{})
	sent := answering(t, mt, "/v3/coupon/status", `{"status":"0"}`)
	got, err := c.GetCouponStatus(context.Background(), &zvcms.CouponStatusRequest{Code: "CPN001"})
	require.NoError(t, err)
	assert.Equal(t, `{"id":"CPN001"}`, (*sent)[0], "no type without a Kind")
	assert.Zero(t, got.Status, "status 0 is a status")
	for field, req := range map[string]*zvcms.CouponStatusRequest{"Code": {Code: " "}, "Kind": {Code: "CPN001", Kind: 3}} {
		c, mt := mock(t, zvcms.Config{})
		_, err := c.GetCouponStatus(context.Background(), req)
		refusedBeforeSending(t, mt, err, field)
	}
}

// TestGetCouponStatusOnFake: a redeemed coupon's state, order, store and
// time, in each spelling; an unknown code is refused.
func TestGetCouponStatusOnFake(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		f := newFixture(t, zvcmstest.Config{NativeTypes: native})
		cp := f.srv.AddCoupon(zvcms.Coupon{})
		_, err := f.c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{Channel: cp.Channel, CustomerID: cp.CustomerID,
			CardIDs: []string{cp.CardID}, Ext: zvcms.WriteOffExt{OrderNo: "O-7", StoreCode: "S001"}})
		require.NoError(t, err)
		got, err := f.c.GetCouponStatus(context.Background(), &zvcms.CouponStatusRequest{Code: cp.CardID})
		require.NoError(t, err)
		assert.Equal(t, []any{int(zvcms.UseStatusRedeemed), "O-7", "S001"}, []any{got.Status, got.UseOrderCode, got.UseStoreNo})
		assert.True(t, got.UsedAt.Equal(epoch), "%v", got.UsedAt)
		_, err = f.c.GetCouponStatus(context.Background(), &zvcms.CouponStatusRequest{Code: "nope"})
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	}
}

// ExampleClient_GetCouponStatus asks for a coupon code's state, against the
// fake gateway.
func ExampleClient_GetCouponStatus() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddCoupon(zvcms.Coupon{CardID: "390913445498200065"})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	got, err := c.GetCouponStatus(context.Background(), &zvcms.CouponStatusRequest{Code: "390913445498200065", Kind: zvcms.CodeKindCoupon})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(zvcms.UseStatus(got.Status), got.UsedAt.IsZero())
	// Output: unused true
}
