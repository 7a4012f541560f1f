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

// TestGetCouponDetail: the params on the wire, the vendor family's answer
// in both spellings, the one rule (an answer without the coupon's id is
// retried, then unreadable) and a request refused before sending.
func TestGetCouponDetail(t *testing.T) {
	t.Parallel()
	bj := cntime.Location()
	want := zvcms.CouponDetail{CardID: "390913445498200065", Status: 1, CustomerID: "383933091455959041", CustomerName: "张三",
		CustomerPhone: "13800000000", TemplateID: 895, TemplateName: "满50减10", TemplateType: zvcms.CouponTypeCash,
		UseStatus: zvcms.UseStatusRedeemed, UseOrderCode: "O-1", UseStoreName: "一店", UsedAt: time.Date(2019, 10, 15, 17, 10, 28, 0, bj),
		BeginAt: time.Date(2019, 8, 24, 0, 0, 0, 0, bj), EndAt: time.Date(2019, 11, 3, 23, 59, 59, 0, bj),
		Template: zvcms.Template{ID: 895, Name: "满50减10", SellerID: 2001, Status: 1}}
	for _, data := range []string{
		`{"id":390913445498200065,"status":1,"customerId":"383933091455959041","customerName":"张三","customerPhone":"13800000000","templateId":895,"templateName":"满50减10","templateType":0,"useStatus":1,"useOrderCode":"O-1","useStoreName":"一店","useTime":"2019-10-15 17:10:28","validBeginDate":"2019-08-24 00:00:00","validEndDate":"2019-11-03 23:59:59","templateInfo":{"id":895,"name":"满50减10","sellerId":2001,"status":1,"type":0,"thirdBizCode":""}}`,
		`{"id":"390913445498200065","status":"1","customerId":"383933091455959041","customerName":"张三","customerPhone":"13800000000","templateId":"895","templateName":"满50减10","templateType":"0","useStatus":"1","useOrderCode":"O-1","useStoreName":"一店","useTime":"2019-10-15 17:10:28","validBeginDate":"2019-8-24","validEndDate":"2019-11-03 23:59:59","templateInfo":{"id":"895","name":"满50减10","sellerId":"2001","status":"1"}}`,
		`{"customerId":"383933091455959041","useStatus":1}`, // no id: not the coupon
	} {
		c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
		sent := answering(t, mt, "/v3/coupon/getCouponDetail", data)
		got, err := c.GetCouponDetail(context.Background(), &zvcms.CouponDetailRequest{CardID: "390913445498200065"})
		assert.Equal(t, `{"userCouponCode":"390913445498200065"}`, (*sent)[0])
		if len(*sent) > 1 {
			assert.True(t, transport.IsUnreadable(err), "%v", err)
			assert.ErrorContains(t, err, "no id in the answer")
			assert.Len(t, *sent, maxAttempts, "a read is retried")
			continue
		}
		require.NoError(t, err, data)
		got.Meta = couponkit.Meta{}
		assert.Equal(t, want, *got, data)
	}
	c, mt := mock(t, zvcms.Config{})
	_, err := c.GetCouponDetail(context.Background(), &zvcms.CouponDetailRequest{CardID: " "})
	refusedBeforeSending(t, mt, err, "CardID")
}

// TestGetCouponDetailOnFake: the fake answers a coupon, redeemed, with its
// template, in each spelling, at the Config.Paths entry of getCouponDetail, and refuses an
// unknown code.
func TestGetCouponDetailOnFake(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		f := newFixture(t, zvcmstest.Config{NativeTypes: native, Paths: map[string]string{"getCouponDetail": "/v3/x/getCouponDetail"}})
		f.srv.AddTemplate(zvcms.Template{ID: 895, Name: "满50减10"})
		cp := f.srv.AddCoupon(zvcms.Coupon{Title: "满50减10", TemplateID: 895, Type: zvcms.CouponTypeGoods, EndAt: epoch.AddDate(0, 1, 0)})
		f.srv.SetUseStatus(cp.CardID, zvcms.UseStatusRedeemed)
		got, err := f.c.GetCouponDetail(context.Background(), &zvcms.CouponDetailRequest{CardID: cp.CardID})
		require.NoError(t, err)
		assert.Equal(t, []any{cp.CardID, cp.CustomerID, int64(895), "满50减10", zvcms.CouponTypeGoods, zvcms.UseStatusRedeemed, "满50减10"},
			[]any{got.CardID, got.CustomerID, got.TemplateID, got.TemplateName, got.TemplateType, got.UseStatus, got.Template.Name})
		assert.True(t, got.EndAt.Equal(cp.EndAt) && got.UsedAt.Equal(epoch), "%v %v", got.EndAt, got.UsedAt)
		assert.Equal(t, "/v3/x/getCouponDetail", f.srv.Requests()[0].Path)
		_, err = f.c.GetCouponDetail(context.Background(), &zvcms.CouponDetailRequest{CardID: "1"})
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	}
}

// ExampleClient_GetCouponDetail looks one coupon up by its code, against
// the fake gateway.
func ExampleClient_GetCouponDetail() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddCoupon(zvcms.Coupon{CardID: "390913445498200065", Title: "满50减10", TemplateID: 895})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	got, err := c.GetCouponDetail(context.Background(), &zvcms.CouponDetailRequest{CardID: "390913445498200065"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.CardID, got.TemplateID, got.TemplateName, got.UseStatus)
	// Output: 390913445498200065 895 满50减10 unused
}
