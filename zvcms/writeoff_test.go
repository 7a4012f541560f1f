package zvcms_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

const okWriteOff = `{"status":"true","code":"0","message":"核销成功","data":{"bizId":"B1"}}`

func TestWriteOffWire(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	got := capture(mt, "writeOffCoupon", okWriteOff)
	res, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{
		BizID: "B1", Channel: "naixue", CustomerID: "383933091455959041",
		CardIDs: []string{"390913445498200065", "390913445498200066"},
		Ext: zvcms.WriteOffExt{ChannelType: "mini", OrderNo: "O-1", StoreCode: "S01",
			Extra: map[string]any{"table": 7, "note": "靠窗 \"A\""}},
		OrderAmount: 12345, Amount: 500,
	})
	require.NoError(t, err)
	require.Len(t, *got, 1)
	r := parseRequest(t, (*got)[0])
	assert.Equal(t, `{"bizId":"B1","channel":"naixue","customerId":383933091455959041,`+
		`"couponsCardList":["390913445498200065","390913445498200066"],`+
		`"ext":{"channelType":"mini","multiStoreMark":"S01","orderNo":"O-1","note":"靠窗 \"A\"","table":7},`+
		`"orderAmount":12345,"amount":500}`, string(r.Params))
	assert.Equal(t, "oid", r.OpenID)
	assert.Equal(t, "grant-secret", r.GrantCode)
	assert.Equal(t, "1547186244", r.Timestamp)
	assert.Equal(t, zvcms.DefaultToken("okey-secret", "oid", "grant-secret", r.Timestamp, r.Nonce), r.Token)
	assert.Equal(t, "B1", res.BizID)
	assert.JSONEq(t, `{"bizId":"B1"}`, string(res.Data))
	assert.Equal(t, 1, res.Meta.Attempts)
}

func TestWriteOffMinimalWireAndGeneratedBizID(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	got := capture(mt, "writeOffCoupon", `{"status":true,"code":0,"message":"ok","data":{"bizId":7001}}`)
	res, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{Channel: "ch", CustomerID: "c", CardIDs: []string{"A"}})
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{32}$`), res.BizID)
	assert.Equal(t, "7001", res.VendorBizID)
	r := parseRequest(t, (*got)[0])
	assert.Equal(t, `{"bizId":"`+res.BizID+`","channel":"ch","customerId":"c","couponsCardList":["A"],"orderAmount":0,"amount":0}`, string(r.Params))
}

func TestWriteOffValidation(t *testing.T) {
	t.Parallel()
	valid := func() *zvcms.WriteOffRequest {
		return &zvcms.WriteOffRequest{BizID: "B", Channel: "ch", CustomerID: "c", CardIDs: []string{"A", "B"}}
	}
	for _, tc := range []struct {
		mut   func(*zvcms.WriteOffRequest)
		field string
	}{
		{func(r *zvcms.WriteOffRequest) { r.BizID = " B" }, "BizID"},
		{func(r *zvcms.WriteOffRequest) { r.Channel = "" }, "Channel"},
		{func(r *zvcms.WriteOffRequest) { r.CustomerID = " " }, "CustomerID"},
		{func(r *zvcms.WriteOffRequest) { r.CardIDs = nil }, "CardIDs"},
		{func(r *zvcms.WriteOffRequest) { r.CardIDs = []string{"A", ""} }, "CardIDs[1]"},
		{func(r *zvcms.WriteOffRequest) { r.CardIDs = []string{"A", "B", "A"} }, "CardIDs[2]"},
		{func(r *zvcms.WriteOffRequest) { r.UseCount = -1 }, "UseCount"},
		{func(r *zvcms.WriteOffRequest) { r.OrderAmount = -1 }, "OrderAmount"},
		{func(r *zvcms.WriteOffRequest) { r.Amount = -5 }, "Amount"},
		{func(r *zvcms.WriteOffRequest) { r.Ext.Extra = map[string]any{"orderNo": "x"} }, "Ext.Extra"},
		{func(r *zvcms.WriteOffRequest) { r.Ext.Extra = map[string]any{"f": func() {}} }, "Ext.Extra[f]"},
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
	c, mt := mock(t, zvcms.Config{})
	_, err := c.WriteOffCoupon(context.Background(), nil)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "WriteOffRequest", ve.Field)
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestWriteOffRedeemsOnFake(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	a := f.srv.AddCoupon(zvcms.Coupon{})
	b := f.srv.AddCoupon(zvcms.Coupon{})
	req := &zvcms.WriteOffRequest{
		BizID: "order-1", Channel: zvcmstest.DefaultChannel, CustomerID: zvcmstest.DefaultCustomerID,
		CardIDs: []string{a.CardID, b.CardID}, Ext: zvcms.WriteOffExt{OrderNo: "O1", ChannelType: "pos", StoreCode: "S1"},
		OrderAmount: 5000, Amount: 1000,
	}
	res, err := f.c.WriteOffCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "order-1", res.BizID)
	for _, id := range []string{a.CardID, b.CardID} {
		cp, ok := f.srv.Coupon(id)
		require.True(t, ok)
		assert.Equal(t, zvcms.UseStatusRedeemed, cp.UseStatus)
	}
	reds := f.srv.Redemptions()
	require.Len(t, reds, 1)
	assert.Equal(t, "order-1", reds[0].BizID)
	assert.Equal(t, []string{a.CardID, b.CardID}, reds[0].CardIDs)
	assert.Equal(t, "O1", reds[0].OrderNo)
	assert.Equal(t, "pos", reds[0].ChannelType)
	assert.Equal(t, "S1", reds[0].StoreCode)
	assert.Zero(t, reds[0].UseCount)
	assert.Equal(t, couponkit.Fen(5000), reds[0].OrderAmount)
	assert.Equal(t, couponkit.Fen(1000), reds[0].Amount)

	// The same request again is answered as the first time, without acting.
	res2, err := f.c.WriteOffCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, string(res.Data), string(res2.Data))
	reds = f.srv.Redemptions()
	require.Len(t, reds, 1)
	assert.Equal(t, 1, reds[0].Replays)
}

func TestWriteOffRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	redeemed := f.srv.AddCoupon(zvcms.Coupon{UseStatus: zvcms.UseStatusRedeemed})
	frozen := f.srv.AddCoupon(zvcms.Coupon{})
	require.True(t, f.srv.SetUseStatus(frozen.CardID, zvcms.UseStatusFrozen))
	deleted := f.srv.AddCoupon(zvcms.Coupon{UseStatus: zvcms.UseStatusDeleted})
	expired := f.srv.AddCoupon(zvcms.Coupon{EndAt: epoch.Add(-1)})
	future := f.srv.AddCoupon(zvcms.Coupon{BeginAt: epoch.AddDate(0, 0, 1)})
	other := f.srv.AddCoupon(zvcms.Coupon{CustomerID: "someone else"})
	otherChannel := f.srv.AddCoupon(zvcms.Coupon{Channel: "another"})
	fine := f.srv.AddCoupon(zvcms.Coupon{})
	for _, tc := range []struct {
		name, card, code string
	}{
		{"already redeemed", redeemed.CardID, zvcmstest.CodeCouponRedeemed},
		{"frozen", frozen.CardID, zvcmstest.CodeCouponFrozen},
		{"deleted", deleted.CardID, zvcmstest.CodeCouponUnusable},
		{"expired", expired.CardID, zvcmstest.CodeCouponExpired},
		{"not yet valid", future.CardID, zvcmstest.CodeCouponNotStarted},
		{"another customer's", other.CardID, zvcmstest.CodeCouponNotFound},
		{"unknown", "nope", zvcmstest.CodeCouponNotFound},
		{"another channel's", otherChannel.CardID, zvcmstest.CodeWrongChannel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{
				Channel: zvcmstest.DefaultChannel, CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{fine.CardID, tc.card}})
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, couponkit.FaultClient, e.Fault)
			assert.Equal(t, "writeOffCoupon", e.Operation)
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
		})
	}
	cp, _ := f.srv.Coupon(fine.CardID)
	assert.Equal(t, zvcms.UseStatusUnused, cp.UseStatus, "a refused redemption redeems nothing")
	cp, _ = f.srv.Coupon(expired.CardID)
	assert.Equal(t, zvcms.UseStatusInvalid, cp.UseStatus)
	assert.Empty(t, f.srv.Redemptions())
}

// TestWriteOffRetryKeepsBizID: a redemption retried after a 502 carries the
// same bizId and params, with a fresh nonce and token.
func TestWriteOffRetryKeepsBizID(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	cp := f.srv.AddCoupon(zvcms.Coupon{})
	f.srv.FailNextHTTP(http.StatusBadGateway, "unavailable")
	f.srv.FailNextSystem("50300", "系统繁忙")
	res, err := f.c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{
		Channel: zvcmstest.DefaultChannel, CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{cp.CardID}})
	require.NoError(t, err)
	assert.Equal(t, 3, res.Meta.Attempts)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 3)
	first := parseRequest(t, reqs[0].Body)
	assert.Contains(t, string(first.Params), `"bizId":"`+res.BizID+`"`)
	for _, r := range reqs[1:] {
		b := parseRequest(t, r.Body)
		assert.Equal(t, string(first.Params), string(b.Params), "params are byte-identical across attempts")
		assert.NotEqual(t, first.Nonce, b.Nonce)
		assert.NotEqual(t, first.Token, b.Token)
	}
	red := f.srv.Redemptions()
	require.Len(t, red, 1)
	assert.Equal(t, res.BizID, red[0].BizID)
}

// TestWriteOffUnknownOutcome: when every attempt's answer is lost, the error
// matches ErrUnknownOutcome and carries the bizId; the fake applied the
// redemption once, and sending the same bizId again is answered as applied.
func TestWriteOffUnknownOutcome(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
	cp := f.srv.AddCoupon(zvcms.Coupon{})
	f.srv.DropNextAfterWrite()
	f.srv.DropNextAfterWrite()
	req := &zvcms.WriteOffRequest{Channel: zvcmstest.DefaultChannel, CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{cp.CardID}}
	_, err := f.c.WriteOffCoupon(context.Background(), req)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	require.Regexp(t, `^[0-9a-f]{32}$`, key)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, "bizId", u.KeyName)
	assert.Equal(t, 2, u.Attempts)
	assert.Equal(t, "writeOffCoupon", u.Operation)
	assert.Contains(t, err.Error(), key)
	for _, r := range f.srv.Requests() {
		assert.Contains(t, string(parseRequest(t, r.Body).Params), `"bizId":"`+key+`"`)
	}
	red := f.srv.Redemptions()
	require.Len(t, red, 1)
	assert.Equal(t, key, red[0].BizID)
	assert.Equal(t, 1, red[0].Replays)

	req.BizID = key
	res, err := f.c.WriteOffCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, key, res.BizID)
	assert.Equal(t, 2, f.srv.Redemptions()[0].Replays)
}

func TestWriteOffUnknownOutcomeOn5xx(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
	respond(mt, "writeOffCoupon", http.StatusInternalServerError, "oops")
	_, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{BizID: "K-9", Channel: "ch", CustomerID: "c", CardIDs: []string{"A"}})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, _ := couponkit.IdempotencyKey(err)
	assert.Equal(t, "K-9", key)
	assert.Equal(t, 2, mt.GetTotalCallCount())
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))
}

// TestNewKeyHookMakesTheBizID: Config.NewKey makes the bizId of a
// redemption that names none, from the client's clock; a given BizID wins,
// and a generated key with spaces is refused before sending.
func TestNewKeyHookMakesTheBizID(t *testing.T) {
	t.Parallel()
	var got []time.Time
	c, mt := mock(t, zvcms.Config{OpenID: "o", OpenKey: "k", GrantCode: "g", NewKey: func(now time.Time) string {
		got = append(got, now)
		return "biz-" + now.UTC().Format("20060102150405")
	}})
	bodies := capture(mt, "writeOffCoupon", okWriteOff)
	res, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{Channel: "ch", CustomerID: "c", CardIDs: []string{"A"}})
	require.NoError(t, err)
	assert.Equal(t, "biz-20190111055724", res.BizID, "from the client's clock (2019-01-11 13:57:24 in Beijing)")
	require.Len(t, got, 1)
	assert.Contains(t, string(parseRequest(t, (*bodies)[0]).Params), `"bizId":"biz-20190111055724"`)

	res, err = c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{BizID: "mine", Channel: "ch", CustomerID: "c", CardIDs: []string{"A"}})
	require.NoError(t, err)
	assert.Equal(t, "mine", res.BizID)
	assert.Len(t, got, 1, "not called when BizID is given")

	bad, mt2 := mock(t, zvcms.Config{OpenID: "o", OpenKey: "k", GrantCode: "g", NewKey: func(time.Time) string { return " x " }})
	_, err = bad.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{Channel: "ch", CustomerID: "c", CardIDs: []string{"A"}})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "BizID", ve.Field)
	assert.Zero(t, mt2.GetTotalCallCount())
}

// TestResultsDoNotEncodeTheRawBody: Meta (which keeps the raw answer) is
// left out of the JSON of every result type.
func TestResultsDoNotEncodeTheRawBody(t *testing.T) {
	t.Parallel()
	meta := couponkit.Meta{RequestID: "R-1", HTTPStatus: 200, Attempts: 1, Raw: []byte(`{"raw":"RAWBODY"}`)}
	for _, v := range []any{
		zvcms.CustomerCoupons{Coupons: []zvcms.Coupon{{CardID: "A"}}, Meta: meta},
		zvcms.WriteOffResult{BizID: "B", Data: json.RawMessage(`{"x":1}`), Meta: meta},
	} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "RAWBODY")
		assert.NotContains(t, string(b), "R-1")
		assert.NotContains(t, string(b), "Meta")
	}
}
