package zvcmstest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// start is a fake and a client of it on one manual clock.
func start(t *testing.T, cfg zvcmstest.Config) (*zvcmstest.Server, *zvcms.Client) {
	t.Helper()
	clk := &clock{now: epoch}
	cfg.Clock, cfg.InMemory = clk, true
	srv := zvcmstest.Start(t, cfg)
	c, err := zvcms.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithClock(clk))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return srv, c
}

// raw sends params to api through the client (a read) and returns the
// answer's body as generic JSON.
func raw(t *testing.T, c *zvcms.Client, api string, params any) map[string]any {
	t.Helper()
	meta, err := c.Call(context.Background(), api, params, nil, couponkit.Read())
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(meta.Raw, &m))
	return m
}

// TestSpellings: by default every scalar is a string, as on the vendor's
// page; with NativeTypes status is a bool, code and the integers numbers,
// templateId still a string (as the vendor family's clients read it), each
// coupon carries templateName and endTime, and getCustomerCoupons' data is
// {list, total}.
func TestSpellings(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		srv, c := start(t, zvcmstest.Config{NativeTypes: native})
		cp := srv.AddCoupon(zvcms.Coupon{Title: "满50减10", TemplateID: 951, Type: zvcms.CouponTypeGoods, EndAt: epoch.AddDate(0, 1, 0)})
		q := raw(t, c, "getCustomerCoupons", map[string]any{"customerId": zvcmstest.DefaultCustomerID})
		l := raw(t, c, "getCustomerCouponList", map[string]any{"customerId": zvcmstest.DefaultCustomerID, "pageNum": 1, "pageSize": 20})
		res, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{Channel: zvcmstest.DefaultChannel,
			CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{cp.CardID}})
		require.NoError(t, err)
		var w map[string]any
		require.NoError(t, json.Unmarshal(res.Meta.Raw, &w))
		page := l["data"].(map[string]any)
		listed := page["list"].([]any)[0].(map[string]any)
		written := w["data"].(map[string]any)
		if native {
			assert.Equal(t, true, q["status"])
			assert.Equal(t, float64(0), q["code"])
			data := q["data"].(map[string]any)
			assert.Equal(t, float64(1), data["total"])
			got := data["list"].([]any)[0].(map[string]any)
			assert.Equal(t, "951", got["templateId"], "a string, as the family's clients read it")
			assert.Equal(t, float64(5), got["couponType"])
			assert.Equal(t, float64(0), got["useStatus"])
			assert.Equal(t, "满50减10", got["templateName"])
			assert.Equal(t, got["endAt"], got["endTime"])
			assert.Equal(t, float64(1), page["total"])
			assert.Equal(t, "951", listed["templateId"])
			assert.IsType(t, float64(0), written["bizId"])
		} else {
			assert.Equal(t, "true", q["status"])
			assert.Equal(t, "0", q["code"])
			got := q["data"].([]any)[0].(map[string]any)
			assert.Equal(t, "951", got["templateId"])
			assert.Equal(t, "5", got["couponType"])
			assert.Equal(t, "0", got["useStatus"])
			assert.NotContains(t, got, "templateName")
			assert.Equal(t, "1", page["total"])
			assert.IsType(t, "", written["bizId"])
		}
		assert.Equal(t, res.VendorBizID, srv.Redemptions()[0].VendorBizID)
		assert.Equal(t, []any{cp.CardID}, written["cardIdList"])
	}
}

// TestTemplateIDFilter: the templateId of getCustomerCoupons (as the vendor
// family's clients send it, a string) and of getCustomerCouponList filters
// the coupons.
func TestTemplateIDFilter(t *testing.T) {
	t.Parallel()
	srv, c := start(t, zvcmstest.Config{})
	a := srv.AddCoupon(zvcms.Coupon{TemplateID: 951})
	srv.AddCoupon(zvcms.Coupon{TemplateID: 895})
	b := srv.AddCoupon(zvcms.Coupon{TemplateID: 951})
	cards := func(list []any) []string {
		var out []string
		for _, e := range list {
			out = append(out, e.(map[string]any)["cardId"].(string))
		}
		return out
	}
	q := raw(t, c, "getCustomerCoupons", map[string]any{"customerId": zvcmstest.DefaultCustomerID, "templateId": "951"})
	assert.Equal(t, []string{a.CardID, b.CardID}, cards(q["data"].([]any)))
	l := raw(t, c, "getCustomerCouponList", map[string]any{"customerId": zvcmstest.DefaultCustomerID, "pageNum": 1, "pageSize": 20, "templateId": 951})
	page := l["data"].(map[string]any)
	assert.Equal(t, []string{a.CardID, b.CardID}, cards(page["list"].([]any)))
	assert.Equal(t, "2", page["total"])

	_, err := c.Call(context.Background(), "getCustomerCoupons", map[string]any{"customerId": zvcmstest.DefaultCustomerID, "templateId": "x"}, nil, couponkit.Read())
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, zvcmstest.CodeBadParam, e.Code)
}

// TestReusedBizIDWithOtherParams: a write-off repeated with the same bizId
// but other coupons, after a reversal, is refused (CodeBizIDReused) and
// redeems nothing; the same request again is answered as the first time,
// and redeems nothing either. The same holds for an issue.
func TestReusedBizIDWithOtherParams(t *testing.T) {
	t.Parallel()
	srv, c := start(t, zvcmstest.Config{})
	ctx := context.Background()
	a := srv.AddCoupon(zvcms.Coupon{})
	other := srv.AddCoupon(zvcms.Coupon{})
	first := &zvcms.WriteOffRequest{BizID: "B-1", Channel: zvcmstest.DefaultChannel, CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{a.CardID}}
	res, err := c.WriteOffCoupon(ctx, first)
	require.NoError(t, err)
	_, err = c.ReverseWriteOff(ctx, res.ReverseRequest())
	require.NoError(t, err)

	again := *first
	again.CardIDs = []string{other.CardID}
	_, err = c.WriteOffCoupon(ctx, &again)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, zvcmstest.CodeBizIDReused, e.Code)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	for _, id := range []string{a.CardID, other.CardID} {
		cp, _ := srv.Coupon(id)
		assert.Equal(t, zvcms.UseStatusUnused, cp.UseStatus, id)
	}

	replayed, err := c.WriteOffCoupon(ctx, first)
	require.NoError(t, err)
	assert.Equal(t, res.VendorBizID, replayed.VendorBizID)
	cp, _ := srv.Coupon(a.CardID)
	assert.Equal(t, zvcms.UseStatusUnused, cp.UseStatus, "a replay redeems nothing")
	red := srv.Redemptions()
	require.Len(t, red, 1)
	assert.Equal(t, 1, red[0].Replays)

	issue := &zvcms.IssueRequest{BizID: "I-1", CustomerID: zvcmstest.DefaultCustomerID, CouponID: a.CouponID, Num: 1}
	is, err := c.IssueCoupons(ctx, issue)
	require.NoError(t, err)
	is2, err := c.IssueCoupons(ctx, issue)
	require.NoError(t, err)
	assert.Equal(t, is.CardIDs, is2.CardIDs)
	_, err = c.IssueCoupons(ctx, &zvcms.IssueRequest{BizID: "I-1", CustomerID: zvcmstest.DefaultCustomerID, CouponID: a.CouponID, Num: 2})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, zvcmstest.CodeBizIDReused, e.Code)
	issues := srv.Issues()
	require.Len(t, issues, 1)
	assert.Equal(t, 1, issues[0].Replays)
	assert.Len(t, srv.Coupons(zvcmstest.DefaultCustomerID), 3)
}

// TestReverseByEitherBizID: by default a reversal by the bizId the write-off
// was sent with works as by the one it returned, and the two are one
// reversal: the second is answered as the first.
func TestReverseByEitherBizID(t *testing.T) {
	t.Parallel()
	srv, c := start(t, zvcmstest.Config{})
	ctx := context.Background()
	a := srv.AddCoupon(zvcms.Coupon{})
	res, err := c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "B-1", Channel: zvcmstest.DefaultChannel, CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{a.CardID}})
	require.NoError(t, err)
	_, err = c.ReverseWriteOff(ctx, &zvcms.ReverseRequest{BizID: "B-1"})
	require.NoError(t, err)
	_, err = c.ReverseWriteOff(ctx, res.ReverseRequest())
	require.NoError(t, err)
	rev := srv.Reversals()
	require.Len(t, rev, 1)
	assert.Equal(t, 1, rev[0].Replays)
}

// TestScanCodes: type 1 redeems by scan code without a customerId; the
// fake's scan code of a coupon is its cardId.
func TestScanCodes(t *testing.T) {
	t.Parallel()
	srv, c := start(t, zvcmstest.Config{})
	a := srv.AddCoupon(zvcms.Coupon{})
	res, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{Channel: zvcmstest.DefaultChannel, CardIDs: []string{a.CardID}, ScanCodes: true,
		GroupID: 7, Ext: zvcms.WriteOffExt{StoreID: 88, StoreCode: "S-1", Reason: "扫码", ChannelType: zvcms.ChannelTypeWeChat}, TradeMarks: []string{"SKU"}, ThirdOrderNo: "T-1"})
	require.NoError(t, err)
	assert.Equal(t, []string{a.CardID}, res.CardIDs)
	red := srv.Redemptions()
	require.Len(t, red, 1)
	r := red[0]
	assert.True(t, r.ScanCodes)
	assert.Equal(t, int64(7), r.GroupID)
	assert.Equal(t, int64(88), r.StoreID)
	assert.Equal(t, "S-1", r.StoreCode)
	assert.Equal(t, "扫码", r.Reason)
	assert.Equal(t, "2", r.ChannelType)
	assert.Equal(t, []string{"SKU"}, r.TradeMarks)
	assert.Equal(t, "T-1", r.ThirdOrderNo)
}

// TestFreshCardIDsNeverCollide: a coupon given an id in the fake's own
// range does not make a later fresh id collide (AddCoupon and issues skip
// taken ids); a CardID given twice still panics, and HasCoupon tells first.
func TestFreshCardIDsNeverCollide(t *testing.T) {
	t.Parallel()
	srv, c := start(t, zvcmstest.Config{})
	for i := 1; i <= 10; i++ { // the first ten ids of the fake's range
		srv.AddCoupon(zvcms.Coupon{CardID: fmt.Sprintf("3909134454982000%02d", i), CouponID: "389420520079552512"})
	}
	b := srv.AddCoupon(zvcms.Coupon{CouponID: "389420520079552512"})
	assert.Equal(t, "390913445498200011", b.CardID)
	is, err := c.IssueCoupons(context.Background(), &zvcms.IssueRequest{CustomerID: zvcmstest.DefaultCustomerID, CouponID: "389420520079552512", Num: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{"390913445498200012"}, is.CardIDs)
	assert.Len(t, srv.Coupons(zvcmstest.DefaultCustomerID), 12)
	assert.True(t, srv.HasCoupon("390913445498200003"))
	assert.False(t, srv.HasCoupon("390913445498200013"))
	assert.Panics(t, func() { srv.AddCoupon(zvcms.Coupon{CardID: "390913445498200001"}) })
}
