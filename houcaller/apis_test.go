package houcaller_test

import (
	"context"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/calltest"
)

// The registry lists every typed call once and passes couponkit.CheckAPIs;
// the entries below have the vendor's API name, the default class and the
// key the package doc states (the others are checked by their rows in the
// call table). Its order is the files' (each adds its entry beside its Op).
func TestAPIs(t *testing.T) {
	t.Parallel()
	apis := houcaller.APIs()
	require.NoError(t, couponkit.CheckAPIs(apis...))
	type row struct {
		Name, Method, Operation string
		Class                   couponkit.Class
		KeyName                 string
		Request, Answer         reflect.Type
	}
	var got []row
	for _, a := range apis {
		assert.Equal(t, houcaller.Vendor, a.Vendor)
		got = append(got, row{a.Name, a.Method, a.Operation, a.Class, a.KeyName, a.Request, a.Answer})
	}
	assert.Subset(t, got, []row{
		{"sell-card", "SellCard", "sendMncardForSale", couponkit.ClassUnsafe, "saleNo",
			reflect.TypeFor[houcaller.SellCardRequest](), reflect.TypeFor[houcaller.SellCardResult]()},
		{"record-consumption", "RecordConsumption", "recordMemberCons", couponkit.ClassUnsafe, "serialCode",
			reflect.TypeFor[houcaller.ConsumptionRequest](), reflect.TypeFor[houcaller.ConsumptionResult]()},
		{"member-coupons", "MemberCoupons", "listCpnItemByMember", couponkit.ClassRead, "",
			reflect.TypeFor[houcaller.MemberCouponsRequest](), reflect.TypeFor[houcaller.MemberCouponsResult]()},
		{"last-sent-coupon", "LastSentCoupon", "getLastSendCpnItem", couponkit.ClassRead, "",
			reflect.TypeFor[houcaller.LastSentCouponRequest](), reflect.TypeFor[houcaller.SentCoupon]()},
		{"gift-coupons", "GiftCoupons", "cpnShiftGift", couponkit.ClassUnsafe, "",
			reflect.TypeFor[houcaller.GiftCouponsRequest](), reflect.TypeFor[houcaller.GiftResult]()},
		{"member-stored-value-cards", "MemberStoredValueCards", "listMemberStcard", couponkit.ClassRead, "",
			reflect.TypeFor[houcaller.StoredValueCardsRequest](), reflect.TypeFor[houcaller.StoredValueCardsResult]()},
		{"promotion-coupons", "PromotionCoupons", "listCpnForStcPro", couponkit.ClassRead, "",
			reflect.TypeFor[houcaller.PromotionCouponsRequest](), reflect.TypeFor[houcaller.PromotionCouponsResult]()},
		{"points-ledger-page", "PointsLedgerPage", "queryMemberScoRecordForShop", couponkit.ClassRead, "",
			reflect.TypeFor[houcaller.PointsPageRequest](), reflect.TypeFor[houcaller.PointsPage]()},
	})

	// Every exported (ctx, *Request) method of Client is listed.
	listed := map[string]bool{}
	for _, a := range apis {
		listed[a.Method] = true
	}
	for _, m := range calltest.TypedMethods(reflect.TypeFor[*houcaller.Client]()) {
		assert.True(t, listed[m], "%s is not in APIs()", m)
	}
}

// classes records the class and key name of every call an observer sees.
type classes struct {
	mu  sync.Mutex
	got []couponkit.CallInfo
}

func (o *classes) CallStart(ctx context.Context, call couponkit.CallInfo) context.Context {
	o.mu.Lock()
	o.got = append(o.got, call)
	o.mu.Unlock()
	return ctx
}
func (o *classes) AttemptStart(ctx context.Context, _ couponkit.AttemptInfo) context.Context {
	return ctx
}
func (o *classes) AttemptEnd(context.Context, couponkit.AttemptInfo) {}
func (o *classes) CallEnd(context.Context, couponkit.CallInfo)       {}

// Run calls each listed method; a write runs at the class APIs lists by
// default and as a Keyed write when the Config declares de-duplication
// (Config.SaleNoDedup, Config.SerialCodeDedup), with the same key name. A
// gift has no key to declare: it stays Unsafe.
func TestAPIsRunAndConfigReclassifies(t *testing.T) {
	t.Parallel()
	requests := map[string]any{
		"sell-card":          exampleSale(),
		"record-consumption": exampleConsumption(),
		"member-coupons":     &houcaller.MemberCouponsRequest{MemberID: "L38E1ASJP00Q4"},
		"last-sent-coupon":   &houcaller.LastSentCouponRequest{MemberID: "L38E1ASJP00Q4", CouponID: houcallertest.DefaultCardInfoID},
		// A coupon of the sale above, which runs first.
		"gift-coupons":              &houcaller.GiftCouponsRequest{MemberID: "L38E1ASJP00Q4", Phone: "13800138000", CouponIDs: []string{houcallertest.DefaultCardInfoID}},
		"member-stored-value-cards": &houcaller.StoredValueCardsRequest{MemberID: "L38E1ASJP00Q4"},
		"promotion-coupons":         &houcaller.PromotionCouponsRequest{CardType: "958"},
		"points-ledger-page":        &houcaller.PointsPageRequest{Member: "K4H9095FA0008", Month: exampleConsumption().BizDate},
	}
	reclassified := map[string]bool{"sell-card": true, "record-consumption": true}
	for _, dedup := range []bool{false, true} {
		obs := &classes{}
		c, _, _ := fakeClient(t, houcallertest.Config{DedupConsumptions: dedup}, func(cfg *houcaller.Config) {
			cfg.SaleNoDedup, cfg.SerialCodeDedup = dedup, dedup
		}, couponkit.WithObserver(obs))
		// The calls of requests, the sale first: the gift gives away a
		// coupon it issued.
		apis := slices.DeleteFunc(houcaller.APIs(), func(a couponkit.API) bool { return requests[a.Name] == nil })
		require.Len(t, apis, len(requests), "a request names no API")
		slices.SortStableFunc(apis, func(a, b couponkit.API) int { return saleFirst(a) - saleFirst(b) })
		for _, a := range apis {
			res, err := a.Run(context.Background(), c, requests[a.Name])
			require.NoError(t, err, a.Name)
			assert.Equal(t, a.Answer, reflect.TypeOf(res).Elem(), a.Name)
		}
		require.Len(t, obs.got, len(apis))
		for i, a := range apis {
			want := a.Class
			if dedup && reclassified[a.Name] {
				want = couponkit.ClassKeyed
			}
			assert.Equal(t, a.Operation, obs.got[i].Operation)
			assert.Equal(t, want, obs.got[i].Class, "%s, dedup %v", a.Name, dedup)
			assert.Equal(t, a.KeyName, obs.got[i].KeyName)
		}
	}
	for _, a := range houcaller.APIs() {
		_, err := a.Run(context.Background(), "not a client", reflect.New(a.Request).Interface())
		assert.ErrorContains(t, err, "the client is a string", a.Name)
	}
}

// saleFirst orders the sale before the other calls.
func saleFirst(a couponkit.API) int {
	if a.Name == "sell-card" {
		return 0
	}
	return 1
}
