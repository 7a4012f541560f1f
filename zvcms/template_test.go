package zvcms_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// TestGetTemplateDetail: the params on the wire, the vendor family's
// answer in both spellings, the one rule (an answer without the template's
// id is retried, then unreadable) and a request refused before sending.
func TestGetTemplateDetail(t *testing.T) {
	t.Parallel()
	want := zvcms.Template{ID: 1001, Name: "满50减10", SellerID: 2001, Status: 1, Type: zvcms.CouponTypeGoods, ThirdBizCode: "EXT001"}
	for _, data := range []string{
		`{"id":1001,"name":"满50减10","sellerId":2001,"status":1,"type":5,"thirdBizCode":"EXT001"}`,
		`{"id":"1001","name":"满50减10","sellerId":"2001","status":"1","type":"5","thirdBizCode":"EXT001"}`,
		`{"name":"满50减10"}`, // no id: not the template
	} {
		c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
		sent := answering(t, mt, "/v3/coupon/getTemplateDetail", data)
		res, err := c.GetTemplateDetail(context.Background(), &zvcms.TemplateRequest{TemplateID: 1001})
		assert.Equal(t, `{"id":1001}`, (*sent)[0])
		if data == `{"name":"满50减10"}` {
			assert.True(t, transport.IsUnreadable(err), "%v", err)
			assert.ErrorContains(t, err, "no id in the answer")
			assert.Len(t, *sent, maxAttempts, "a read is retried")
			continue
		}
		require.NoError(t, err, data)
		assert.Equal(t, want, res.Template, data)
	}
	c, mt := mock(t, zvcms.Config{})
	_, err := c.GetTemplateDetail(context.Background(), &zvcms.TemplateRequest{})
	refusedBeforeSending(t, mt, err, "TemplateID")
}

// TestGetTemplateDetailOnFake: the fake answers its templates in each
// spelling, at the Config.Paths entry of getTemplateDetail, and refuses an unknown one.
func TestGetTemplateDetailOnFake(t *testing.T) {
	t.Parallel()
	tmpl := zvcms.Template{ID: 895, Name: "满50减10", SellerID: 2001, Status: 1, Type: zvcms.CouponTypeCash, ThirdBizCode: "EXT001"}
	for _, native := range []bool{false, true} {
		f := newFixture(t, zvcmstest.Config{NativeTypes: native, Paths: map[string]string{"getTemplateDetail": "/v3/x/getTemplateDetail"}})
		f.srv.AddTemplate(tmpl)
		res, err := f.c.GetTemplateDetail(context.Background(), &zvcms.TemplateRequest{TemplateID: 895})
		require.NoError(t, err)
		assert.Equal(t, tmpl, res.Template)
		assert.Equal(t, "/v3/x/getTemplateDetail", f.srv.Requests()[0].Path)
		_, err = f.c.GetTemplateDetail(context.Background(), &zvcms.TemplateRequest{TemplateID: 896})
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	}
}

// ExampleClient_GetTemplateDetail looks a coupon's template up, against the
// fake gateway.
func ExampleClient_GetTemplateDetail() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddTemplate(zvcms.Template{ID: 895, Name: "满50减10", Type: zvcms.CouponTypeCash})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	res, err := c.GetTemplateDetail(context.Background(), &zvcms.TemplateRequest{TemplateID: 895})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Template.ID, res.Template.Name, res.Template.Type)
	// Output: 895 满50减10 cash
}
