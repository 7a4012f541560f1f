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

// TestGetExchangeCodeStatus: the params on the wire, the answer in both
// spellings, the one rule (no exchangeStatus: retried, then unreadable) and
// a request refused before sending.
func TestGetExchangeCodeStatus(t *testing.T) {
	t.Parallel()
	want := zvcms.ExchangeCodeStatus{ActivityCode: "ACT1", ActivityName: "周年兑换", Status: 1}
	for _, data := range []string{
		`{"activityCode":"ACT1","activityName":"周年兑换","exchangeStatus":1}`,
		`{"activityCode":"ACT1","activityName":"周年兑换","exchangeStatus":"1"}`,
		`{"activityCode":"ACT1","exchangeStatus":""}`, // no state
	} {
		c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
		sent := answering(t, mt, "/v3/coupon/exchange/queryCodeStatus", data)
		got, err := c.GetExchangeCodeStatus(context.Background(), &zvcms.ExchangeCodeStatusRequest{Code: "EXCHANGE001"})
		assert.Equal(t, `{"code":"EXCHANGE001"}`, (*sent)[0])
		if len(*sent) > 1 {
			assert.True(t, transport.IsUnreadable(err), "%v", err)
			assert.ErrorContains(t, err, "no exchangeStatus in the answer")
			assert.Len(t, *sent, maxAttempts, "a read is retried")
			continue
		}
		require.NoError(t, err, data)
		got.Meta = couponkit.Meta{}
		assert.Equal(t, want, *got, data)
	}
	c, mt := mock(t, zvcms.Config{})
	_, err := c.GetExchangeCodeStatus(context.Background(), &zvcms.ExchangeCodeStatusRequest{})
	refusedBeforeSending(t, mt, err, "Code")
}

// TestExchangeCodeStatusOnFake: queryCodeStatus and status (type 2) answer
// the fake's redemption codes in each spelling; an unknown one is refused.
func TestExchangeCodeStatusOnFake(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		f := newFixture(t, zvcmstest.Config{NativeTypes: native})
		f.srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: "EX1", ActivityCode: "ACT1", ActivityName: "周年兑换", Status: zvcmstest.ExchangeUsed})
		got, err := f.c.GetExchangeCodeStatus(context.Background(), &zvcms.ExchangeCodeStatusRequest{Code: "EX1"})
		require.NoError(t, err)
		assert.Equal(t, []any{"ACT1", "周年兑换", zvcmstest.ExchangeUsed}, []any{got.ActivityCode, got.ActivityName, got.Status})
		st, err := f.c.GetCouponStatus(context.Background(), &zvcms.CouponStatusRequest{Code: "EX1", Kind: zvcms.CodeKindExchange})
		require.NoError(t, err)
		assert.Equal(t, zvcmstest.ExchangeUsed, st.Status)
		_, err = f.c.GetExchangeCodeStatus(context.Background(), &zvcms.ExchangeCodeStatusRequest{Code: "EX2"})
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
	}
}

// TestDispatchExchangeCodes: the params on the wire, codes as strings or
// numbers, the one rule (no code: an unknown outcome at once, sent once)
// and requests refused before sending.
func TestDispatchExchangeCodes(t *testing.T) {
	t.Parallel()
	for data, want := range map[string][]string{`[{"code":"EX1"},{"code":2}]`: {"EX1", "2"}, `[]`: nil, `[{"code":""}]`: nil} {
		c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
		sent := answering(t, mt, "/v3/coupon/exchange/codeDispatch", data)
		got, err := c.DispatchExchangeCodes(context.Background(), &zvcms.DispatchCodesRequest{ActivityCode: "ACT1", Num: 2})
		assert.Equal(t, []string{`{"activityCode":"ACT1","num":2}`}, *sent, "an unsafe write is sent once")
		if want == nil {
			require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, data)
			assert.ErrorContains(t, err, "no code in the answer")
			continue
		}
		require.NoError(t, err, data)
		assert.Equal(t, want, got.Codes)
	}
	for field, req := range map[string]*zvcms.DispatchCodesRequest{"ActivityCode": {Num: 1}, "Num": {ActivityCode: "ACT1"}} {
		c, mt := mock(t, zvcms.Config{})
		_, err := c.DispatchExchangeCodes(context.Background(), req)
		refusedBeforeSending(t, mt, err, field)
	}
}

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

// TestDisableExchangeCodes: the params on the wire, each code's result in
// the order asked (the answer's order and spelling do not matter), the one
// rule (a code asked left out, repeated or another one: an unknown outcome
// at once, sent once) and requests refused before sending.
func TestDisableExchangeCodes(t *testing.T) {
	t.Parallel()
	ok := []zvcms.DisabledCode{{Code: "EX1", Disabled: true}, {Code: "EX2", FailReason: "兑换码已使用"}}
	for data, want := range map[string][]zvcms.DisabledCode{
		`[{"code":"EX2","disabled":false,"failReason":"兑换码已使用"},{"code":"EX1","disabled":true}]`:                     ok,
		`[{"code":"EX1","disabled":"true","failReason":""},{"code":"EX2","disabled":"false","failReason":"兑换码已使用"}]`: ok,
		`[{"code":"EX1","disabled":true}]`: nil, `[{"code":"EX1"},{"code":"EX2"},{"code":"EX1"}]`: nil,
		`[{"code":"EX1"},{"code":"EX3"}]`: nil, `null`: nil,
	} {
		c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
		sent := answering(t, mt, "/v3/coupon/exchange/codeDisableBatch", data)
		got, err := c.DisableExchangeCodes(context.Background(), &zvcms.DisableCodesRequest{Codes: []string{"EX1", "EX2"}})
		assert.Equal(t, []string{`{"codes":["EX1","EX2"]}`}, *sent, "an unsafe write is sent once")
		if want == nil {
			require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, data)
			continue
		}
		require.NoError(t, err, data)
		assert.Equal(t, want, got.Results, data)
	}
	for field, req := range map[string]*zvcms.DisableCodesRequest{"Codes": {}, "Codes[1]": {Codes: []string{"EX1", "EX1"}}} {
		c, mt := mock(t, zvcms.Config{})
		_, err := c.DisableExchangeCodes(context.Background(), req)
		refusedBeforeSending(t, mt, err, field)
	}
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
