package ebuy_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/transport"
)

// TestAnswerTimeThatDoesNotParseIsUnreadable answers a status update with a
// validStart in no form e-Buy writes times in: the answer cannot be read,
// so the keyed write ends, after its retries, as an unknown outcome with
// its uuid, not as a success with a zero time.
func TestAnswerTimeThatDoesNotParseIsUnreadable(t *testing.T) {
	t.Parallel()
	content := `{"codeStatusList":[{"code":"1031000000000000001","currentStatus":"04","validStart":"soon","validEnd":"20241231235959"}]}`
	c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) { return 200, envelopeSuccess(t, req, content) },
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3}))
	res, err := c.UpdateCodeStatus(context.Background(), &ebuy.UpdateCodeStatusRequest{UUID: "20240517-bad-time", Type: ebuy.UpdateFreeze,
		Codes: []string{"1031000000000000001"}})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.True(t, transport.IsUnreadable(err))
	assert.Contains(t, err.Error(), "not a time")
	key, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	assert.Equal(t, "20240517-bad-time", key)
	require.Len(t, res.Codes, 1)
	assert.Empty(t, res.Codes[0].Status, "nothing of the unreadable answer is reported")
	assert.Len(t, cp.Bodies(), 3)
}

// TestAnswerTimesReadEveryFormEbuyWrites reads validStart and validEnd as
// yyyyMMddHHmmss text, epoch milliseconds (number and string) and
// yyyy-MM-dd HH:mm:ss, all in Beijing time.
func TestAnswerTimesReadEveryFormEbuyWrites(t *testing.T) {
	t.Parallel()
	want := time.Date(2024, 5, 17, 10, 0, 0, 0, beijing)
	for _, v := range []string{`"20240517100000"`, `1715911200000`, `"1715911200000"`, `"2024-05-17 10:00:00"`} {
		content := `{"codeStatusList":[{"code":"1031000000000000001","currentStatus":"04","validStart":` + v + `,"validEnd":null}]}`
		c, _, _ := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) { return 200, envelopeSuccess(t, req, content) })
		res, err := c.UpdateCodeStatus(context.Background(), &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: []string{"1031000000000000001"}})
		require.NoError(t, err, v)
		assert.True(t, want.Equal(res.Codes[0].ValidStart), "%s: %v", v, res.Codes[0].ValidStart)
		assert.True(t, res.Codes[0].ValidEnd.IsZero(), v)
	}
}

// TestBrandIDWithALeadingZeroIsRefused: batchUpdateCodeStatus sends brandId
// as a JSON number, which cannot start with 0; the request is refused
// naming BrandID before anything is sent.
func TestBrandIDWithALeadingZeroIsRefused(t *testing.T) {
	t.Parallel()
	c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) { return 500, nil })
	for _, brand := range []string{"04339", "43a9", "-4339"} {
		_, err := c.UpdateCodeStatus(context.Background(), &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: []string{"1"}, BrandID: brand})
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, brand)
		assert.Equal(t, "BrandID", ve.Field, brand)
	}
	assert.Empty(t, cp.Bodies())
}

// TestPublicTypesEncodeByGoName: the request and result types carry no wire
// names, so a program (or the couponkit command's --input and --json) reads
// and writes them by their Go names, and they round-trip.
func TestPublicTypesEncodeByGoName(t *testing.T) {
	t.Parallel()
	for _, v := range []any{
		&ebuy.Funds{MerchantBenefit: 500, TotalAmount: 6000},
		&ebuy.ActivateInfo{Org: "上海", ShopNo: "S001"},
		&ebuy.StoreInfo{ShopNo: "1490", ShopName: "星巴克北京银泰店", TerminalID: "54022101"},
		&ebuy.MadeCode{Code: "C1", Password: "P1", SendChannelOrderID: "SO-1", ExchangeURL: "https://x.invalid/C1"},
	} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		for _, wireName := range []string{"merchantBenefit", "optOrg", "shopNo", "terminalId", "code", "sendChannelOrderId", "exchangeUrl"} {
			assert.NotContains(t, string(b), `"`+wireName+`"`, "%T: %s", v, b)
		}
		back := newOf(v)
		require.NoError(t, json.Unmarshal(b, back))
		assert.Equal(t, v, back)
	}
}

// newOf returns a new zero value of the type v points to.
func newOf(v any) any {
	switch v.(type) {
	case *ebuy.Funds:
		return &ebuy.Funds{}
	case *ebuy.ActivateInfo:
		return &ebuy.ActivateInfo{}
	case *ebuy.StoreInfo:
		return &ebuy.StoreInfo{}
	case *ebuy.MadeCode:
		return &ebuy.MadeCode{}
	}
	panic("no type")
}

// TestCallChecksTheAnswerIsAboutTheRequest: Client.Call holds a success to
// what its request asked for, as the typed calls do: another product, or a
// code taken back that the request did not name (page 9de6d's answer has
// no uuid to tie it to the request), is unreadable.
func TestCallChecksTheAnswerIsAboutTheRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) {
		return 200, envelopeSuccess(t, req, `{"productId":1031000000010999,"productName":"另一个产品"}`)
	}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
	_, err := c.Call(ctx, "_getBrandProductDetailDirect", map[string]any{"productId": 1031000000010741}, nil, couponkit.Read())
	require.Error(t, err)
	assert.True(t, transport.IsUnreadable(err))
	assert.Contains(t, err.Error(), "productId 1031000000010999, not 1031000000010741")
	assert.Len(t, cp.Bodies(), 2, "a read: retried")

	c, _, _ = mockClient(t, ebuy.Config{}, func([]byte) (int, []byte) { return 200, printedSyncVoid(t, vecKey, "", syncVoidList) })
	_, err = c.Call(ctx, "verify-syncVerifyVoidNotify", map[string]any{"originalUuid": "T20240517-0001", "branId": "4339", "codes": []string{"1031000000000000777"}}, nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Contains(t, err.Error(), "lists code 1031000000000000001, which the request did not name")
}
