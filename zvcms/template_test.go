package zvcms_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

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
