package zvcms_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// okWriteOffPage is doc3 id=472's answer, built from its table: bizId an
// int the vendor chose, cardIdList, userInfo.
const okWriteOffPage = `{"status":"true","code":"0","message":"核销成功","data":{"bizId":7001234567,` +
	`"cardIdList":["390913445498200065"],"userInfo":{"customer_id":383933091455959041,"birthday":"1990-01-01"}}}`

// TestWriteOffEveryPageField sends every request field of doc3 id=472
// (7.4.9 优惠券核销) and checks the bytes against the page's names and types:
// customerId, groupId, type, ext.channelType, ext.multiStoreId, useCount,
// amount and orderAmount as JSON numbers (int on the page), the store's code
// as ext.multiStoreMark (not storeCode), tradeMarks an array, thirdOrderNo and
// ext.reason strings.
func TestWriteOffEveryPageField(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	got := capture(mt, "writeOffCoupon", okWriteOffPage)
	res, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{
		BizID: "order-42", Channel: "naixue", CustomerID: "383933091455959041", GroupID: 1001,
		CardIDs:    []string{"390962138708451328"},
		Ext:        zvcms.WriteOffExt{ChannelType: zvcms.ChannelTypePOS, StoreID: 88, StoreCode: "S-0001", OrderNo: "O-1", Reason: "到店核销"},
		UseCount:   1,
		TradeMarks: []string{"SKU-1", "SKU-2"}, OrderAmount: 5800, Amount: 1000, ThirdOrderNo: "MT-20191015-1",
	})
	require.NoError(t, err)
	require.Len(t, *got, 1)
	assert.Equal(t, `{"bizId":"order-42","channel":"naixue","customerId":383933091455959041,"groupId":1001,`+
		`"couponsCardList":["390962138708451328"],`+
		`"ext":{"channelType":3,"multiStoreId":88,"multiStoreMark":"S-0001","orderNo":"O-1","reason":"到店核销"},`+
		`"useCount":1,"tradeMarks":["SKU-1","SKU-2"],"orderAmount":5800,"amount":1000,"thirdOrderNo":"MT-20191015-1"}`,
		string(parseRequest(t, (*got)[0]).Params))

	// The answer: the sent bizId stays the key, the returned one is exposed.
	assert.Equal(t, "order-42", res.BizID)
	assert.Equal(t, "7001234567", res.VendorBizID)
	assert.Equal(t, []string{"390913445498200065"}, res.CardIDs)
	assert.JSONEq(t, `{"bizId":7001234567,"cardIdList":["390913445498200065"],"userInfo":{"customer_id":383933091455959041,"birthday":"1990-01-01"}}`, string(res.Data))
}

// TestWriteOffScanCodes: type 1 sends scan codes, and customerId may be
// left out (the page: 当couponsCardList是扫码核销码时非必传).
func TestWriteOffScanCodes(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	got := capture(mt, "writeOffCoupon", okWriteOffPage)
	_, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{BizID: "B", Channel: "naixue", CardIDs: []string{"661234567890"}, ScanCodes: true})
	require.NoError(t, err)
	assert.Equal(t, `{"bizId":"B","channel":"naixue","couponsCardList":["661234567890"],"type":1,"orderAmount":0,"amount":0}`,
		string(parseRequest(t, (*got)[0]).Params))
}

// TestWriteOffIntegersOnTheWire: customerId and ext.channelType, int on the
// page, go as JSON numbers when they are decimal integers a Java long
// holds, and as strings otherwise (a leading zero, a sign, letters, beyond
// 2^63-1), so that no value is changed on the way.
func TestWriteOffIntegersOnTheWire(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"383933091455959041", `383933091455959041`},
		{"0", `0`},
		{"9223372036854775807", `9223372036854775807`},
		{"9223372036854775808", `"9223372036854775808"`},
		{"007", `"007"`},
		{"-1", `"-1"`},
		{"+1", `"+1"`},
		{"1e3", `"1e3"`},
		{"c-1", `"c-1"`},
		{" 1", `" 1"`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			c, mt := mock(t, zvcms.Config{})
			got := capture(mt, "writeOffCoupon", okWriteOffPage)
			_, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{BizID: "B", Channel: "ch", CustomerID: tc.in,
				CardIDs: []string{"A"}, Ext: zvcms.WriteOffExt{ChannelType: tc.in}})
			require.NoError(t, err)
			assert.Equal(t, `{"bizId":"B","channel":"ch","customerId":`+tc.want+`,"couponsCardList":["A"],"ext":{"channelType":`+tc.want+`},"orderAmount":0,"amount":0}`,
				string(parseRequest(t, (*got)[0]).Params))
		})
	}
}

// TestWriteOffPageRules: the page's rules on the new fields are checked
// before anything is sent.
func TestWriteOffPageRules(t *testing.T) {
	t.Parallel()
	valid := func() *zvcms.WriteOffRequest {
		return &zvcms.WriteOffRequest{BizID: "B", Channel: "ch", CustomerID: "1", CardIDs: []string{"A"}}
	}
	for _, tc := range []struct {
		mut   func(*zvcms.WriteOffRequest)
		field string
	}{
		// 次券核销时,只允许一个 / useCount: couponsCardList只允许一个.
		{func(r *zvcms.WriteOffRequest) { r.UseCount, r.CardIDs = 2, []string{"A", "B"} }, "CardIDs"},
		{func(r *zvcms.WriteOffRequest) { r.CustomerID = "" }, "CustomerID"},
		{func(r *zvcms.WriteOffRequest) { r.GroupID = -1 }, "GroupID"},
		{func(r *zvcms.WriteOffRequest) { r.Ext.StoreID = -1 }, "Ext.StoreID"},
		{func(r *zvcms.WriteOffRequest) { r.TradeMarks = []string{"SKU-1", " "} }, "TradeMarks[1]"},
		{func(r *zvcms.WriteOffRequest) { r.Ext.Extra = map[string]any{"multiStoreMark": "x"} }, "Ext.Extra"},
		{func(r *zvcms.WriteOffRequest) { r.Ext.Extra = map[string]any{"reason": "x"} }, "Ext.Extra"},
	} {
		c, mt := mock(t, zvcms.Config{})
		req := valid()
		tc.mut(req)
		_, err := c.WriteOffCoupon(context.Background(), req)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tc.field, ve.Field)
		assert.Zero(t, mt.GetTotalCallCount())
	}
	// storeCode is no typed field any more: a gateway that wants it gets it
	// through Extra.
	c, mt := mock(t, zvcms.Config{})
	got := capture(mt, "writeOffCoupon", okWriteOffPage)
	req := valid()
	req.Ext.Extra = map[string]any{"storeCode": "S1"}
	_, err := c.WriteOffCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Contains(t, string(parseRequest(t, (*got)[0]).Params), `"ext":{"storeCode":"S1"}`)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// TestReverseByTheReturnedBizID: a reversal built from a write-off's result
// goes by the bizId the vendor returned (冲正时以返回参数中的bizId为准), and an
// unknown outcome of it reports that bizId.
func TestReverseByTheReturnedBizID(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
	capture(mt, "writeOffCoupon", okWriteOffPage)
	res, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{BizID: "order-42", Channel: "naixue",
		CustomerID: "383933091455959041", CardIDs: []string{"390913445498200065"}})
	require.NoError(t, err)

	rev := res.ReverseRequest()
	assert.Equal(t, &zvcms.ReverseRequest{BizID: "7001234567"}, rev)
	got := capture(mt, "couponReverse", `{"status":"true","code":"0","message":"冲正成功"}`)
	_, err = c.ReverseWriteOff(context.Background(), rev)
	require.NoError(t, err)
	assert.Equal(t, `{"bizId":"7001234567"}`, string(parseRequest(t, (*got)[0]).Params))

	mt.RegisterResponder(http.MethodPost, mockGateway+"/v3/crm/coupon/couponReverse", httpmock.NewStringResponder(http.StatusBadGateway, "bad gateway"))
	_, err = c.ReverseWriteOff(context.Background(), rev)
	faulttest.Unknown(t, err, "zvcms", "couponReverse", "7001234567")

	// A result without the vendor's id (kept from older code) falls back on the key.
	assert.Equal(t, "order-42", (&zvcms.WriteOffResult{BizID: "order-42"}).ReverseRequest().BizID)
}

// TestReverseOnTheFakeByTheReturnedBizID: the fake returns its own bizId for
// a redemption; the reversal built from the result undoes it, and a fake
// that accepts only the returned bizId refuses the one the write-off was
// sent with.
func TestReverseOnTheFakeByTheReturnedBizID(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{ReverseByVendorBizID: true})
	cp := f.srv.AddCoupon(zvcms.Coupon{})
	ctx := context.Background()
	res, err := f.c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "order-42", Channel: zvcmstest.DefaultChannel,
		CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{cp.CardID}})
	require.NoError(t, err)
	require.NotEqual(t, res.BizID, res.VendorBizID)
	red := f.srv.Redemptions()
	require.Len(t, red, 1)
	assert.Equal(t, red[0].VendorBizID, res.VendorBizID)
	assert.Equal(t, []string{cp.CardID}, res.CardIDs)

	_, err = f.c.ReverseWriteOff(ctx, &zvcms.ReverseRequest{BizID: res.BizID})
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, zvcmstest.CodeWriteOffNotFound, e.Code)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))

	_, err = f.c.ReverseWriteOff(ctx, res.ReverseRequest())
	require.NoError(t, err)
	got, _ := f.srv.Coupon(cp.CardID)
	assert.Equal(t, zvcms.UseStatusUnused, got.UseStatus)
}
