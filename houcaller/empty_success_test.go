package houcaller_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/transport"
)

// The answers below are the vendor's examples with what each call exists for
// taken out: the codes a sale issued (sendMncardForSale's example
// data.list[]{cpnId, cpnCodes[]}) or the card it sold (the field table's
// record), the id of the consumption record stored (recordMemberCons's
// example), the code of each coupon listed (listCpnItemByMember's example)
// and of the coupon found (getLastSendCpnItem's fields).
const (
	okHead = `{"msg":"操作成功","code":0`
	// consumptionNoID is recordMemberCons's response example without its id.
	consumptionNoID = okHead + `,"data":{"scoRate":1,"srcObj":"hkl-test","cuser":"xxiao","checktime":"2022-02-15 15:30:10","bizDate":"2022-02-15 00:00:00","incHbbal":10,"posScore":10,"remark":"测试","cardNo":"9018046355443","mmbId":"K4H9095FA0008","score":0,"expScore":0,"orgCode":"1","srcId":"1234567890123","ctime":"2022-02-15 15:30:10","scoType":1,"scoreAmt":20,"consAmt":10,"amount":30,"gradeId":"5","realRate":1,"hbsBusiType":"-5","incScore":0,"ordertime":"2022-02-15 15:30:10","bizDateStr":"2022-02-15","payAmt":0,"oriId":"1234567890123456","ectnum":0,"expHbbal":0,"status":1}}`
	// couponNoCode is listCpnItemByMember's first example element without
	// its cpnCode.
	couponNoCode = `{"begDate":"2020-01-17","cacStatus":0,"content":"","cpnId":"","cpnName":"新会员20元全场券","cpnType":"0","cpnid":"H3UA24SI6830","cpnids":[],"endDate":"2020-04-15","id":"K1H93QDM600F0","mmbid":"K1H93QDKI00B7","openid":"oEv-It_aoh7mzEinzyPhnR0-uVc41","orgName":"","orgUse":0,"orgcode":"","picUrl":"/upload_img/20170718/170718_2021456830.jpg","sellScene":"reg","status":0,"timeLimit":"","useTime":"","weekLimit":""}`
	// lastSentNoCode is a getLastSendCpnItem coupon with the page's fields
	// but cpnCode.
	lastSentNoCode = okHead + `,"data":{"id":"K1H93QDM600F0","cpnId":"H3UA24SI6830","cpnName":"新会员20元全场券","cpnType":"0","mmbId":"K1H93QDKI00B7","status":0,"sellOrdno":"1234567892","sellTime":"2023-12-02 13:14:08","sellScene":"reg","useOrdno":"","useOrg":"","useTime":"","effTime":"2023-12-02 13:14:08","begDate":"2023-09-05","endDate":"2023-12-31","isStc":0}}`
)

// emptyCase is one typed call and a success answer that lacks what the call
// exists for.
type emptyCase struct {
	name   string
	write  bool
	keyed  bool
	op     string
	key    string
	answer string
	dedup  func(*houcaller.Config)
	call   func(ctx context.Context, c *houcaller.Client) error
	// applied counts what the fake applied.
	applied func(srv *houcallertest.Server) int
}

func emptyCases() []emptyCase {
	sell := func(ctx context.Context, c *houcaller.Client) error {
		_, err := c.SellCard(ctx, exampleSale())
		return err
	}
	record := func(ctx context.Context, c *houcaller.Client) error {
		_, err := c.RecordConsumption(ctx, exampleConsumption())
		return err
	}
	coupons := func(ctx context.Context, c *houcaller.Client) error {
		_, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: "K1H93QDKI00B7"})
		return err
	}
	lastSent := func(ctx context.Context, c *houcaller.Client) error {
		_, err := c.LastSentCoupon(ctx, &houcaller.LastSentCouponRequest{MemberID: "K1H93QDKI00B7", CouponID: "H3UA24SI6830"})
		return err
	}
	sales := func(srv *houcallertest.Server) int { return len(srv.Sales()) }
	records := func(srv *houcallertest.Server) int { return len(srv.Consumptions()) }
	saleDedup := func(cfg *houcaller.Config) { cfg.SaleNoDedup = true }
	var cases []emptyCase
	for _, a := range []struct{ name, body string }{
		{"data null", okHead + `,"data":null}`},
		{"no data", okHead + `}`},
		{"data {}", okHead + `,"data":{}}`},
		{"an empty list", okHead + `,"data":{"list":[]}}`},
		{"an item without codes", okHead + `,"data":{"list":[{"cpnCodes":[],"cpnId":"L68F353AD0019"}]}}`},
		{"an empty code", okHead + `,"data":{"list":[{"cpnCodes":[""],"cpnId":"L68F353AD0019"}]}}`},
	} {
		cases = append(cases,
			emptyCase{"SellCard unsafe, " + a.name, true, false, houcaller.EndpointSellCard, "1234567892", a.body, nil, sell, sales},
			emptyCase{"SellCard keyed, " + a.name, true, true, houcaller.EndpointSellCard, "1234567892", a.body, saleDedup, sell, sales})
	}
	return append(cases,
		emptyCase{"RecordConsumption, data null", true, false, houcaller.EndpointRecordConsumption, "S-20220215-0001", okHead + `,"data":null}`, nil, record, records},
		emptyCase{"RecordConsumption, no id", true, false, houcaller.EndpointRecordConsumption, "S-20220215-0001", consumptionNoID, nil, record, records},
		emptyCase{"MemberCoupons, data null", false, false, houcaller.EndpointListCouponsByMember, "", okHead + `,"data":null}`, nil, coupons, nil},
		emptyCase{"MemberCoupons, no list", false, false, houcaller.EndpointListCouponsByMember, "", okHead + `,"data":{}}`, nil, coupons, nil},
		emptyCase{"MemberCoupons, a coupon without its code", false, false, houcaller.EndpointListCouponsByMember, "", okHead + `,"data":{"list":[` + couponNoCode + `]}}`, nil, coupons, nil},
		emptyCase{"LastSentCoupon, a coupon without its code", false, false, houcaller.EndpointLastSentCoupons, "", lastSentNoCode, nil, lastSent, nil},
	)
}

const emptyAttempts = 3

// A success that lacks what the call exists for is not a definite answer: a
// write whose answer it is has an unknown outcome reporting its key (sent
// once when Unsafe, every attempt with the same key when Keyed; the fake
// applied it once), and a read is retried, then fails with the unreadable
// answer.
func TestSuccessWithoutItsDataIsUnreadable(t *testing.T) {
	t.Parallel()
	for _, tc := range emptyCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, tc.dedup, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: emptyAttempts}))
			for range emptyAttempts {
				srv.Inject(couponkittest.Fault{Status: http.StatusOK, Body: []byte(tc.answer), AfterHandler: tc.write,
					Header: http.Header{"Content-Type": {"application/json;charset=UTF-8"}}})
			}
			err := tc.call(context.Background(), c)
			require.Error(t, err)
			if tc.write {
				faulttest.Unknown(t, err, houcaller.Vendor, tc.op, tc.key)
				assert.Equal(t, faulttest.Sends(tc.keyed, emptyAttempts), srv.RequestCount())
				assert.Equal(t, 1, tc.applied(srv), "the write took effect once")
				return
			}
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
			assert.ErrorIs(t, err, transport.ErrUnreadable)
			assert.Equal(t, emptyAttempts, srv.RequestCount(), "a read is retried")
		})
	}
}

// Legitimately empty answers stay successes: a member without coupons (an
// empty list) and getLastSendCpnItem without a coupon (data null or {}:
// Found false), each from one request.
func TestLegitimatelyEmptyAnswersAreSuccesses(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil)
	res, err := c.MemberCoupons(context.Background(), &houcaller.MemberCouponsRequest{MemberID: "nobody"})
	require.NoError(t, err)
	assert.Empty(t, res.Coupons)
	assert.Equal(t, 1, res.Meta.Attempts)
	for _, body := range []string{okHead + `,"data":null}`, okHead + `,"data":{}}`, okHead + `}`} {
		srv.Inject(couponkittest.Fault{Status: http.StatusOK, Body: []byte(body)})
		got, err := c.LastSentCoupon(context.Background(), &houcaller.LastSentCouponRequest{MemberID: "m", CouponID: "X"})
		require.NoError(t, err, body)
		assert.False(t, got.Found, body)
		assert.Equal(t, 1, got.Meta.Attempts, body)
	}
}

// A read whose first answer is an empty success is retried, and the
// second, whole answer is its result.
func TestMemberCouponsRetriesASuccessWithoutItsList(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil)
	sale, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	srv.Inject(couponkittest.Fault{Status: http.StatusOK, Body: []byte(okHead + `,"data":null}`)})
	res, err := c.MemberCoupons(context.Background(), &houcaller.MemberCouponsRequest{MemberID: "L38E1ASJP00Q4"})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	require.Len(t, res.Coupons, 3)
	assert.Equal(t, sale.Codes(), []string{res.Coupons[0].Code, res.Coupons[1].Code, res.Coupons[2].Code})
}
