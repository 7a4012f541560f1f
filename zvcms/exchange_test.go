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
