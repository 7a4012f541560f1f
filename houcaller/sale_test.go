package houcaller_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/leakcheck"
	"github.com/couponkit/couponkit/internal/testclock"
)

func TestSellCardOnFake(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	require.Len(t, res.Coupons, 1)
	assert.Equal(t, "L68F353AD0019", res.Coupons[0].CouponID)
	assert.Equal(t, []string{"HKC0000000002", "HKC0000000003", "HKC0000000004"}, res.Codes())
	assert.Nil(t, res.Card, "the default shape is the response example's list")
	assert.Equal(t, 1, res.Meta.Attempts)
	assert.Equal(t, http.StatusOK, res.Meta.HTTPStatus)

	sale, ok := srv.Sale("1234567892")
	require.True(t, ok)
	assert.Equal(t, "L38E1ASJP00Q4", sale.MemberID)
	assert.Equal(t, "526", sale.SaleOrgCode)
	assert.Equal(t, "1345", sale.SaleUser)
	assert.Equal(t, 3, sale.Count)
	assert.Equal(t, "2021-06-16 16:02:15", sale.SaleTime.Format("2006-01-02 15:04:05"), "Beijing wall time")
	coupons := srv.Coupons("L38E1ASJP00Q4")
	require.Len(t, coupons, 3)
	assert.Equal(t, houcaller.CouponUnused, coupons[0].Status)

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "sendMncardForSale", reqs[0].API)
}

// The member-card record of the vendor's field table, written by hand, with
// the leniencies the decoder allows (numbers as strings and back).
func TestSellCardDecodesFieldTableRecord(t *testing.T) {
	t.Parallel()
	body := `{"msg":"操作成功","code":"0","data":{
		"cardInfoId":"L68F353AD0019",
		"memberUsedList":[{"lastCycle":2,"saleOrgCode":"526","totalUsedNum":"48","lastCycleUsed":1,"posid":"P526",
			"cycleDays":30,"saleUser":"1345","cardProductName":"名牛卡 月享","createTime":1623830535000,
			"memberCardId":"MC1","cycleNum":4,"hasUsedNum":5,"lockVersion":3,"cardProductId":"CP9",
			"createUser":"api","beginTime":1623830535000,"endTime":"1655366535000","id":"MU1","memberId":"L38E1ASJP00Q4","status":"2"}],
		"saleOrgCode":"526","payAmt":11.22,"saleNo":"1234567892","saleTime":1623830535000,"saleUser":"1345",
		"createTime":1623830536000,"saleChannel":"hkl-test","lockVersion":"1","createUser":"api",
		"beginTime":1623830535,"endTime":"2022-06-16 16:02:15","id":123456789012345678,"memberId":"L38E1ASJP00Q4","status":"1"}}`
	c, mt, _ := mockClient(t, houcaller.Config{})
	mt.RegisterResponder("POST", saleURL, httpmock.NewStringResponder(200, body))
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	assert.Empty(t, res.Coupons)
	require.NotNil(t, res.Card)
	card := res.Card
	bj := time.FixedZone("", 8*3600)
	assert.Equal(t, "123456789012345678", card.ID, "a numeric id keeps every digit")
	assert.Equal(t, "L68F353AD0019", card.CardInfoID)
	assert.Equal(t, "L38E1ASJP00Q4", card.MemberID)
	assert.Equal(t, houcaller.CardActive, card.Status)
	assert.Equal(t, "active", card.Status.String())
	assert.Equal(t, couponkit.Fen(1122), card.PayAmount)
	assert.Equal(t, "1234567892", card.SaleNo)
	assert.Equal(t, "526", card.SaleOrgCode)
	assert.Equal(t, "1345", card.SaleUser)
	assert.Equal(t, "hkl-test", card.SaleChannel)
	assert.Equal(t, "api", card.CreateUser)
	assert.Equal(t, int64(1), card.LockVersion)
	assert.True(t, card.SaleTime.Equal(time.Date(2021, 6, 16, 16, 2, 15, 0, bj)))
	assert.Equal(t, "+0800", card.SaleTime.Format("-0700"), "returned in Beijing time")
	assert.True(t, card.CreateTime.Equal(time.Date(2021, 6, 16, 16, 2, 16, 0, bj)))
	assert.True(t, card.BeginTime.Equal(time.Date(2021, 6, 16, 16, 2, 15, 0, bj)), "10 digits read as seconds")
	assert.True(t, card.EndTime.Equal(time.Date(2022, 6, 16, 16, 2, 15, 0, bj)), "a Beijing time string")
	require.Len(t, card.Products, 1)
	p := card.Products[0]
	assert.Equal(t, houcaller.CardProduct{
		ID: "MU1", MemberCardID: "MC1", MemberID: "L38E1ASJP00Q4", CardProductID: "CP9", CardProductName: "名牛卡 月享",
		Status: houcaller.CardInactive, SaleOrgCode: "526", PosID: "P526", SaleUser: "1345",
		CycleDays: 30, UsesPerCycle: 4, LastCycle: 2, LastCycleUses: 1, TotalUses: 48, UsedCount: 5,
		BeginTime: p.BeginTime, EndTime: p.EndTime, CreateTime: p.CreateTime, CreateUser: "api", LockVersion: 3,
	}, p)
	assert.True(t, p.BeginTime.Equal(time.Date(2021, 6, 16, 16, 2, 15, 0, bj)))
	assert.True(t, p.EndTime.Equal(time.Date(2022, 6, 16, 16, 2, 15, 0, bj)))
}

func TestSellCardBothShapesFromFake(t *testing.T) {
	t.Parallel()
	now := time.Date(2021, 6, 16, 16, 3, 0, 0, time.FixedZone("", 8*3600))
	c, _, _ := fakeClient(t, houcallertest.Config{Shape: houcallertest.DataBoth, Clock: testclock.New(now)}, nil)
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	assert.Len(t, res.Codes(), 3)
	require.NotNil(t, res.Card)
	assert.Equal(t, "MC0000000001", res.Card.ID)
	assert.Equal(t, "1234567892", res.Card.SaleNo)
	assert.Equal(t, houcaller.CardActive, res.Card.Status)
	assert.True(t, res.Card.CreateTime.Equal(now))
	assert.True(t, res.Card.EndTime.Equal(exampleSale().SaleTime.AddDate(0, 0, 365)))
	require.Len(t, res.Card.Products, 1)
	assert.Equal(t, "MC0000000001", res.Card.Products[0].MemberCardID)
	assert.Equal(t, 4, res.Card.Products[0].UsesPerCycle)
	assert.Equal(t, 30, res.Card.Products[0].CycleDays)
}

// A dropped connection after the sale took effect: the outcome is unknown,
// the error carries the saleNo, and no second request is sent.
func TestDroppedAfterSaleIsUnknownOutcomeAndNotResent(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
	srv.DropNextAfterWrite()
	res, err := c.SellCard(context.Background(), exampleSale())
	assert.Nil(t, res)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	assert.Equal(t, "1234567892", key)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, "saleNo", u.KeyName)
	assert.Equal(t, "houcaller", u.Vendor)
	assert.Equal(t, "sendMncardForSale", u.Operation)
	assert.Equal(t, 1, u.Attempts)
	assert.Equal(t, 1, srv.RequestCount(), "exactly one request")
	assert.Len(t, srv.Sales(), 1, "the sale took effect once")
}

func TestServerErrorOnSaleIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
	srv.FailNextHTTP(http.StatusBadGateway, "bad gateway")
	_, err := c.SellCard(context.Background(), exampleSale())
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, http.StatusBadGateway, ce.HTTPStatus)
	assert.Equal(t, 1, srv.RequestCount())
}

// With Config.SaleNoDedup the sale is retried with the same saleNo, and the
// gateway's de-duplication answers the retry with the first sale's codes.
func TestSaleNoDedupRetriesAndFakeDeduplicates(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{}, func(cfg *houcaller.Config) { cfg.SaleNoDedup = true })
	srv.DropNextAfterWrite()
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	first, second := parseWire(t, reqs[0].Body), parseWire(t, reqs[1].Body)
	assert.Equal(t, first.Param, second.Param)
	sales := srv.Sales()
	require.Len(t, sales, 1, "one sale")
	assert.Equal(t, 1, sales[0].Replays)
	assert.Equal(t, sales[0].Coupons[0].Codes, res.Codes(), "the retry is answered with the first sale's codes")
	assert.Len(t, srv.Coupons("L38E1ASJP00Q4"), 3)
}

// A request that never left (a dial failure) is sent again with the same saleNo.
func TestSaleNeverSentIsRetried(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	var rec recorder
	ok := rec.responder(200, listAnswer)
	calls := 0
	mt.RegisterResponder("POST", saleURL, func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("dial tcp: connection refused")
		}
		return ok(r)
	})
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	assert.Equal(t, 2, calls)
}

// A sale the gateway holds beyond the client's per-attempt timeout has an
// unknown outcome and is not sent again. The in-memory fake runs inside a
// synctest bubble: the timeout fires on the bubble's clock only once every
// goroutine is blocked, that is once the fake holds the written request, so
// a loaded machine cannot make it expire before the request left.
func TestDelayBeyondTimeoutIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil, couponkit.WithTimeout(time.Second))
		srv.DelayNext(time.Minute)
		_, err := c.SellCard(context.Background(), exampleSale())
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
		key, ok := couponkit.IdempotencyKey(err)
		require.True(t, ok)
		assert.Equal(t, "1234567892", key)
		synctest.Wait() // the held handler saw the client leave
		assert.Equal(t, 1, srv.RequestCount())
		assert.Empty(t, srv.Sales(), "the delayed request was never handled")
	})
}

// An empty SaleNo is made by Config.NewKey from the client's clock and
// reported in the result; the default is the Beijing date and 16 hex digits.
func TestSaleNoMadeFromTheClientsClock(t *testing.T) {
	t.Parallel()
	t.Run("default", func(t *testing.T) {
		t.Parallel()
		c, srv, _ := fakeClient(t, houcallertest.Config{}, nil) // the clock reads 2021-06-17 09:38 Beijing
		req := exampleSale()
		req.SaleNo = ""
		res, err := c.SellCard(context.Background(), req)
		require.NoError(t, err)
		assert.Regexp(t, `^20210617[0-9a-f]{16}$`, res.SaleNo)
		_, ok := srv.Sale(res.SaleNo)
		assert.True(t, ok, "the sale was sent under the reported saleNo")
	})
	t.Run("hook", func(t *testing.T) {
		t.Parallel()
		var seen []time.Time
		c, srv, _ := fakeClient(t, houcallertest.Config{}, func(cfg *houcaller.Config) {
			cfg.NewKey = func(now time.Time) string { seen = append(seen, now); return "S-" + now.UTC().Format("150405") }
		})
		req := exampleSale()
		req.SaleNo = ""
		srv.DropNextAfterWrite()
		_, err := c.SellCard(context.Background(), req)
		key, ok := couponkit.IdempotencyKey(err)
		require.True(t, ok)
		assert.Equal(t, "S-013836", key, "an unknown outcome reports the made saleNo")
		require.Len(t, seen, 1)
		assert.True(t, seen[0].Equal(time.UnixMilli(1623893916291)))
		res, err := c.SellCard(context.Background(), exampleSale())
		require.NoError(t, err)
		assert.Equal(t, "1234567892", res.SaleNo, "a given saleNo is used as is")
		assert.Len(t, seen, 1)
	})
}

// Amounts and times the wire cannot carry are refused before sending.
func TestSellCardRefusesWhatTheWireCannotCarry(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	var rec recorder
	mt.RegisterResponder("POST", saleURL, rec.responder(200, listAnswer))
	bj := time.FixedZone("", 8*3600)
	cases := []struct {
		field string
		mod   func(r *houcaller.SellCardRequest)
	}{
		{"PayAmount", func(r *houcaller.SellCardRequest) { r.PayAmount = 10000000000000000_00 }}, // 17 integer digits
		{"PayAmount", func(r *houcaller.SellCardRequest) { r.PayAmount = -1 }},
		{"SaleTime", func(r *houcaller.SellCardRequest) { r.SaleTime = time.Date(10000, 1, 1, 0, 0, 0, 0, bj) }},
		{"SaleTime", func(r *houcaller.SellCardRequest) { r.SaleTime = time.Date(9999, 12, 31, 20, 0, 0, 0, time.UTC) }}, // 10000-01-01 in Beijing
		{"SaleTime", func(r *houcaller.SellCardRequest) { r.SaleTime = time.Date(-1, 1, 1, 0, 0, 0, 0, bj) }},
	}
	for _, tc := range cases {
		req := exampleSale()
		tc.mod(req)
		_, err := c.SellCard(context.Background(), req)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tc.field, ve.Field)
	}
	assert.Zero(t, mt.GetTotalCallCount())

	// The edges that fit are sent as written.
	req := exampleSale()
	req.PayAmount = 9999999999999999_99
	req.SaleTime = time.Date(9999, 12, 31, 23, 59, 59, 0, bj)
	_, err := c.SellCard(context.Background(), req)
	require.NoError(t, err)
	req = exampleSale()
	req.SaleTime = time.Date(0, 1, 1, 0, 0, 0, 0, bj)
	_, err = c.SellCard(context.Background(), req)
	require.NoError(t, err)
	require.Len(t, rec.bodies, 2)
	first := string(decryptECB(t, testKey, parseWire(t, []byte(rec.bodies[0])).Param))
	assert.Contains(t, first, `"saleTime":"9999-12-31 23:59:59"`)
	assert.Contains(t, first, `"payAmt":"9999999999999999.99"`)
	assert.Contains(t, string(decryptECB(t, testKey, parseWire(t, []byte(rec.bodies[1])).Param)), `"saleTime":"0000-01-01 00:00:00"`)
}

func TestClientAndFakeCloseLeaveNoGoroutine(t *testing.T) {
	leakcheck.Check(t)
	srv := houcallertest.NewServer(houcallertest.Config{})
	c, err := houcaller.NewClient(srv.ClientConfig())
	require.NoError(t, err)
	srv.DropNextAfterWrite()
	_, err = c.SellCard(context.Background(), exampleSale())
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	req := exampleSale()
	req.SaleNo = "second"
	_, err = c.SellCard(context.Background(), req)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	srv.Close()
}

func TestConcurrentSales(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
	const n = 12
	results := make(chan []string, n)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			req := exampleSale()
			req.SaleNo = ""
			req.Count = 1 + i%3
			res, err := c.SellCard(context.Background(), req)
			if err != nil {
				errs <- err
				return
			}
			results <- res.Codes()
		}()
	}
	seen := map[string]bool{}
	for range n {
		select {
		case err := <-errs:
			t.Fatal(err)
		case codes := <-results:
			for _, code := range codes {
				assert.False(t, seen[code], "code %s issued twice", code)
				seen[code] = true
			}
		}
	}
	assert.Len(t, srv.Sales(), n)
	assert.Len(t, seen, 4*(1+2+3))
	assert.Len(t, srv.Coupons("L38E1ASJP00Q4"), len(seen))
}

func TestFakeDeduplicatesBySaleNo(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
	first, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	second, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	assert.Equal(t, first.Codes(), second.Codes())
	assert.Equal(t, 2, srv.RequestCount())
	sales := srv.Sales()
	require.Len(t, sales, 1)
	assert.Equal(t, 1, sales[0].Replays)
	sales[0].Coupons[0].Codes[0] = "changed"
	again, _ := srv.Sale("1234567892")
	assert.Equal(t, first.Codes()[0], again.Coupons[0].Codes[0], "Sales returns copies")
}

// TestSellCardRetryLeavesNoStaleData: every answer is decoded afresh, so an
// earlier attempt's data (here on a 502 that is retried) never shows in the
// result of the attempt that succeeded.
func TestSellCardRetryLeavesNoStaleData(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{SaleNoDedup: true})
	var rec recorder
	mt.RegisterResponder(http.MethodPost, saleURL, rec.sequence(
		answer{http.StatusBadGateway, `{"msg":"","code":0,"data":{"id":"STALE","list":[{"cpnId":"STALE","cpnCodes":["X"]}]}}`},
		answer{http.StatusOK, `{"msg":"操作成功","code":0,"data":{"list":[{"cpnId":"L68F353AD0019","cpnCodes":["FRESH"]}]}}`}))
	res, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	assert.Equal(t, []houcaller.IssuedCoupon{{CouponID: "L68F353AD0019", Codes: []string{"FRESH"}}}, res.Coupons)
	assert.Nil(t, res.Card)
}
