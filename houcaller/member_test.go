package houcaller_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

var bj = time.FixedZone("CST", 8*3600)

// exampleConsumption is the record of the vendor's recordMemberCons
// response example as a request.
func exampleConsumption() *houcaller.ConsumptionRequest {
	return &houcaller.ConsumptionRequest{
		SerialCode: "S-20220215-0001", MemberID: "K4H9095FA0008", OrderID: "1234567890123",
		Amount: 3000, PaidAmount: 2000, HaobiAmount: 1000,
		BizDate: time.Date(2022, 2, 15, 15, 30, 10, 0, bj), OrgCode: "1", Operator: "xxiao", Remark: "测试",
	}
}

// The vendor's listCpnItemByMember response example (its first element,
// res.easydoc.net/doc/14918009/B1gMpT0p/Dy0b64IB), copied from the page.
const memberCouponsAnswer = `{"msg":"操作成功","code":0,"data":{"list":[{"begDate":"2020-01-17","cacStatus":0,"content":"","cpnCode":"7270000006699","cpnId":"","cpnName":"新会员20元全场券","cpnType":"0","cpnid":"H3UA24SI6830","cpnids":[],"endDate":"2020-04-15","id":"K1H93QDM600F0","mmbid":"K1H93QDKI00B7","openid":"oEv-It_aoh7mzEinzyPhnR0-uVc41","orgName":"","orgUse":0,"orgcode":"","picUrl":"/upload_img/20170718/170718_2021456830.jpg","sellScene":"reg","status":0,"timeLimit":"","useTime":"","weekLimit":""},{"cpnCode":"7270200006680","cpnid":"H3UA24SI6831","status":"2","useTime":"2020-03-01 12:00:00"}]}}`

// A sold card's coupons appear in the member's list, with the statuses the
// tills and the fake's controls gave them; the read is retried after a 502.
func TestMemberCouponsListsTheSaleFromTheFake(t *testing.T) {
	t.Parallel()
	c, srv, clk := fakeClient(t, houcallertest.Config{}, nil)
	sale, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	codes := sale.Codes()
	require.Len(t, codes, 3)
	require.True(t, srv.UseCoupon(codes[0], "ORD-1", "1504", clk.Now()))
	require.True(t, srv.SetCouponStatus(codes[1], houcaller.CouponRefunded))

	srv.FailNextHTTP(http.StatusBadGateway, "bad gateway")
	res, err := c.MemberCoupons(context.Background(), &houcaller.MemberCouponsRequest{MemberID: "L38E1ASJP00Q4"})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts, "a read is retried")
	require.Len(t, res.Coupons, 3)
	for i, cp := range res.Coupons {
		assert.Equal(t, codes[i], cp.Code)
		assert.Equal(t, houcallertest.DefaultCardInfoID, cp.CouponID)
		assert.Equal(t, "L38E1ASJP00Q4", cp.MemberID)
		assert.Equal(t, time.Date(2021, 6, 16, 0, 0, 0, 0, bj).Unix(), cp.BeginDate.Unix(), "the sale's day")
	}
	assert.Equal(t, []houcaller.CouponStatus{houcaller.CouponRedeemed, houcaller.CouponRefunded, houcaller.CouponUnused},
		[]houcaller.CouponStatus{res.Coupons[0].Status, res.Coupons[1].Status, res.Coupons[2].Status})

	other, err := c.MemberCoupons(context.Background(), &houcaller.MemberCouponsRequest{MemberID: "nobody"})
	require.NoError(t, err)
	assert.Empty(t, other.Coupons)
}

// getLastSendCpnItem's answer, assembled from the example values of the
// vendor's field table (doc.yunucms.com/doc/33940347/DPGQ3E14/aZzQkUDx).
const lastSentAnswer = `{"msg":"操作成功","code":0,"data":{"di":14,"endDate":"2023-12-31","etCheckStatus":"2","mtime":"2023-12-02 13:15:15","mmbId":"NC2D0RH4EROS6","etTransactionPrice":0,"begDate":"2023-09-05","cpnName":"社群入群礼1元薯条券","ctime":"2023-12-02 13:14:08","useTime":"2023-12-02 13:15:20","id":"NC2D1AVSRSCG3","sellScene":"hkl-test","etCheckCount":1,"isStc":0,"useOrdno":"150420231202529451116","cpnType":"2","useOrg":"1504","etDiscountAmount":0,"effTime":"2023-12-02 13:14:08","cpnCode":"3459803073051","cpnId":"N95B0CN960I14","sellOrdno":"202312021314089IEF9YQPTS","sellTime":"2023-12-02 13:14:08","status":1}}`

// The coupon a sale issued, then used at a till: the lookup shows the sale
// order, and the use order, restaurant and time.
func TestLastSentCouponFollowsTheFake(t *testing.T) {
	t.Parallel()
	c, srv, clk := fakeClient(t, houcallertest.Config{}, nil)
	sale, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	req := &houcaller.LastSentCouponRequest{MemberID: "L38E1ASJP00Q4", CouponID: sale.Coupons[0].CouponID}

	got, err := c.LastSentCoupon(context.Background(), req)
	require.NoError(t, err)
	require.True(t, got.Found)
	last := sale.Coupons[0].Codes[2]
	assert.Equal(t, last, got.Code, "the latest of the item")
	assert.Equal(t, houcaller.CouponUnused, got.Status)
	assert.Equal(t, "1234567892", got.SaleOrderNo)
	assert.Empty(t, got.UseOrderNo)
	assert.True(t, got.UseTime.IsZero())

	usedAt := time.Date(2021, 6, 20, 12, 30, 0, 0, bj)
	require.True(t, srv.UseCoupon(last, "ORD-77", "1504", usedAt))
	clk.Advance(time.Minute)
	got, err = c.LastSentCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, houcaller.CouponRedeemed, got.Status)
	assert.Equal(t, "ORD-77", got.UseOrderNo)
	assert.Equal(t, "1504", got.UseShop)
	assert.True(t, usedAt.Equal(got.UseTime))

	require.True(t, srv.SetCouponStatus(last, houcaller.CouponGifting))
	got, err = c.LastSentCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, houcaller.CouponGifting, got.Status)

	none, err := c.LastSentCoupon(context.Background(), &houcaller.LastSentCouponRequest{MemberID: "L38E1ASJP00Q4", CouponID: "OTHER"})
	require.NoError(t, err)
	assert.False(t, none.Found)
}

// The vendor's recordMemberCons response example (field table values,
// res.easydoc.net/doc/14918009/B1gMpT0p/TvSt9Vxd).
const consumptionAnswer = `{"msg":"操作成功","code":0,"data":{"scoRate":1,"srcObj":"hkl-test","cuser":"xxiao","checktime":"2022-02-15 15:30:10","bizDate":"2022-02-15 00:00:00","incHbbal":10,"posScore":10,"remark":"测试","cardNo":"9018046355443","mmbId":"K4H9095FA0008","score":0,"expScore":0,"orgCode":"1","srcId":"1234567890123","ctime":"2022-02-15 15:30:10","scoType":1,"scoreAmt":20,"id":"620b5682d806f71fc46e4d72","consAmt":10,"amount":30,"gradeId":"5","realRate":1,"hbsBusiType":"-5","incScore":0,"ordertime":"2022-02-15 15:30:10","bizDateStr":"2022-02-15","payAmt":0,"oriId":"1234567890123456","ectnum":0,"expHbbal":0,"status":1}}`

// Optional fields are left out, remark is always sent, and BizDateLayout
// changes how bizDate is written.
func TestRecordConsumptionMinimalAndBizDateLayout(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{BizDateLayout: "2006-01-02"})
	var rec recorder
	mt.RegisterResponder(http.MethodPost, mockGateway+"/recordMemberCons", rec.responder(200, consumptionAnswer))
	_, err := c.RecordConsumption(context.Background(), &houcaller.ConsumptionRequest{
		SerialCode: "S<&>1", MemberID: "会员-1", OrderID: "O1", Amount: 5, PaidAmount: 0, HaobiAmount: 1234567,
		BizDate: time.Date(2022, 2, 14, 20, 0, 0, 0, time.UTC), // the 15th in Beijing
	})
	require.NoError(t, err)
	w := parseWire(t, []byte(rec.bodies[0]))
	assert.Equal(t, `{"consAmt":"12345.67","amount":"0.05","bizDate":"2022-02-15","srcId":"O1","scoreAmt":"0.00","remark":"","serialCode":"S<&>1","memberId":"会员-1"}`,
		string(decryptECB(t, testKey, w.Param)))
}

// Keyed (Config.SerialCodeDedup): a record retried after a 502 carries the
// same serialCode, here made by Config.NewKey, on every attempt.
func TestRecordConsumptionKeyedKeepsTheSerialCodeOnRetry(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{SerialCodeDedup: true, NewKey: func(time.Time) string { return "K-20220215" }})
	var rec recorder
	mt.RegisterResponder(http.MethodPost, mockGateway+"/recordMemberCons", rec.sequence(
		answer{http.StatusBadGateway, "bad gateway"}, answer{http.StatusOK, consumptionAnswer}))
	req := exampleConsumption()
	req.SerialCode = ""
	res, err := c.RecordConsumption(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "K-20220215", res.SerialCode)
	assert.Equal(t, 2, res.Meta.Attempts)
	require.Len(t, rec.bodies, 2)
	stamps := map[string]bool{}
	for _, b := range rec.bodies {
		w := parseWire(t, []byte(b))
		stamps[w.Timestamp] = true
		var p map[string]string
		require.NoError(t, json.Unmarshal(decryptECB(t, testKey, w.Param), &p))
		assert.Equal(t, "K-20220215", p["serialCode"])
	}
	assert.Len(t, stamps, 2, "every attempt is framed afresh")
}

// Unsafe (the default): a 502 after the request left is an unknown outcome
// carrying the serialCode, and the record is not sent again.
func TestRecordConsumptionUnsafeReportsTheSerialCode(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	var rec recorder
	mt.RegisterResponder(http.MethodPost, mockGateway+"/recordMemberCons", rec.responder(http.StatusBadGateway, "bad gateway"))
	_, err := c.RecordConsumption(context.Background(), exampleConsumption())
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok)
	assert.Equal(t, "S-20220215-0001", key)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// The fake records a consumption, refuses a repeated serialCode by default,
// and answers a repeat as the first with DedupConsumptions.
func TestRecordConsumptionInTheFake(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{}, nil)
	res, err := c.RecordConsumption(context.Background(), exampleConsumption())
	require.NoError(t, err)
	assert.Equal(t, int64(10), res.HaobiEarned, "one 豪币 per yuan of consAmt")
	assert.Equal(t, couponkit.Fen(3000), res.Amount)
	recs := srv.Consumptions()
	require.Len(t, recs, 1)
	assert.Equal(t, res.ID, recs[0].ID)
	assert.Equal(t, "S-20220215-0001", recs[0].SerialCode)
	assert.Equal(t, "2022-02-15 00:00:00", recs[0].BizDate)
	assert.Equal(t, "测试", recs[0].Remark)

	_, err = c.RecordConsumption(context.Background(), exampleConsumption())
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "2002", ce.Code)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "the gateway answered")
	recs = srv.Consumptions()
	require.Len(t, recs, 1, "a repeat is not recorded")
	assert.Equal(t, 1, recs[0].Repeats)

	dc, dsrv, _ := fakeClient(t, houcallertest.Config{DedupConsumptions: true}, func(cfg *houcaller.Config) { cfg.SerialCodeDedup = true })
	first, err := dc.RecordConsumption(context.Background(), exampleConsumption())
	require.NoError(t, err)
	again, err := dc.RecordConsumption(context.Background(), exampleConsumption())
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID)
	require.Len(t, dsrv.Consumptions(), 1)
	assert.Equal(t, 1, dsrv.Consumptions()[0].Repeats)
}

// The amounts of a stored record echo those sent, and its field table has
// them as required strings: an answer with an amount "" is unreadable (the
// record's outcome unknown, with its serialCode), not read as 0 yuan. A
// number or a string in yuan reads alike.
func TestRecordConsumptionEmptyAmountIsUnreadable(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	var rec recorder
	mt.RegisterResponder(http.MethodPost, mockGateway+"/recordMemberCons", rec.sequence(
		answer{200, strings.Replace(consumptionAnswer, `"amount":30`, `"amount":""`, 1)},
		answer{200, strings.Replace(consumptionAnswer, `"amount":30`, `"amount":"30.5"`, 1)}))
	_, err := c.RecordConsumption(context.Background(), exampleConsumption())
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, _ := couponkit.IdempotencyKey(err)
	assert.Equal(t, "S-20220215-0001", key)
	assert.Contains(t, err.Error(), "does not decode")

	res, err := c.RecordConsumption(context.Background(), exampleConsumption())
	require.NoError(t, err)
	assert.Equal(t, couponkit.Fen(3050), res.Amount)
	assert.Len(t, rec.bodies, 2)
}
