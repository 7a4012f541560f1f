package zvcms_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// day is a day in Beijing time.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, cntime.Location())
}

// v2Pages answers each V2 request to the mock gateway with the data of the
// page its params ask for (pages[page]), and records the bodies sent.
func v2Pages(t *testing.T, mt *httpmock.MockTransport, pages map[string]string) *[]string {
	t.Helper()
	var sent []string
	mt.RegisterResponder(http.MethodPost, mockGateway+"/api/v2", func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		sent = append(sent, string(b))
		var env struct{ Params struct{ Page int } }
		require.NoError(t, json.Unmarshal(b, &env))
		return httpmock.NewStringResponse(http.StatusOK, success(pages[fmt.Sprint(env.Params.Page)])), nil
	})
	return &sent
}

// TestReconciliationWire: the V2 envelope byte for byte (capitalised
// members, the Action, the params as the page names them), its token the
// V3 token of a vector computed outside this code, and the page's own
// answer (itemList one object, every scalar a string) decoded, in fen.
func TestReconciliationWire(t *testing.T) {
	t.Parallel()
	v := loadVectors(t)[0]
	c, mt := mock(t, zvcms.Config{OpenID: v.OpenID, OpenKey: v.OpenKey, GrantCode: v.GrantCode, NonceFunc: func() string { return v.Nonce }},
		couponkit.WithClock(testclock.New(epoch)))
	sent := v2Pages(t, mt, map[string]string{"1": `{"itemList":{"thedate":"2020-01-01","storeId":"2","storeName":"测试门店","wxMerchantNo":"334422",` +
		`"aliStoreNo":"","orderSource":"","sourceName":"","gmv":"12.50","refundAmt":"1.00","discountAmt":"0.50","realIncome":"11.00"},` +
		`"total":"1","perPage":"20","lastPage":"1","currentPage":"1"}`})
	var got []zvcms.DailyReconciliation
	for r, err := range c.Reconciliation(context.Background(), &zvcms.ReconciliationRequest{From: day(2020, 1, 1), To: day(2020, 1, 3)}) {
		require.NoError(t, err)
		got = append(got, r)
	}
	assert.Equal(t, []string{`{"OpenId":"6dc05b4ac175cf316d226252b05cf685","GrantCode":"782c281f62","Timestamp":"1547186244","Nonce":"658965",` +
		`"Token":"c5tQPIuCl4dFK%2FW%2FDF7iIwt6cK4%3D","Action":"data.bi.financial-reconciliation",` +
		`"Params":{"endData":"2020-01-03","multiMark":"","page":1,"perPage":20,"startDate":"2020-01-01"}}`}, *sent)
	assert.Equal(t, v.Token, "c5tQPIuCl4dFK%2FW%2FDF7iIwt6cK4%3D", "the vector's token")
	assert.Equal(t, []zvcms.DailyReconciliation{{Date: day(2020, 1, 1), StoreID: 2, StoreName: "测试门店", WxMerchantNo: "334422",
		GMV: 1250, Refunds: 100, Discounts: 50, RealIncome: 1100}}, got)

	c, mt = mock(t, zvcms.Config{V2TokenFunc: func(_, _, _, ts, nonce string) string { return "v2-" + ts }, V2PageParam: "pageNo"})
	mt.RegisterResponder(http.MethodPost, mockGateway+"/api/v2", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		assert.Contains(t, string(b), `"Token":"v2-1547186244"`)
		assert.Contains(t, string(b), `"pageNo":1,"perPage":100,`)
		return httpmock.NewStringResponse(http.StatusOK, success(`{"itemList":[],"total":0}`)), nil
	})
	for _, err := range c.Reconciliation(context.Background(), &zvcms.ReconciliationRequest{From: day(2020, 1, 1), To: day(2020, 1, 1), PageSize: 100}) {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// row is a reconciliation row of store 2 on 2020-01-<d>, in the vendor
// family's spelling.
func row(d int) string {
	return fmt.Sprintf(`{"thedate":"2020-01-%02d","storeId":2,"orderSource":1,"gmv":10.5,"refundAmt":0,"discountAmt":0,"realIncome":10.5}`, d)
}

// TestReconciliationPaging: rows are paged to the vendor's total whatever
// the pages' sizes, and every listing that would lose or repeat a row ends
// with its error, no row of the bad page yielded; a page without its total
// is retried, then unreadable.
func TestReconciliationPaging(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		pages map[string]string
		rows  int   // rows yielded
		err   error // nil: none
	}{
		{"capped pages", map[string]string{"1": `{"itemList":[` + row(1) + `,` + row(2) + `],"total":3,"currentPage":1}`,
			"2": `{"itemList":[` + row(3) + `],"total":3,"currentPage":2}`}, 3, nil},
		{"page ignored", map[string]string{"1": `{"itemList":[` + row(1) + `],"total":2,"currentPage":1,"lastPage":2}`,
			"2": `{"itemList":[` + row(1) + `],"total":2,"currentPage":1,"lastPage":2}`}, 1, couponkit.ErrPageRepeated},
		{"row repeated", map[string]string{"1": `{"itemList":[` + row(1) + `],"total":2}`, "2": `{"itemList":[` + row(1) + `],"total":2}`}, 1, couponkit.ErrPageRepeated},
		{"past the total", map[string]string{"1": `{"itemList":[` + row(1) + `,` + row(2) + `],"total":1}`}, 0, couponkit.ErrPageRepeated},
		{"empty before the total", map[string]string{"1": `{"itemList":[` + row(1) + `],"total":3}`, "2": `{"itemList":[],"total":3}`}, 1, couponkit.ErrListShort},
		{"last page before the total", map[string]string{"1": `{"itemList":[` + row(1) + `],"total":3,"lastPage":1}`}, 1, couponkit.ErrListShort},
	}
	for _, tc := range cases {
		c, mt := mock(t, zvcms.Config{})
		v2Pages(t, mt, tc.pages)
		n, errs := 0, []error(nil)
		for _, err := range c.Reconciliation(context.Background(), &zvcms.ReconciliationRequest{From: day(2020, 1, 1), To: day(2020, 1, 31), PageSize: 2}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			n++
		}
		assert.Equal(t, tc.rows, n, tc.name)
		if tc.err == nil {
			assert.Empty(t, errs, tc.name)
			continue
		}
		require.Len(t, errs, 1, tc.name)
		assert.ErrorIs(t, errs[0], tc.err, tc.name)
	}

	c, mt := mock(t, zvcms.Config{}, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
	v2Pages(t, mt, map[string]string{"1": `{"itemList":[` + row(1) + `]}`})
	for _, err := range c.Reconciliation(context.Background(), &zvcms.ReconciliationRequest{From: day(2020, 1, 1), To: day(2020, 1, 1)}) {
		assert.True(t, transport.IsUnreadable(err), "%v", err)
		assert.ErrorContains(t, err, "no total in the answer")
	}
	assert.Equal(t, maxAttempts, mt.GetTotalCallCount(), "a read is retried")

	for field, req := range map[string]*zvcms.ReconciliationRequest{"From": {To: day(2020, 1, 1)}, "To": {From: day(2020, 1, 2), To: day(2020, 1, 1)},
		"PageSize": {From: day(2020, 1, 1), To: day(2020, 1, 1), PageSize: 101}, "StoreCode": {From: day(2020, 1, 1), To: day(2020, 1, 1), StoreCode: " S1"}} {
		c, mt := mock(t, zvcms.Config{})
		for _, err := range c.Reconciliation(context.Background(), req) {
			refusedBeforeSending(t, mt, err, field)
		}
	}
}

// TestReconciliationOnFake: the fake pages its rows (capped below the page
// size asked) by day range and store, in each spelling; a gateway that
// ignores the page number ends the listing after its first page.
func TestReconciliationOnFake(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		f := newFixture(t, zvcmstest.Config{NativeTypes: native, MaxPageSize: 2})
		var want []zvcms.DailyReconciliation
		for d := 1; d <= 5; d++ {
			r := zvcms.DailyReconciliation{Date: day(2020, 1, d), StoreID: 2, StoreName: "一店", OrderSource: 1, GMV: couponkit.Fen(1000 * d), Refunds: 50, RealIncome: couponkit.Fen(1000*d - 50)}
			f.srv.AddDailyReconciliation("S2", r)
			f.srv.AddDailyReconciliation("S3", zvcms.DailyReconciliation{Date: r.Date, StoreID: 3})
			if d >= 2 {
				want = append(want, r)
			}
		}
		var got []zvcms.DailyReconciliation
		for r, err := range f.c.Reconciliation(context.Background(), &zvcms.ReconciliationRequest{From: day(2020, 1, 2), To: day(2020, 1, 5), StoreCode: "S2", PageSize: 3}) {
			require.NoError(t, err)
			got = append(got, r)
		}
		assert.Equal(t, want, got)
		assert.Equal(t, "data.bi.financial-reconciliation", f.srv.Requests()[0].API)
		assert.Equal(t, "/api/v2", f.srv.Requests()[0].Path)
	}
	f := newFixture(t, zvcmstest.Config{V2IgnoresPage: true})
	for d := 1; d <= 3; d++ {
		f.srv.AddDailyReconciliation("S2", zvcms.DailyReconciliation{Date: day(2020, 1, d), StoreID: 2})
	}
	n := 0
	var last error
	for _, err := range f.c.Reconciliation(context.Background(), &zvcms.ReconciliationRequest{From: day(2020, 1, 1), To: day(2020, 1, 3), PageSize: 2}) {
		if last = err; err == nil {
			n++
		}
	}
	assert.Equal(t, 2, n)
	assert.ErrorIs(t, last, couponkit.ErrPageRepeated)
	assert.ErrorContains(t, last, "Config.V2PageParam")
}

// ExampleClient_Reconciliation lists a store's daily takings, against the
// fake gateway.
func ExampleClient_Reconciliation() {
	srv := zvcmstest.NewServer(zvcmstest.Config{})
	defer srv.Close()
	bj := cntime.Location()
	srv.AddDailyReconciliation("S001", zvcms.DailyReconciliation{Date: time.Date(2026, 12, 1, 0, 0, 0, 0, bj), StoreID: 7, StoreName: "一店",
		GMV: 125000, Refunds: 3000, Discounts: 2000, RealIncome: 120000})
	c, err := zvcms.NewClient(srv.ClientConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	req := &zvcms.ReconciliationRequest{From: time.Date(2026, 12, 1, 0, 0, 0, 0, bj), To: time.Date(2026, 12, 31, 0, 0, 0, 0, bj)}
	for r, err := range c.Reconciliation(context.Background(), req) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r.Date.Format("2006-01-02"), r.StoreName, r.GMV.Yuan(), r.RealIncome.Yuan())
	}
	// Output: 2026-12-01 一店 1250.00 1200.00
}
