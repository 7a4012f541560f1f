package ebuy_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
)

func TestKeyedWriteRetriedAfter5xxKeepsUUID(t *testing.T) {
	t.Parallel()
	fake, c, clock := fakeClient(t)
	codes := fake.MakeCodes(2)
	fake.FailNextHTTP(503, gatewayDown)
	res, err := c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{Codes: codes})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	reqs := fake.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, field(t, reqs[0].Body, "uuid"), field(t, reqs[1].Body, "uuid"), "same uuid on the retry")
	assert.NotEqual(t, field(t, reqs[0].Body, "timestamp"), field(t, reqs[1].Body, "timestamp"), "fresh timestamp")
	assert.NotEqual(t, field(t, reqs[0].Body, "sign"), field(t, reqs[1].Body, "sign"), "re-signed")
	assert.Equal(t, field(t, reqs[0].Body, "content"), field(t, reqs[1].Body, "content"))
	assert.Len(t, clock.Sleeps(), 1)
	st, _ := fake.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
}

func TestKeyedWriteDroppedAfterWriteIsReplayed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	codes := fake.MakeCodes(1)
	fake.DropNextAfterWrite()
	res, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes})
	require.NoError(t, err, "the retry gets the first attempt's stored answer")
	assert.Equal(t, 2, res.Meta.Attempts)
	assert.Equal(t, ebuy.StatusUnused, res.Codes[0].Status)
	h, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: codes[0]})
	require.NoError(t, err)
	require.Len(t, h.Records, 2, "made, then activated once")
	assert.Equal(t, "3", h.Records[1].Type)
}

func TestKeyedWriteExhaustedIsUnknownOutcomeWithUUID(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	codes := fake.MakeCodes(1)
	fake.FailNextHTTP(502, gatewayDown)
	fake.FailNextHTTP(502, gatewayDown)
	fake.FailNextHTTP(502, gatewayDown)
	_, err := c.DeactivateCodes(context.Background(), &ebuy.DeactivateCodesRequest{UUID: "20240517-deadbeef", Codes: codes})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	assert.Equal(t, "20240517-deadbeef", key)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, "uuid", u.KeyName)
	assert.Equal(t, 3, u.Attempts)
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))
	assert.Equal(t, 3, fake.RequestCount())
}

func TestSyncRedemptionsKeyIsCashierTransNo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	req := &ebuy.SyncRedemptionsRequest{CashierTransNo: "T-20240517-42", Codes: codes, Scene: "offline", Store: ebuy.StoreInfo{ShopNo: "1", ShopName: "s"}}
	fake.FailNextHTTP(500, gatewayDown)
	fake.FailNextHTTP(500, gatewayDown)
	fake.FailNextHTTP(500, gatewayDown)
	_, err := c.SyncRedemptions(ctx, req)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, "cashierTransNo", u.KeyName)
	assert.Equal(t, "T-20240517-42", u.Key)
	reqs := fake.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, field(t, reqs[0].Body, "uuid"), field(t, reqs[2].Body, "uuid"))

	// Reported again with the same cashierTransNo (and a new uuid): e-Buy's
	// de-duplication for the day answers once, and the code is redeemed once.
	first, err := c.SyncRedemptions(ctx, req)
	require.NoError(t, err)
	again, err := c.SyncRedemptions(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, first.Codes, again.Codes)
	h, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: codes[0]})
	require.NoError(t, err)
	assert.Len(t, h.Records, 2, "made, redeemed once")
}

func TestUnsafeWriteDroppedIsUnknownAndNotResent(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	codes := fake.MakeCodes(1)
	fake.DropNextAfterWrite()
	_, err := c.Call(context.Background(), "batchActivateCode", map[string]any{"codeArray": codes}, nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	require.Equal(t, 1, fake.RequestCount(), "an unsafe write is not resent")
	key, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	assert.Equal(t, field(t, fake.Requests()[0].Body, "uuid"), key, "the uuid it was sent with")
	st, _ := fake.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status, "the write took effect before the drop")
}

func TestUnsafeWrite5xxIsUnknownAndNotResent(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	fake.FailNextHTTP(503, gatewayDown)
	_, err := c.Call(context.Background(), "batchActivateCode", map[string]any{"codeArray": []string{"x"}}, nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, fake.RequestCount())
}

func TestSafeReadRetriedAfterDrop(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	fake.DropNext()
	p, err := c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: 1031000000010741})
	require.NoError(t, err)
	assert.Equal(t, 2, p.Meta.Attempts)
}

func TestThrottleCodeIsRetriedAfterTheWindow(t *testing.T) {
	t.Parallel()
	fake, c, clock := fakeClient(t)
	fake.FailNext(ebuy.ErrCodeThrottled, "请求过于频繁")
	p, err := c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: 1031000000010741})
	require.NoError(t, err)
	assert.Equal(t, 2, p.Meta.Attempts)
	require.NotEmpty(t, clock.Sleeps())
	assert.Greater(t, clock.Sleeps()[len(clock.Sleeps())-1], 900*time.Millisecond, "about the default throttle window")
}

func TestTamperedResponseSignIsNeverASuccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	for range 3 {
		fake.TamperNextSign()
	}
	_, err := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: 1031000000010741})
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultAuth, e.Fault)
	assert.Contains(t, e.Message, "signature does not match")
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "a read's outcome is never unknown")
	assert.Equal(t, 3, fake.RequestCount(), "an unreadable answer to a read is retried")

	// A keyed write is sent again with the same uuid: the fake replays the
	// answer it stored, and the codes were activated once.
	codes := fake.MakeCodes(1)
	fake.TamperNextSign()
	res, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	st, _ := fake.Code(codes[0])
	assert.Equal(t, []string{"1", "3"}, st.History, "made, activated once")
}

func TestResponseVectorDecodes(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/responses/deactivate_ok.json")
	require.NoError(t, err)
	c, _, _ := mockClient(t, ebuy.Config{BrandID: "4339", NewKey: vecKeyFunc}, func([]byte) (int, []byte) { return 200, body })
	res, err := c.DeactivateCodes(context.Background(), &ebuy.DeactivateCodesRequest{Codes: []string{"1031000000000000001", "1031000000000000002"}})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Count)
	assert.Equal(t, int64(1715911200123), res.CreatedAt.UnixMilli())
	_, off := res.CreatedAt.Zone()
	assert.Equal(t, 8*3600, off, "Beijing time")
	require.Len(t, res.Codes, 2)
	assert.Equal(t, ebuy.TicketID(1031000000010741), res.Codes[0].TicketID, "16-digit number, exact")
	assert.Equal(t, ebuy.TicketID(1031000000010742), res.Codes[1].TicketID, "16-digit string, exact")
	assert.Equal(t, 1, res.Codes[0].UseTimes)
	assert.Equal(t, 1, res.Codes[1].UseTimes)
	assert.Equal(t, ebuy.StatusNotActivated, res.Codes[1].Status)
	assert.Equal(t, "成功", res.Codes[0].ResultMessage)
	assert.Equal(t, vecUUID, res.Meta.RequestID)
	assert.Equal(t, body, res.Meta.Raw)
}

func TestResponseVectorTamperedContentIsRejected(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/responses/deactivate_ok.json")
	require.NoError(t, err)
	for name, tampered := range map[string]string{
		"content":  strings.Replace(string(body), `"codeNum":2`, `"codeNum":3`, 1),
		"space":    strings.Replace(string(body), `"codeNum":2, `, `"codeNum":2,`, 1),
		"field":    strings.Replace(string(body), `"timestamp":1715911200456`, `"timestamp":1715911200457`, 1),
		"unsigned": strings.Replace(string(body), `,"sign":"338265730c23bde26637e9e046ae6046de11c6c01f9fb24b8d6a5ba0572ffbbf"`, ``, 1),
		"extra":    strings.Replace(string(body), `"success":true,`, `"success":true,"extra":"x",`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.NotEqual(t, string(body), tampered)
			c, _, cp := mockClient(t, ebuy.Config{BrandID: "4339", NewKey: vecKeyFunc}, func([]byte) (int, []byte) { return 200, []byte(tampered) })
			res, err := c.DeactivateCodes(context.Background(), &ebuy.DeactivateCodesRequest{Codes: []string{"1031000000000000001"}})
			assert.Nil(t, res)
			require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, "an unverifiable answer to a write")
			assert.Len(t, cp.Bodies(), 3, "a keyed write is retried with its uuid")
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, couponkit.FaultAuth, e.Fault)
		})
	}
}

func TestFailureEnvelopes(t *testing.T) {
	t.Parallel()
	signed, err := os.ReadFile("testdata/responses/deactivate_fail.json")
	require.NoError(t, err)
	cases := map[string]struct {
		body    string
		code    string
		fault   couponkit.Fault
		unknown bool // not a definite answer: the write's outcome is unknown
	}{
		"signed":        {string(signed), "91", couponkit.FaultClient, false},
		"unsigned":      {`{"success":false,"errorCode":"10","errorMessage":"券码不存在"}`, "10", couponkit.FaultClient, false},
		"string flag":   {`{"success":"false","errorCode":"SYS_BUSY","errorMessage":"busy"}`, "SYS_BUSY", couponkit.FaultServer, true},
		"wrong sign":    {strings.Replace(string(signed), `"sign":"9b`, `"sign":"8b`, 1), "", couponkit.FaultAuth, true},
		"no flag":       {`{"errorCode":"10","errorMessage":"券码不存在"}`, "", couponkit.FaultUnknown, true},
		"another uuid":  {`{"success":false,"errorCode":"10","errorMessage":"x","uuid":"20240517-another"}`, "", couponkit.FaultUnknown, true},
		"separator":     {signedFailure(t, "10", "a=b&c"), "", couponkit.FaultUnknown, true},
		"signed no '&'": {signedFailure(t, "10", "券码不存在"), "10", couponkit.FaultClient, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := mockClient(t, ebuy.Config{BrandID: "4339", NewKey: vecKeyFunc}, func([]byte) (int, []byte) { return 200, []byte(tc.body) },
				couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
			_, err := c.DeactivateCodes(context.Background(), &ebuy.DeactivateCodesRequest{Codes: []string{"1031000000000000001"}})
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.fault, e.Fault)
			assert.Equal(t, "batchUnActivateCode", e.Operation)
			assert.Equal(t, tc.unknown, errors.Is(err, couponkit.ErrUnknownOutcome))
		})
	}
}

// signedFailure is a failure envelope for vecUUID signed under vecKey.
func signedFailure(t *testing.T, code, msg string) string {
	b, err := wire.Signed([]wire.Field{wire.Str("action", "batchUnActivateCode"), wire.Str("errorCode", code), wire.Str("errorMessage", msg),
		wire.Str("signType", "sha256"), wire.Raw("success", []byte("false")), wire.Raw("timestamp", []byte("1715911200456")), wire.Str("uuid", vecUUID)}, vecKey)
	require.NoError(t, err)
	return string(b)
}

func TestUndecodableAnswersToAKeyedWriteAreUnknown(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		status int
		body   string
		fault  couponkit.Fault
	}{
		"html 502":    {502, "<html>bad gateway</html>", couponkit.FaultServer},
		"html 200":    {200, "<html>login</html>", couponkit.FaultUnknown},
		"array":       {200, `[1,2]`, couponkit.FaultUnknown},
		"dup key":     {200, `{"success":true,"success":false}`, couponkit.FaultUnknown},
		"bad content": {200, "", couponkit.FaultUnknown},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) {
				if tc.body == "" { // a signed success whose content does not fit the result
					return tc.status, signedAnswer(t, req, vecKey, `{"codeStatusList":"not a list"}`)
				}
				return tc.status, []byte(tc.body)
			})
			_, err := c.UpdateCodeStatus(context.Background(), &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: []string{"c1"}})
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.fault, e.Fault)
			assert.ErrorIs(t, err, couponkit.ErrUnknownOutcome, "a keyed write whose last answer was not definite")
			assert.Len(t, cp.Bodies(), 3)
		})
	}
}

func TestHTML404IsAClientErrorNotAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	c, _, cp := mockClient(t, ebuy.Config{}, func([]byte) (int, []byte) { return 404, []byte("<html><body>Not Found</body></html>") })
	_, err := c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{Codes: []string{"c1"}})
	require.Error(t, err)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultClient, e.Fault)
	assert.Equal(t, 404, e.HTTPStatus)
	assert.Len(t, cp.Bodies(), 1)
}

func TestCodeFaultsOverride(t *testing.T) {
	t.Parallel()
	c, _, cp := mockClient(t, ebuy.Config{CodeFaults: map[string]couponkit.Fault{"E42": couponkit.FaultServer}},
		func([]byte) (int, []byte) {
			return 200, []byte(`{"success":false,"errorCode":"E42","errorMessage":"later"}`)
		})
	_, err := c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: 7})
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))
	assert.Len(t, cp.Bodies(), 3, "a read with a server fault is retried")
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), "a read's outcome is never unknown")
}
