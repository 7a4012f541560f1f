package zvcms_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// docResponse is the vendor page's response example, verbatim (note
// "17:10:2" and every value a string).
const docResponse = `{ "status": "true", "code": "0", "message": "说明", "data": { "beginAt": "2019-08-24 00:00:00", "cardId": "390913445498200065", "channel": "naixue", "couponId": "390913445519171584", "couponType": "0", "createdAt": "2019-10-15 17:10:28", "customerId": "383933091455959041", "title": "", "updatedAt": "2019-10-15 17:10:2", "useStatus": "0", "templateId": "951", "endAt": "2019-11-03 23:59:59", "extra": "" } }`

// nativeResponse is the same coupon with a bool status and numbers.
const nativeResponse = `{"status":true,"code":0,"message":"","data":[{"beginAt":"2019-08-24 00:00:00","cardId":390913445498200065,"channel":"naixue","couponId":"390913445519171584","couponType":0,"createdAt":"2019-10-15 17:10:28","customerId":"383933091455959041","title":null,"updatedAt":"2019-10-15 17:10:02","useStatus":0,"templateId":951,"endAt":"2019-11-03 23:59:59","extra":null}]}`

func bj(y int, m time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, m, d, h, mi, s, 0, time.FixedZone("UTC+8", 8*3600))
}

func TestGetCustomerCouponsBothSpellings(t *testing.T) {
	t.Parallel()
	want := zvcms.Coupon{
		CardID: "390913445498200065", CouponID: "390913445519171584", CustomerID: "383933091455959041",
		Channel: "naixue", Type: zvcms.CouponTypeCash, UseStatus: zvcms.UseStatusUnused, TemplateID: 951,
	}
	for name, body := range map[string]string{"doc strings, object data": docResponse, "bool and numbers, array data": nativeResponse} {
		t.Run(name, func(t *testing.T) {
			c, mt := mock(t, zvcms.Config{})
			respond(mt, "getCustomerCoupons", http.StatusOK, body)
			got, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "383933091455959041"})
			require.NoError(t, err)
			require.Len(t, got.Coupons, 1)
			cp := got.Coupons[0]
			times := []time.Time{cp.BeginAt, cp.EndAt, cp.CreatedAt, cp.UpdatedAt}
			cp.BeginAt, cp.EndAt, cp.CreatedAt, cp.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			assert.Equal(t, want, cp)
			for i, w := range []time.Time{bj(2019, 8, 24, 0, 0, 0), bj(2019, 11, 3, 23, 59, 59), bj(2019, 10, 15, 17, 10, 28), bj(2019, 10, 15, 17, 10, 2)} {
				assert.True(t, w.Equal(times[i]), "time %d: got %v want %v", i, times[i], w)
				_, off := times[i].Zone()
				assert.Equal(t, 8*3600, off, "time %d is not in Beijing time", i)
			}
			assert.Equal(t, http.StatusOK, got.Meta.HTTPStatus)
			assert.Equal(t, 1, got.Meta.Attempts)
			assert.Equal(t, body, string(got.Meta.Raw))
		})
	}
}

func TestGetCustomerCouponsDataShapes(t *testing.T) {
	t.Parallel()
	one := `{"cardId":"A","useStatus":"1","couponType":"5","templateId":"7","extra":{"k":1}}`
	two := `{"cardId":"B","useStatus":2,"couponType":8,"templateId":8,"extra":"x"}`
	for _, tc := range []struct {
		data  string
		cards []string
	}{
		{`[` + one + `,` + two + `]`, []string{"A", "B"}},
		{one, []string{"A"}},
		{`[]`, nil},
		{`{"list":[` + one + `,` + two + `],"total":2}`, []string{"A", "B"}},
		{`{"list":[],"total":0}`, nil},
	} {
		t.Run(tc.data, func(t *testing.T) {
			c, mt := mock(t, zvcms.Config{})
			body := `{"status":"true","code":"0","message":"ok"`
			if tc.data != "" {
				body += `,"data":` + tc.data
			}
			respond(mt, "getCustomerCoupons", http.StatusOK, body+`}`)
			got, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "1"})
			require.NoError(t, err)
			var cards []string
			for _, cp := range got.Coupons {
				cards = append(cards, cp.CardID)
			}
			assert.Equal(t, tc.cards, cards)
			if len(got.Coupons) > 0 {
				assert.Equal(t, zvcms.UseStatusRedeemed, got.Coupons[0].UseStatus)
				assert.Equal(t, zvcms.CouponTypeGoods, got.Coupons[0].Type)
				assert.Equal(t, int64(7), got.Coupons[0].TemplateID)
				assert.Equal(t, `{"k":1}`, got.Coupons[0].Extra)
				assert.True(t, got.Coupons[0].BeginAt.IsZero())
			}
			if len(got.Coupons) > 1 {
				assert.Equal(t, zvcms.UseStatusFrozen, got.Coupons[1].UseStatus)
				assert.Equal(t, zvcms.CouponTypeParking, got.Coupons[1].Type)
				assert.Equal(t, "x", got.Coupons[1].Extra)
			}
		})
	}
}

func TestEnvelopeOutcomes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		ok         bool
		code       string
		fault      couponkit.Fault
		msg        string
	}{
		{"string success", `{"status":"true","code":"0","data":[]}`, true, "", 0, ""},
		{"bool success", `{"status":true,"code":0,"data":[]}`, true, "", 0, ""},
		{"number status", `{"status":1,"code":"00","data":[]}`, true, "", 0, ""},
		{"business refusal, doc", `{ "status": true, "code": "异常编码", "message": "异常说明:查询的信息不存在" }`, false, "异常编码", couponkit.FaultClient, "查询的信息不存在"},
		{"business refusal, number", `{"status":"true","code":1002,"message":"查询的信息不存在"}`, false, "1002", couponkit.FaultClient, "查询的信息不存在"},
		{"status true without code", `{"status":"true","message":"?"}`, false, "", couponkit.FaultUnknown, "status true without a code"},
		{"status neither true nor false", `{"status":"yes","code":"0"}`, false, "", couponkit.FaultUnknown, "neither true nor false"},
		{"system error, doc", `{ "status": false, "code": "系统错误编码:详见全局返回编码", "message": "系统错误说明" }`, false, "系统错误编码:详见全局返回编码", couponkit.FaultUnknown, "系统错误说明"},
		{"status false with code 0", `{"status":"false","code":"0","message":"失败"}`, false, "0", couponkit.FaultUnknown, "失败"},
		{"token failure", `{"status":"false","code":"10001","message":"token校验失败"}`, false, "10001", couponkit.FaultAuth, "token"},
		{"signature failure", `{"status":false,"code":40001,"message":"签名错误"}`, false, "40001", couponkit.FaultAuth, "签名错误"},
		{"grant failure", `{"status":false,"code":40002,"message":"grantCode无效"}`, false, "40002", couponkit.FaultAuth, "grantCode"},
		{"timestamp failure", `{"status":false,"code":40003,"message":"时间戳过期"}`, false, "40003", couponkit.FaultAuth, "时间戳"},
		{"throttled", `{"status":false,"code":"42900","message":"请求过于频繁"}`, false, "42900", couponkit.FaultThrottle, "频繁"},
		{"busy", `{"status":false,"code":"50300","message":"系统繁忙,请稍后再试"}`, false, "50300", couponkit.FaultServer, "繁忙"},
		{"no status", `{"code":"0","data":[]}`, false, "", couponkit.FaultUnknown, "does not decode"},
		{"not json", `<html>gateway</html>`, false, "", couponkit.FaultUnknown, "does not decode"},
		{"status object", `{"status":{},"code":"0"}`, false, "", couponkit.FaultUnknown, "does not decode"},
		{"bad time", `{"status":"true","code":"0","data":{"beginAt":"soon"}}`, false, "", couponkit.FaultUnknown, "beginAt"},
		{"bad useStatus", `{"status":"true","code":"0","data":[{"useStatus":"x"}]}`, false, "", couponkit.FaultUnknown, "useStatus"},
		{"data scalar", `{"status":"true","code":"0","data":5}`, false, "", couponkit.FaultUnknown, "neither"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
			respond(mt, "getCustomerCoupons", http.StatusOK, tc.body)
			got, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "1"})
			if tc.ok {
				require.NoError(t, err)
				assert.Empty(t, got.Coupons)
				return
			}
			require.Error(t, err)
			assert.Nil(t, got)
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "zvcms", e.Vendor)
			assert.Equal(t, "getCustomerCoupons", e.Operation)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.fault, e.Fault, e.Error())
			assert.Contains(t, e.Message, tc.msg)
			assert.Equal(t, http.StatusOK, e.HTTPStatus)
		})
	}
}

func TestCodeFaultsOverride(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{OpenID: "o", OpenKey: "k", GrantCode: "g",
		CodeFaults: map[string]couponkit.Fault{"E42": couponkit.FaultThrottle, "1002": couponkit.FaultAuth}},
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	respond(mt, "getCustomerCoupons", http.StatusOK, `{"status":false,"code":"E42","message":"slow down"}`)
	_, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "1"})
	assert.Equal(t, couponkit.FaultThrottle, couponkit.FaultOf(err))
	respond(mt, "getCustomerCoupons", http.StatusOK, `{"status":true,"code":"1002","message":"x"}`)
	_, err = c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "1"})
	assert.Equal(t, couponkit.FaultAuth, couponkit.FaultOf(err))
}

func TestErrorsRedactCredentials(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{OpenID: "oid", OpenKey: "open-key-SECRET", GrantCode: "grant-SECRET"},
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	respond(mt, "getCustomerCoupons", http.StatusOK,
		`{"status":false,"code":"1","message":"grantCode grant-SECRET with key open-key-SECRET rejected"}`)
	_, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "1"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "SECRET")
	assert.Contains(t, err.Error(), "[redacted]")
	assert.Equal(t, couponkit.FaultAuth, couponkit.FaultOf(err))
}

func TestGetCustomerCouponsValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		req   *zvcms.CustomerCouponsRequest
		field string
	}{
		{nil, "CustomerCouponsRequest"},
		{&zvcms.CustomerCouponsRequest{}, "CustomerID"},
		{&zvcms.CustomerCouponsRequest{CustomerID: "  "}, "CustomerID"},
		{&zvcms.CustomerCouponsRequest{CustomerID: "1", UseStatus: zvcms.UseStatus(3).Ptr()}, "UseStatus"},
		{&zvcms.CustomerCouponsRequest{CustomerID: "1", UseStatus: zvcms.UseStatus(-1).Ptr()}, "UseStatus"},
	} {
		c, mt := mock(t, zvcms.Config{})
		_, err := c.GetCustomerCoupons(context.Background(), tc.req)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tc.field, ve.Field)
		assert.Zero(t, mt.GetTotalCallCount())
	}
}

func TestNewClientValidation(t *testing.T) {
	t.Parallel()
	ok := zvcms.Config{Gateway: zvcms.ProductionGateway, OpenID: "o", OpenKey: "k-SECRET", GrantCode: "g-SECRET"}
	for _, tc := range []struct {
		mut   func(*zvcms.Config)
		field string
	}{
		{func(c *zvcms.Config) { c.OpenID = "" }, "OpenID"},
		{func(c *zvcms.Config) { c.OpenKey = "" }, "OpenKey"},
		{func(c *zvcms.Config) { c.GrantCode = " " }, "GrantCode"},
		{func(c *zvcms.Config) { c.Gateway = "" }, "Gateway"},
		{func(c *zvcms.Config) { c.Gateway = "openapi.zvcms.com" }, "Gateway"},
		{func(c *zvcms.Config) { c.Gateway = "ftp://openapi.zvcms.com" }, "Gateway"},
		{func(c *zvcms.Config) { c.Gateway = "http://openapi.zvcms.com?x=1" }, "Gateway"},
	} {
		cfg := ok
		tc.mut(&cfg)
		_, err := zvcms.NewClient(cfg)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tc.field, ve.Field)
		assert.NotContains(t, err.Error(), "SECRET")
	}
}

// TestNewClientNamesEveryRequiredField: an empty Config is one error naming
// Gateway (there is no default), OpenID, OpenKey and GrantCode, in that order.
func TestNewClientNamesEveryRequiredField(t *testing.T) {
	t.Parallel()
	c, err := zvcms.NewClient(zvcms.Config{})
	require.Error(t, err)
	assert.Nil(t, c)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Gateway", ve.Field, "errors.As finds the first")
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "errors.Join of every invalid field")
	var fields []string
	for _, e := range joined.Unwrap() {
		var v *couponkit.ValidationError
		require.ErrorAs(t, e, &v)
		fields = append(fields, v.Field)
	}
	assert.Equal(t, []string{"Gateway", "OpenID", "OpenKey", "GrantCode"}, fields)
	for _, f := range fields {
		assert.Contains(t, err.Error(), "invalid "+f+":")
	}
}

func TestGatewayRequiredAndTrailingSlash(t *testing.T) {
	t.Parallel()
	_, err := zvcms.NewClient(zvcms.Config{OpenID: "o", OpenKey: "k", GrantCode: "g"})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Gateway", ve.Field)
	assert.Contains(t, ve.Reason, "no default")

	c, mt := mock(t, zvcms.Config{Gateway: mockGateway + "/", OpenID: "o", OpenKey: "k", GrantCode: "g"})
	respond(mt, "getCustomerCoupons", http.StatusOK, okEmpty)
	_, err = c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "1"})
	require.NoError(t, err)
	assert.Equal(t, 1, mt.GetCallCountInfo()["POST "+mockGateway+"/v3/crm/coupon/getCustomerCoupons"])
}

// TestEveryEnumeration decodes a coupon of every documented state and type,
// from the fake in both spellings, and checks each constant's name.
func TestEveryEnumeration(t *testing.T) {
	t.Parallel()
	names := map[zvcms.UseStatus]string{0: "unused", 1: "redeemed", 2: "frozen", 4: "gifting", 5: "gift expired", 6: "invalid", 7: "deleted"}
	types := map[zvcms.CouponType]string{0: "cash", 2: "limited free", 3: "erp exchange", 4: "buy m get n", 5: "goods", 6: "free delivery", 7: "skip queue", 8: "parking"}
	require.Len(t, zvcms.UseStatuses(), len(names))
	require.Len(t, zvcms.CouponTypes(), len(types))
	for _, s := range zvcms.UseStatuses() {
		assert.Equal(t, names[s], s.String())
		assert.True(t, s.Known())
	}
	for _, ty := range zvcms.CouponTypes() {
		assert.Equal(t, types[ty], ty.String())
		assert.True(t, ty.Known())
	}
	assert.Equal(t, "UseStatus(3)", zvcms.UseStatus(3).String())
	assert.False(t, zvcms.UseStatus(3).Known())
	assert.Equal(t, "CouponType(1)", zvcms.CouponType(1).String())
	assert.False(t, zvcms.CouponType(1).Known())

	for _, native := range []bool{false, true} {
		t.Run(fmt.Sprint("native=", native), func(t *testing.T) {
			f := newFixture(t, zvcmstest.Config{NativeTypes: native})
			want := map[string][2]int{}
			for i, s := range zvcms.UseStatuses() {
				for j, ty := range zvcms.CouponTypes() {
					cp := f.srv.AddCoupon(zvcms.Coupon{CustomerID: "c1", UseStatus: s, Type: ty, TemplateID: int64(100*i + j)})
					want[cp.CardID] = [2]int{int(s), int(ty)}
				}
			}
			got, err := f.c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "c1"})
			require.NoError(t, err)
			require.Len(t, got.Coupons, len(want))
			for _, cp := range got.Coupons {
				assert.Equal(t, want[cp.CardID], [2]int{int(cp.UseStatus), int(cp.Type)}, cp.CardID)
			}
			if native {
				assert.Contains(t, string(got.Meta.Raw), `"status":true,"code":0`)
			} else {
				assert.Contains(t, string(got.Meta.Raw), `"status":"true","code":"0"`)
			}
			for _, s := range zvcms.UseStatuses() {
				one, err := f.c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "c1", UseStatus: s.Ptr()})
				require.NoError(t, err)
				require.Len(t, one.Coupons, len(zvcms.CouponTypes()), s.String())
				for _, cp := range one.Coupons {
					assert.Equal(t, s, cp.UseStatus)
				}
			}
		})
	}
}

func TestGetCustomerCouponsFromFake(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	begin := bj(2019, 1, 1, 0, 0, 0)
	end := bj(2019, 12, 31, 23, 59, 59)
	a := f.srv.AddCoupon(zvcms.Coupon{Title: "满50减10", TemplateID: 895, BeginAt: begin, EndAt: end, Extra: "附加"})
	f.srv.AddCoupon(zvcms.Coupon{UseStatus: zvcms.UseStatusRedeemed})
	f.srv.AddCustomer("empty")
	ctx := context.Background()

	t.Run("by card id: data is one object", func(t *testing.T) {
		got, err := f.c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID, CardID: a.CardID})
		require.NoError(t, err)
		require.Len(t, got.Coupons, 1)
		assert.Contains(t, string(got.Meta.Raw), `"data":{`)
		cp := got.Coupons[0]
		assert.Equal(t, a.CardID, cp.CardID)
		assert.Equal(t, "满50减10", cp.Title)
		assert.Equal(t, "附加", cp.Extra)
		assert.Equal(t, int64(895), cp.TemplateID)
		assert.True(t, begin.Equal(cp.BeginAt))
		assert.True(t, end.Equal(cp.EndAt))
		assert.True(t, epoch.Equal(cp.CreatedAt))
	})
	t.Run("unused only", func(t *testing.T) {
		got, err := f.c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID, UseStatus: zvcms.UseStatusUnused.Ptr()})
		require.NoError(t, err)
		require.Len(t, got.Coupons, 1)
		assert.Equal(t, a.CardID, got.Coupons[0].CardID)
	})
	t.Run("customer without coupons", func(t *testing.T) {
		got, err := f.c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: "empty"})
		require.NoError(t, err)
		assert.Empty(t, got.Coupons)
	})
	t.Run("unknown customer", func(t *testing.T) {
		_, err := f.c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: "nobody"})
		var e *couponkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, zvcmstest.CodeNotFound, e.Code)
		assert.Equal(t, couponkit.FaultClient, e.Fault)
		assert.Equal(t, "查询的信息不存在", e.Message)
	})
}

func TestGetCustomerCouponsRetriesServerFailures(t *testing.T) {
	t.Parallel()
	f := newFixture(t, zvcmstest.Config{})
	f.srv.AddCoupon(zvcms.Coupon{})
	f.srv.FailNextHTTP(http.StatusBadGateway, "unavailable")
	f.srv.DropNext()
	got, err := f.c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID})
	require.NoError(t, err)
	assert.Len(t, got.Coupons, 1)
	assert.Equal(t, 3, got.Meta.Attempts)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 3)
	nonces := map[string]bool{}
	for _, r := range reqs {
		nonces[parseRequest(t, r.Body).Nonce] = true
	}
	assert.Len(t, nonces, 3, "every attempt has a fresh nonce")

	f.srv.FailNextHTTP(http.StatusServiceUnavailable, "unavailable")
	f.srv.FailNextHTTP(http.StatusServiceUnavailable, "unavailable")
	f.srv.FailNextHTTP(http.StatusServiceUnavailable, "unavailable")
	_, err = f.c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: zvcmstest.DefaultCustomerID})
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, couponkit.FaultServer, e.Fault)
	assert.Equal(t, http.StatusServiceUnavailable, e.HTTPStatus)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), "a read has no unknown outcome")
}

func TestUseStatusPtrCopies(t *testing.T) {
	t.Parallel()
	s := zvcms.UseStatusFrozen
	p := s.Ptr()
	s = zvcms.UseStatusDeleted
	assert.Equal(t, zvcms.UseStatusFrozen, *p)
	assert.True(t, strings.HasPrefix(s.String(), "del"))
}
