package taobaofilm_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/calltest"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// The registry is well formed and lists every typed call: every exported
// method of Client that takes (ctx, *Request), with its TOP method, class
// and key.
func TestAPIs(t *testing.T) {
	t.Parallel()
	apis := taobaofilm.APIs()
	require.NoError(t, couponkit.CheckAPIs(apis...))
	got := map[string]couponkit.API{}
	for _, a := range apis {
		got[a.Method] = a
	}
	typed := calltest.TypedMethods(reflect.TypeFor[*taobaofilm.Client]())
	for _, m := range typed {
		assert.Contains(t, got, m, "a typed call missing from APIs")
	}
	assert.Equal(t, len(typed), len(apis))
	for method, want := range map[string][3]string{
		"ExportCodes":       {taobaofilm.MethodExportQuery, "read", ""},
		"SendCodes":         {taobaofilm.MethodSendCodes, "keyed", "ext_order_id"},
		"MerchantSendCodes": {taobaofilm.MethodMerchantSend, "unsafe", "ext_order_id"},
		"CreateToken":       {taobaofilm.MethodTokenCreate, "unsafe", ""},
		"RefreshToken":      {taobaofilm.MethodTokenRefresh, "unsafe", ""},
		"PermitUser":        {taobaofilm.MethodPermitUser, "keyed", "topics"},
		"ConsumeMessages":   {taobaofilm.MethodConsumeMessages, "read", ""},
		"ConfirmMessages":   {taobaofilm.MethodConfirmMessages, "keyed", "s_message_ids"},
	} {
		a := got[method]
		assert.Equal(t, want, [3]string{a.Operation, a.Class.String(), a.KeyName}, method)
		assert.Equal(t, taobaofilm.Vendor, a.Vendor)
	}
}

// The fake serves every listed API: without its params it answers code 40
// (a missing argument), not 22 (no such method); permit, whose params are
// optional, wants the user's session (26), and consume needs nothing.
func TestFakeServesEveryAPI(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{InMemory: true})
	c, err := taobaofilm.NewClient(fakeConfig(srv), srv.ClientOption())
	require.NoError(t, err)
	defer c.Close()
	want := map[string]string{taobaofilm.MethodPermitUser: "26", taobaofilm.MethodConsumeMessages: ""}
	for _, a := range taobaofilm.APIs() {
		_, err := c.Call(context.Background(), a.Operation, nil, nil)
		code, ok := want[a.Operation]
		if !ok {
			code = "40"
		}
		if code == "" {
			require.NoError(t, err, a.Operation)
			continue
		}
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce, a.Operation)
		assert.Equal(t, code, ce.Code, "the fake does not serve %s (%s)", a.Operation, a.Method)
	}
}
