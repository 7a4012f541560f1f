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
)

func TestKeyedWriteRetriedAfter5xxKeepsUUID(t *testing.T) {
	fake, c, clock := fakeClient(t)
	codes := fake.MakeCodes(2)
	fake.FailNextHTTP(503)
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
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	codes := fake.MakeCodes(1)
	fake.DropNextAfterWrite()
	res, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes})
	require.NoError(t, err, "the retry gets the first attempt's stored answer")
	assert.Equal(t, 2, res.Meta.Attempts)
	assert.Equal(t, ebuy.StatusUnused, res.Codes[0].Status)
	h, err := c.CodeHistory(ctx, codes[0])
	require.NoError(t, err)
	require.Len(t, h.Records, 2, "made, then activated once")
	assert.Equal(t, "3", h.Records[1].Type)
}

func TestKeyedWriteExhaustedIsUnknownOutcomeWithUUID(t *testing.T) {
	fake, c, _ := fakeClient(t)
	codes := fake.MakeCodes(1)
	fake.FailNextHTTP(502)
	fake.FailNextHTTP(502)
	fake.FailNextHTTP(502)
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
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	req := &ebuy.SyncRedemptionsRequest{CashierTransNo: "T-20240517-42", Codes: codes, Scene: "offline", Store: ebuy.StoreInfo{ShopNo: "1", ShopName: "s"}}
	fake.FailNextHTTP(500)
	fake.FailNextHTTP(500)
	fake.FailNextHTTP(500)
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
	h, err := c.CodeHistory(ctx, codes[0])
	require.NoError(t, err)
	assert.Len(t, h.Records, 2, "made, redeemed once")
}

func TestUnsafeWriteDroppedIsUnknownAndNotResent(t *testing.T) {
	fake, c, _ := fakeClient(t)
	codes := fake.MakeCodes(1)
	fake.DropNext()
	_, err := c.Do(context.Background(), &ebuy.RawRequest{API: "batchActivateCode", UUID: "20240517-unsafe", Class: ebuy.ClassUnsafe,
		Content: map[string]any{"codeArray": codes}})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, _ := couponkit.IdempotencyKey(err)
	assert.Equal(t, "20240517-unsafe", key)
	assert.Equal(t, 1, fake.RequestCount(), "an unsafe write is not resent")
}

func TestUnsafeWrite5xxIsUnknownAndNotResent(t *testing.T) {
	fake, c, _ := fakeClient(t)
	fake.FailNextHTTP(503)
	_, err := c.Do(context.Background(), &ebuy.RawRequest{API: "batchActivateCode", Class: ebuy.ClassUnsafe, Content: map[string]any{"codeArray": []string{"x"}}})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, fake.RequestCount())
}

func TestSafeReadRetriedAfterDrop(t *testing.T) {
	fake, c, _ := fakeClient(t)
	fake.DropNext()
	p, err := c.ProductDetail(context.Background(), 1031000000010741)
	require.NoError(t, err)
	assert.Equal(t, 2, p.Meta.Attempts)
}

func TestThrottleCodeIsRetriedAfterTheWindow(t *testing.T) {
	fake, c, clock := fakeClient(t)
	fake.FailNext(ebuy.ErrCodeThrottled, "请求过于频繁")
	p, err := c.ProductDetail(context.Background(), 1031000000010741)
	require.NoError(t, err)
	assert.Equal(t, 2, p.Meta.Attempts)
	require.NotEmpty(t, clock.Sleeps())
	assert.Greater(t, clock.Sleeps()[len(clock.Sleeps())-1], 900*time.Millisecond, "about the default throttle window")
}

func TestTamperedResponseSignIsRejected(t *testing.T) {
	fake, c, _ := fakeClient(t)
	fake.TamperNextSign()
	_, err := c.ProductDetail(context.Background(), 1031000000010741)
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultAuth, e.Fault)
	assert.Contains(t, e.Message, "signature does not match")
	assert.Equal(t, 1, fake.RequestCount(), "not retried")

	codes := fake.MakeCodes(1)
	fake.TamperNextSign()
	res, err := c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{Codes: codes})
	require.ErrorAs(t, err, &e)
	assert.Nil(t, res, "a write whose answer is not trusted is never a success")
	assert.Equal(t, couponkit.FaultAuth, e.Fault)
}

func TestResponseVectorDecodes(t *testing.T) {
	body, err := os.ReadFile("testdata/responses/deactivate_ok.json")
	require.NoError(t, err)
	c, _, _ := mockClient(t, ebuy.Config{BrandID: "4339"}, func([]byte) (int, []byte) { return 200, body })
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
			require.NotEqual(t, string(body), tampered)
			c, _, _ := mockClient(t, ebuy.Config{BrandID: "4339"}, func([]byte) (int, []byte) { return 200, []byte(tampered) })
			res, err := c.DeactivateCodes(context.Background(), &ebuy.DeactivateCodesRequest{Codes: []string{"1031000000000000001"}})
			assert.Nil(t, res)
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, couponkit.FaultAuth, e.Fault)
		})
	}
}

func TestFailureEnvelopes(t *testing.T) {
	signed, err := os.ReadFile("testdata/responses/deactivate_fail.json")
	require.NoError(t, err)
	cases := map[string]struct {
		body  string
		code  string
		fault couponkit.Fault
	}{
		"signed":      {string(signed), "91", couponkit.FaultClient},
		"unsigned":    {`{"success":false,"errorCode":"10","errorMessage":"券码不存在"}`, "10", couponkit.FaultClient},
		"wrong sign":  {strings.Replace(string(signed), `"sign":"9b`, `"sign":"8b`, 1), "91", couponkit.FaultAuth},
		"string flag": {`{"success":"false","errorCode":"SYS_BUSY","errorMessage":"busy"}`, "SYS_BUSY", couponkit.FaultServer},
		"no flag":     {`{"errorCode":"","errorMessage":""}`, "", couponkit.FaultUnknown},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, _, _ := mockClient(t, ebuy.Config{BrandID: "4339"}, func([]byte) (int, []byte) { return 200, []byte(tc.body) },
				couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
			_, err := c.DeactivateCodes(context.Background(), &ebuy.DeactivateCodesRequest{Codes: []string{"1031000000000000001"}})
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.fault, e.Fault)
			assert.Equal(t, "batchUnActivateCode", e.Operation)
		})
	}
}

func TestUndecodableAnswers(t *testing.T) {
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
			if tc.fault == couponkit.FaultServer {
				assert.ErrorIs(t, err, couponkit.ErrUnknownOutcome, "a keyed write whose last attempt failed with 5xx")
				assert.Len(t, cp.Bodies(), 3)
			} else {
				assert.Len(t, cp.Bodies(), 1)
			}
		})
	}
}

func TestErrorFaultsOverride(t *testing.T) {
	c, _, cp := mockClient(t, ebuy.Config{ErrorFaults: map[string]couponkit.Fault{"E42": couponkit.FaultServer}},
		func([]byte) (int, []byte) {
			return 200, []byte(`{"success":false,"errorCode":"E42","errorMessage":"later"}`)
		})
	_, err := c.ProductDetail(context.Background(), 7)
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))
	assert.Len(t, cp.Bodies(), 3, "a read with a server fault is retried")
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), "a read's outcome is never unknown")
}
