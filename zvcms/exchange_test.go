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

// TestDispatchExchangeCodesOnFake: the fake hands out fresh unused codes of
// a known activity and refuses an unknown one.
func TestDispatchExchangeCodesOnFake(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	f.srv.AddExchangeActivity("ACT1", "周年兑换")
	got, err := f.c.DispatchExchangeCodes(context.Background(), &zvcms.DispatchCodesRequest{ActivityCode: "ACT1", Num: 3})
	require.NoError(t, err)
	require.Len(t, got.Codes, 3)
	for _, code := range got.Codes {
		st, err := f.c.GetExchangeCodeStatus(context.Background(), &zvcms.ExchangeCodeStatusRequest{Code: code})
		require.NoError(t, err)
		assert.Equal(t, []any{"ACT1", zvcmstest.ExchangeUnused}, []any{st.ActivityCode, st.Status})
	}
	assert.Equal(t, got.Codes, f.srv.Dispatches()[0].Codes)
	_, err = f.c.DispatchExchangeCodes(context.Background(), &zvcms.DispatchCodesRequest{ActivityCode: "ACT2", Num: 1})
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
}

// TestDisableExchangeCodesOnFake: the fake voids an unused code, refuses a
// used, a voided and an unknown one with their reasons, in each spelling.
func TestDisableExchangeCodesOnFake(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		f := newFixture(t, zvcmstest.Config{NativeTypes: native})
		f.srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: "EX1", ActivityCode: "ACT1"})
		f.srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: "EX2", ActivityCode: "ACT1", Status: zvcmstest.ExchangeUsed})
		got, err := f.c.DisableExchangeCodes(context.Background(), &zvcms.DisableCodesRequest{Codes: []string{"EX1", "EX2", "EX9"}})
		require.NoError(t, err)
		assert.Equal(t, []zvcms.DisabledCode{{Code: "EX1", Disabled: true}, {Code: "EX2", FailReason: "兑换码已使用"}, {Code: "EX9", FailReason: "兑换码不存在"}}, got.Results)
		st, _ := f.srv.ExchangeCode("EX1")
		assert.Equal(t, zvcmstest.ExchangeDisabled, st.Status)
		got, err = f.c.DisableExchangeCodes(context.Background(), &zvcms.DisableCodesRequest{Codes: []string{"EX1"}})
		require.NoError(t, err)
		assert.Equal(t, "兑换码已作废", got.Results[0].FailReason, "voided once")
	}
}

// ExampleClient_GetExchangeCodeStatus asks for a redemption code's state,
// against the fake gateway.
func ExampleClient_GetExchangeCodeStatus() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: "EX1", ActivityCode: "ACT1", ActivityName: "周年兑换"})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	got, err := c.GetExchangeCodeStatus(context.Background(), &zvcms.ExchangeCodeStatusRequest{Code: "EX1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.ActivityCode, got.ActivityName, got.Status == zvcmstest.ExchangeUnused)
	// Output: ACT1 周年兑换 true
}
