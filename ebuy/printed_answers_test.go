package ebuy_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/internal/testclock"
)

// syncVoidList is a voidNotifyResultBOList written from page 9de6d's table
// (code, ticketId number, ticketName, amount number, status, statusDesc).
const syncVoidList = `{"voidNotifyResultBOList":[{"code":"1031000000000000001","ticketId":1031000000010741,"ticketName":"星巴克中杯饮品券","amount":3000,"status":"00","statusDesc":"撤销成功"}]}`

// printedSyncVoid is page 9de6d's answer, its fields in the page's order:
// outerOrderId, action, timestamp, createTime, errorCode, errorMessage,
// content, signType (then sign), followed by extra pairs.
func printedSyncVoid(t testing.TB, secret, errorCode, content string, extra ...string) []byte {
	pairs := []string{"outerOrderId", `"OO-1"`, "action", `"codeVerifyVoidNotify"`, "timestamp", "1715911200456",
		"createTime", "1715911200000", "errorCode", strconv.Quote(errorCode), "errorMessage", `""`}
	if errorCode != "" {
		pairs = []string{"action", `"codeVerifyVoidNotify"`, "timestamp", "1715911200456", "errorCode", strconv.Quote(errorCode),
			"errorMessage", `"券码不能撤销核销"`}
	}
	if content != "" {
		pairs = append(pairs, "content", content)
	}
	return pageBody(t, secret, append(append(pairs, "signType", `"sha256"`), extra...)...)
}

func cancelSynced(c *ebuy.Client) (*ebuy.CancelSyncedRedemptionsResult, error) {
	return c.CancelSyncedRedemptions(context.Background(), &ebuy.CancelSyncedRedemptionsRequest{UUID: vecUUID, CashierTransNo: "T20240517-0001",
		Codes: []string{"1031000000000000001"}, BrandID: "4339"})
}

// TestCancelSyncedReadsPage9de6dAnswer feeds CancelSyncedRedemptions the
// answers page 9de6d prints (no success, no uuid, outerOrderId and
// createTime beside content) and the envelope its siblings print.
func TestCancelSyncedReadsPage9de6dAnswer(t *testing.T) {
	t.Parallel()
	want := []ebuy.RedeemedCode{{Code: "1031000000000000001", TicketID: 1031000000010741, TicketName: "星巴克中杯饮品券", Amount: 3000, Status: "00", StatusDescription: "撤销成功"}}
	for _, tc := range []struct {
		name    string
		answer  func(req []byte) []byte
		orderID string
		at      time.Time
	}{
		{name: "as printed", orderID: "OO-1", at: vecTime,
			answer: func([]byte) []byte { return printedSyncVoid(t, vecKey, "", syncVoidList) }},
		{name: "as printed with the request's uuid", orderID: "OO-1", at: vecTime,
			answer: func(req []byte) []byte {
				return printedSyncVoid(t, vecKey, "", syncVoidList, "uuid", strconv.Quote(field(t, req, "uuid")))
			}},
		{name: "as printed with success", orderID: "OO-1", at: vecTime,
			answer: func(req []byte) []byte {
				return printedSyncVoid(t, vecKey, "", syncVoidList, "success", "true", "uuid", strconv.Quote(field(t, req, "uuid")))
			}},
		{name: "envelope, both inside content", orderID: "OO-2", at: vecTime.Add(time.Second),
			answer: func(req []byte) []byte {
				return envelopeSuccess(t, req, `{"createTime":1715911201000,"outerOrderId":"OO-2",`+syncVoidList[1:])
			}},
		{name: "beside content wins over inside", orderID: "OO-1", at: vecTime,
			answer: func([]byte) []byte {
				return printedSyncVoid(t, vecKey, "", `{"createTime":1715911201000,"outerOrderId":"OO-2",`+syncVoidList[1:])
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) { return 200, tc.answer(req) })
			res, err := cancelSynced(c)
			require.NoError(t, err)
			assert.Equal(t, want, res.Codes)
			assert.Equal(t, tc.orderID, res.OuterOrderID)
			assert.True(t, tc.at.Equal(res.CreateTime), "createTime %v", res.CreateTime)
			assert.Len(t, cp.Bodies(), 1)
		})
	}
}

// TestCancelSyncedPage9de6dRefusalsAndForgeries: a verified answer without
// success but with an errorCode is that failure, sent once; an answer
// without success that is unsigned, signed with another key, addressed to
// another uuid or listing a code not asked for is unreadable.
func TestCancelSyncedPage9de6dRefusalsAndForgeries(t *testing.T) {
	t.Parallel()
	t.Run("errorCode", func(t *testing.T) {
		t.Parallel()
		c, _, cp := mockClient(t, ebuy.Config{}, func([]byte) (int, []byte) { return 200, printedSyncVoid(t, vecKey, "91", "") })
		_, err := cancelSynced(c)
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce)
		assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
		assert.Equal(t, "91", ce.Code)
		assert.Equal(t, "券码不能撤销核销", ce.Message)
		assert.Equal(t, couponkit.FaultClient, ce.Fault)
		assert.Len(t, cp.Bodies(), 1)
	})
	for _, tc := range []struct {
		name   string
		answer func(req []byte) []byte
	}{
		{"unsigned", func([]byte) []byte {
			b := printedSyncVoid(t, vecKey, "", syncVoidList)
			var m map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(b, &m))
			delete(m, "sign")
			out, err := json.Marshal(m)
			require.NoError(t, err)
			return out
		}},
		{"unsigned refusal", func([]byte) []byte {
			return []byte(`{"action":"codeVerifyVoidNotify","errorCode":"91","errorMessage":"券码不能撤销核销","timestamp":1715911200456}`)
		}},
		{"signed with another key", func([]byte) []byte { return printedSyncVoid(t, "another-secret", "", syncVoidList) }},
		{"another uuid", func([]byte) []byte {
			return printedSyncVoid(t, vecKey, "", syncVoidList, "uuid", `"20240517-ffffffffffffffffffffffffffffffff"`)
		}},
		{"a code not asked for", func([]byte) []byte {
			return printedSyncVoid(t, vecKey, "", `{"voidNotifyResultBOList":[{"code":"1031000000000000002","status":"00"}]}`)
		}},
		{"no content", func([]byte) []byte { return printedSyncVoid(t, vecKey, "", "") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) { return 200, tc.answer(req) },
				couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3}))
			_, err := cancelSynced(c)
			require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
			key, _ := couponkit.IdempotencyKey(err)
			assert.Equal(t, vecUUID, key)
			assert.Len(t, cp.Bodies(), 3)
		})
	}
}

// TestOnlySyncVoidAnswersMayLackSuccess: the other calls' pages print
// success and uuid, so a verified answer without them stays unreadable.
func TestOnlySyncVoidAnswersMayLackSuccess(t *testing.T) {
	t.Parallel()
	c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) {
		return 200, pageBody(t, vecKey, "action", `"codeVerifyVoidNotify"`, "timestamp", "1715911200456", "errorCode", `""`,
			"errorMessage", `""`, "content", `{"orderRemarks":"OO-1","status":"00","statusDesc":"撤销成功"}`, "signType", `"sha256"`)
	}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3}))
	_, err := c.VoidMerchantRedemption(context.Background(), &ebuy.VoidMerchantRedemptionRequest{RequestID: "V-0001", Code: "1031000000000000001"})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Len(t, cp.Bodies(), 3)
}

// TestCallToSyncVoidReadsPage9de6dAnswer: Client.Call on
// verify-syncVerifyVoidNotify reads the printed answer like the typed call.
func TestCallToSyncVoidReadsPage9de6dAnswer(t *testing.T) {
	t.Parallel()
	c, _, _ := mockClient(t, ebuy.Config{}, func([]byte) (int, []byte) { return 200, printedSyncVoid(t, vecKey, "", syncVoidList) })
	var out struct {
		List []struct{ Code string } `json:"voidNotifyResultBOList"`
	}
	_, err := c.Call(context.Background(), "verify-syncVerifyVoidNotify", map[string]any{"originalUuid": "T20240517-0001", "branId": "4339"}, &out)
	require.NoError(t, err)
	require.Len(t, out.List, 1)
	assert.Equal(t, "1031000000000000001", out.List[0].Code)
}

// TestCancelRedemptionReadsPageCfa08Answer: page cfa08 prints outerOrderId
// and createTime as the answer's first fields, beside content.
func TestCancelRedemptionReadsPageCfa08Answer(t *testing.T) {
	t.Parallel()
	c, _, _ := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) {
		return 200, pageBody(t, vecKey, "outerOrderId", `"OO-1"`, "createTime", "1715911200000", "action", `"verifyCancel"`,
			"success", "true", "errorCode", `""`, "errorMessage", `""`, "uuid", strconv.Quote(field(t, req, "uuid")),
			"timestamp", "1715911200456", "signType", `"sha256"`, "content", `{}`)
	})
	res, err := c.CancelRedemption(context.Background(), &ebuy.CancelRedemptionRequest{OriginalUUID: "20240517-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
	require.NoError(t, err)
	assert.Equal(t, "OO-1", res.OuterOrderID)
	assert.True(t, vecTime.Equal(res.CreateTime))
}

// TestFakeAnswersSyncVoidAsPrinted runs CancelSyncedRedemptions against the
// fake in the layout of page 9de6d: the answer has exactly the page's
// fields, the codes are restored, and a refusal is read from its errorCode.
func TestFakeAnswersSyncVoidAsPrinted(t *testing.T) {
	t.Parallel()
	fake := ebuytest.Start(t, ebuytest.Config{SyncVoidAnswer: ebuytest.SyncVoidAsPrinted})
	c, err := ebuy.NewClient(fake.ClientConfig(), couponkit.WithHTTPClient(fake.Client()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	codes := fake.SeedCodes(2, ebuy.StatusUnused)
	require.NoError(t, fake.RedeemAtTill("T-PRINTED-1", "1490", "shop", codes...))

	res, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-PRINTED-1"})
	require.NoError(t, err)
	require.Len(t, res.Codes, 2)
	st, _ := fake.Code(codes[0])
	assert.Equal(t, st.OuterOrderID, res.OuterOrderID)
	assert.False(t, res.CreateTime.IsZero())
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(res.Meta.Raw, &m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	assert.Equal(t, []string{"action", "content", "createTime", "errorCode", "errorMessage", "outerOrderId", "sign", "signType", "timestamp"}, keys)
	for _, code := range codes {
		st, _ := fake.Code(code)
		assert.Equal(t, ebuy.StatusUnused, st.Status)
	}

	_, err = c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-PRINTED-1"})
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, ebuy.ErrCodeInvalidTransition, ce.Code)
}

// a516aContent is makeCode's content in the naming of the 4.1 make
// notification, page a516a: items[].codeDetails[]{code, codeH5Url,
// codeMask, codePicUrl, searchCode, status, statusDesc, useTimes}, with
// validStart and validEnd as numbers.
const a516aContent = `{"appId":"ebuy1d0c0a81a9a4","codeCount":2,"createDate":1715911200000,"items":[{"activityId":"A-1","activityName":"夏日活动",` +
	`"brandSalePrice":2800,"codeCount":2,"codeDetails":[` +
	`{"code":"1031000000000000101","codeH5Url":"https://h5.example/101","codeMask":"1031****0101","codePicUrl":"https://pic.example/101.png","searchCode":"00000101","status":"00","statusDesc":"未使用","useTimes":1},` +
	`{"code":"1031000000000000102","codeH5Url":"https://h5.example/102","codeMask":"1031****0102","codePicUrl":"https://pic.example/102.png","searchCode":"00000102","status":"00","statusDesc":"未使用","useTimes":1}],` +
	`"ecouponType":"merchandiseCoupon","outerOrderItemId":"OI-1","productId":1031000000010741,"productName":"星巴克中杯饮品券","returnCode":"00","returnMessage":"成功",` +
	`"ticketId":1031000000010741,"ticketName":"星巴克中杯饮品券","ticketWhaleId":"1031000000010741","validEnd":1723910399000,"validStart":1715911200000}],` +
	`"orderRemark":"api_mock","outerOrderId":"OO-1","saleAppId":"ebuy1d0c0a81a9a4","saleChannelId":102410058,"userInfo":{},"uuid":"20240517-0123456789abcdef0123456789abcdef"}`

func TestMakeCodesReadsTheMakeNotifyNaming(t *testing.T) {
	t.Parallel()
	c, _, _ := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) { return 200, envelopeSuccess(t, req, a516aContent) })
	res, err := c.MakeCodes(context.Background(), &ebuy.MakeCodesRequest{OuterOrderID: "OO-1", OuterOrderItemID: "OI-1", TicketID: 1031000000010741, Count: 2})
	require.NoError(t, err)
	assert.Equal(t, "OO-1", res.OuterOrderID)
	assert.Equal(t, []ebuy.IssuedCode{
		{Code: "1031000000000000101", SearchCode: "00000101", Mask: "1031****0101", H5URL: "https://h5.example/101", PicURL: "https://pic.example/101.png",
			Status: ebuy.StatusUnused, StatusDescription: "未使用", UseTimes: 1},
		{Code: "1031000000000000102", SearchCode: "00000102", Mask: "1031****0102", H5URL: "https://h5.example/102", PicURL: "https://pic.example/102.png",
			Status: ebuy.StatusUnused, StatusDescription: "未使用", UseTimes: 1},
	}, res.Codes)
	assert.True(t, vecTime.Equal(res.ValidStart))
	assert.Equal(t, time.Date(2024, 8, 17, 23, 59, 59, 0, beijing).Unix(), res.ValidEnd.Unix())
}

// TestFakeAnswersMakeCodesInBothNamings: the codes the client reads are
// the order's, in either naming.
func TestFakeAnswersMakeCodesInBothNamings(t *testing.T) {
	t.Parallel()
	for _, naming := range []ebuytest.MakeAnswer{ebuytest.MakeAnswerItem, ebuytest.MakeAnswerItems} {
		fake := ebuytest.Start(t, ebuytest.Config{MakeAnswer: naming})
		c, err := ebuy.NewClient(fake.ClientConfig(), couponkit.WithHTTPClient(fake.Client()))
		require.NoError(t, err)
		res, err := c.MakeCodes(context.Background(), &ebuy.MakeCodesRequest{OuterOrderID: "OO-N", TicketID: ebuytest.DefaultProductID, Count: 2})
		require.NoError(t, err, naming)
		order, _ := fake.Order("OO-N")
		require.Len(t, res.Codes, 2)
		assert.Equal(t, order, []string{res.Codes[0].Code, res.Codes[1].Code})
		assert.Equal(t, order[0][len(order[0])-8:], res.Codes[0].SearchCode)
		assert.False(t, res.ValidEnd.IsZero())
		if naming == ebuytest.MakeAnswerItems {
			assert.Equal(t, ebuy.StatusUnused, res.Codes[0].Status)
			assert.NotEmpty(t, res.Codes[0].Mask)
		}
		_ = c.Close()
	}
}

// TestMakeCodesKeyedOnOuterOrderID: with MakeCodesDeduplicates the client
// retries makeCode with the same outerOrderId and uuid, and a fake that
// de-duplicates outerOrderId (as 4.0's MakeCode) answers the retry with the
// codes it issued the first time.
func TestMakeCodesKeyedOnOuterOrderID(t *testing.T) {
	t.Parallel()
	fake := ebuytest.Start(t, ebuytest.Config{MakeCodesDeduplicates: true})
	cfg := fake.ClientConfig()
	cfg.MakeCodesDeduplicates = true
	c, err := ebuy.NewClient(cfg, couponkit.WithHTTPClient(fake.Client()),
		couponkit.WithClock(testclock.New(vecTime)), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3}))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()

	fake.DropNextAfterWrite()
	res, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: "OO-K", TicketID: ebuytest.DefaultProductID, Count: 2})
	require.NoError(t, err)
	order, _ := fake.Order("OO-K")
	require.Len(t, order, 2, "issued once")
	assert.Equal(t, order, []string{res.Codes[0].Code, res.Codes[1].Code})
	reqs := fake.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, "OO-K", contentKeyOf("outerOrderId")(t, r.Body))
		assert.Equal(t, field(t, reqs[0].Body, "uuid"), field(t, r.Body, "uuid"))
	}

	// Another call for the same order, with its own uuid, gets the same codes.
	again, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: "OO-K", TicketID: ebuytest.DefaultProductID, Count: 2})
	require.NoError(t, err)
	assert.Equal(t, res.Codes, again.Codes)
	order, _ = fake.Order("OO-K")
	assert.Len(t, order, 2)
}
