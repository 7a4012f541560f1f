package houcaller_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/transport"
)

// newRead is one of the new reads, with what the fake must hold for it to
// answer something.
type newRead struct {
	name, op string
	seed     func(srv *houcallertest.Server)
	call     func(ctx context.Context, c *houcaller.Client) (n int, err error)
}

var december = time.Date(2023, 12, 2, 0, 0, 0, 0, bj)

func newReads() []newRead {
	return []newRead{
		{"MemberStoredValueCards", houcaller.EndpointListMemberCards,
			func(srv *houcallertest.Server) {
				srv.AddStoredValueCard("K1H93QDKI00B7", houcaller.StoredValueCard{CardNo: "9590004727313", CardType: "959", FaceValue: 100000, Balance: 55050})
			},
			func(ctx context.Context, c *houcaller.Client) (int, error) {
				res, err := c.MemberStoredValueCards(ctx, &houcaller.StoredValueCardsRequest{MemberID: "K1H93QDKI00B7"})
				if err != nil {
					return 0, err
				}
				return len(res.Cards), nil
			}},
		{"PromotionCoupons", houcaller.EndpointPromotionCoupons,
			func(srv *houcallertest.Server) {
				srv.SetPromotion("0101", "958", []houcaller.PromotionCoupon{{ID: "JCUG0K10A53U8", Name: "CAS调研薯条免费券"}})
			},
			func(ctx context.Context, c *houcaller.Client) (int, error) {
				res, err := c.PromotionCoupons(ctx, &houcaller.PromotionCouponsRequest{OrgCode: "0101", CardType: "958"})
				if err != nil {
					return 0, err
				}
				return len(res.Coupons), nil
			}},
		{"PointsLedgerPage", houcaller.EndpointPointsLedger,
			func(srv *houcallertest.Server) {
				srv.AddPointsRecord("NC2D0RH4EROS6", houcaller.PointsRecord{ID: "r1", BizDate: december, PointsEarned: 10})
			},
			func(ctx context.Context, c *houcaller.Client) (int, error) {
				res, err := c.PointsLedgerPage(ctx, &houcaller.PointsPageRequest{Member: "NC2D0RH4EROS6", Month: december})
				if err != nil {
					return 0, err
				}
				return len(res.Records), nil
			}},
	}
}

// A read is retried under every answer that is not a definite one, and the
// next, good answer is its result: two requests.
func TestNewReadsRetryAmbiguousAnswers(t *testing.T) {
	t.Parallel()
	for _, r := range newReads() {
		for _, f := range faults {
			t.Run(r.name+"/"+f.Name, func(t *testing.T) {
				t.Parallel()
				underFault(t, f, func(t *testing.T, inMemory bool) {
					c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: inMemory}, nil,
						couponkit.WithTimeout(attemptTimeout), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: faultAttempts}))
					r.seed(srv)
					f.Into(srv)
					n, err := r.call(context.Background(), c)
					require.NoError(t, err)
					assert.Equal(t, 1, n)
					reqs := srv.Requests()
					require.Len(t, reqs, 2)
					assert.Equal(t, r.op, reqs[1].API)
					assert.Equal(t, parseWire(t, reqs[0].Body).Param, parseWire(t, reqs[1].Body).Param, "the same param")
				})
			})
		}
	}
}

// The unreadable answer of a listing says what it lacks: the list, or the
// key of its first element without one.
func TestListingsSayWhatTheyLack(t *testing.T) {
	t.Parallel()
	coupons := func(ctx context.Context, c *houcaller.Client) (int, error) {
		res, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: "K1H93QDKI00B7"})
		if err != nil {
			return 0, err
		}
		return len(res.Coupons), nil
	}
	reads := newReads()
	for _, tc := range []struct {
		call func(context.Context, *houcaller.Client) (int, error)
		body string
		want string
	}{
		{reads[0].call, okHead + `,"data":{}}`, "no data.list in the answer"},
		{reads[0].call, okHead + `,"data":{"list":[{"cardNo":"9590004727313"},{"amt":1000,"cardType":"959"}]}}`, "no cardNo of data.list[1] in the answer"},
		{reads[1].call, okHead + `,"data":{"cpnList":null}}`, "no data.cpnList in the answer"},
		{reads[1].call, okHead + `,"data":{"cpnList":[{"cpnName":"CAS调研薯条免费券","cpnType":"0"}]}}`, "no id of data.cpnList[0] in the answer"},
		{coupons, okHead + `,"data":{"list":[` + couponNoCode + `]}}`, "no cpnCode of data.list[0] in the answer"},
	} {
		c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
		srv.Inject(couponkittest.Fault{Status: http.StatusOK, Body: []byte(tc.body)})
		_, err := tc.call(context.Background(), c)
		assert.ErrorIs(t, err, transport.ErrUnreadable, tc.body)
		assert.ErrorContains(t, err, tc.want, tc.body)
	}
}

// A vendor refusal is a *couponkit.Error with its code, from one request;
// legitimately empty answers are successes.
func TestNewReadsRefusalsAndEmptyAnswers(t *testing.T) {
	t.Parallel()
	for _, r := range newReads() {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil)
			n, err := r.call(context.Background(), c)
			require.NoError(t, err, "nothing held: an empty list")
			assert.Zero(t, n)
			srv.FailNext("500", "系统繁忙")
			_, err = r.call(context.Background(), c)
			var ce *couponkit.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "500", ce.Code)
			assert.Equal(t, "系统繁忙", ce.Message)
			assert.Equal(t, r.op, ce.Operation)
			assert.Equal(t, 2, srv.RequestCount())
		})
	}
}

// The fake lists what it was given: a member's 豪礼卡 with their balances,
// a promotion's coupons at its restaurant (orgCode "1" when none is sent).
func TestStoredValueCardsAndPromotionsFromTheFake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil)
	card := houcaller.StoredValueCard{CardNo: "9590004727313", CardType: "959", FaceValue: 100000, Balance: 55050,
		BeginDate: time.Date(2020, 2, 17, 0, 0, 0, 0, bj), EndDate: time.Date(2023, 2, 17, 0, 0, 0, 0, bj),
		Status: 1, StatusText: "正常", Activated: true, Giftable: true, InPromotion: true, OrgCode: "0201", BindFailures: 2}
	srv.AddStoredValueCard("K1H93QDKI00B7", card)
	srv.AddStoredValueCard("someone-else", houcaller.StoredValueCard{CardNo: "1"})
	cards, err := c.MemberStoredValueCards(ctx, &houcaller.StoredValueCardsRequest{MemberID: "K1H93QDKI00B7"})
	require.NoError(t, err)
	require.Len(t, cards.Cards, 1)
	got := cards.Cards[0]
	assert.True(t, card.BeginDate.Equal(got.BeginDate))
	got.BeginDate, got.EndDate = card.BeginDate, card.EndDate
	assert.Equal(t, card, got)
	assert.NotContains(t, string(mustJSON(t, cards)), "000000", "the card's password is not read")

	coupons := []houcaller.PromotionCoupon{{ID: "JCUG0K10A53U8", Name: "CAS调研薯条免费券", Type: houcaller.CouponDineIn, PosID: "6837"}}
	srv.SetPromotion("", "958", coupons)
	res, err := c.PromotionCoupons(ctx, &houcaller.PromotionCouponsRequest{CardType: "958"})
	require.NoError(t, err)
	assert.Equal(t, coupons, res.Coupons)
	res, err = c.PromotionCoupons(ctx, &houcaller.PromotionCouponsRequest{OrgCode: "0101", CardType: "958"})
	require.NoError(t, err)
	assert.Empty(t, res.Coupons, "another restaurant's promotion")
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// An unreadable page of the ledger listing ends it with that error after
// its retries, as a read; the listing's pages before it were handed over.
func TestPointsLedgerReadFailsAfterRetries(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
	for range 2 {
		faulttest.Answer("html", faulttest.HTMLPage).Into(srv)
	}
	var errs int
	for p, err := range c.PointsLedger(context.Background(), &houcaller.PointsLedgerRequest{Member: "m", From: december}) {
		assert.Nil(t, p)
		assert.ErrorIs(t, err, transport.ErrUnreadable)
		errs++
	}
	assert.Equal(t, 1, errs)
	assert.Equal(t, 2, srv.RequestCount())
}
