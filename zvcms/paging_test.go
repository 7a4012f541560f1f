package zvcms_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
)

// familyCoupon is the i-th coupon of a listing as the vendor family's
// clients read getCustomerCouponList (MemberCoupon: cardId, couponNo,
// couponType, endTime, templateId, templateName, useStatus).
func familyCoupon(i int) string {
	return fmt.Sprintf(`{"cardId":"3909134454982%05d","couponNo":"N%d","couponType":0,"endTime":"2019-11-03 23:59:59","templateId":"951","templateName":"满50减10","useStatus":0}`, i, i)
}

// listGateway answers getCustomerCouponList for a customer with n coupons:
// page returns the indexes of the coupons of the page asked for (pageNum,
// pageSize) and whether to send the total.
func listGateway(t *testing.T, mt *httpmock.MockTransport, n int, page func(num, size int) (from, to int, total bool)) *[][2]int {
	var asked [][2]int
	mt.RegisterResponder(http.MethodPost, mockGateway+"/v3/crm/coupon/getCustomerCouponList", func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		var p struct{ PageNum, PageSize int }
		require.NoError(t, json.Unmarshal(parseRequest(t, b).Params, &p))
		asked = append(asked, [2]int{p.PageNum, p.PageSize})
		from, to, withTotal := page(p.PageNum, p.PageSize)
		from, to = min(from, n), min(to, n)
		list := make([]string, 0, to-from)
		for i := from; i < to; i++ {
			list = append(list, familyCoupon(i))
		}
		data := `{"list":[` + strings.Join(list, ",") + `]`
		if withTotal {
			data += fmt.Sprintf(`,"total":%d`, n)
		}
		data += "}"
		return httpmock.NewStringResponse(http.StatusOK, `{"status":true,"code":0,"message":"成功","data":`+data+`}`), nil
	})
	return &asked
}

// listAll runs a listing to its end: the card ids yielded, and the error.
func listAll(c *zvcms.Client, size int) ([]string, error) {
	var cards []string
	for cp, err := range c.CustomerCouponList(context.Background(), &zvcms.CouponListRequest{CustomerID: "383933091455959041", PageSize: size}) {
		if err != nil {
			return cards, err
		}
		cards = append(cards, cp.CardID)
	}
	return cards, nil
}

func distinct(t *testing.T, cards []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range cards {
		require.False(t, seen[c], "coupon %s yielded twice", c)
		seen[c] = true
	}
}

// TestListingCappedGatewayPagesOn: a gateway that caps the page at 50 when
// asked for 100 answers 50 of total 95: the listing goes on to the next page
// and yields all 95, each once.
func TestListingCappedGatewayPagesOn(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	asked := listGateway(t, mt, 95, func(num, size int) (int, int, bool) {
		size = min(size, 50)
		return (num - 1) * size, num * size, true
	})
	cards, err := listAll(c, 100)
	require.NoError(t, err)
	assert.Len(t, cards, 95)
	distinct(t, cards)
	assert.Equal(t, [][2]int{{1, 100}, {2, 100}}, *asked)
}

// TestListingShortOfItsTotal: a capping gateway that pages by the size asked
// for skips coupons 50 to 99; the empty page before the total is reached is
// an error matching couponkit.ErrListShort, after the 50 yielded.
func TestListingShortOfItsTotal(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	listGateway(t, mt, 95, func(num, size int) (int, int, bool) {
		from := (num - 1) * size
		return from, from + min(size, 50), true
	})
	cards, err := listAll(c, 100)
	assert.Len(t, cards, 50)
	require.ErrorIs(t, err, couponkit.ErrListShort)
	assert.False(t, errors.Is(err, couponkit.ErrPageRepeated))
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "zvcms", e.Vendor)
	assert.Equal(t, "getCustomerCouponList", e.Operation)
	assert.Contains(t, e.Error(), "50 of total 95")
}

// TestListingRepeatedPage: a gateway that ignores pageNum answers page 1
// again: the listing yields the 20 coupons once and ends with an error
// matching couponkit.ErrPageRepeated, without or with a total.
func TestListingRepeatedPage(t *testing.T) {
	t.Parallel()
	for _, withTotal := range []bool{true, false} {
		t.Run(fmt.Sprint("total=", withTotal), func(t *testing.T) {
			c, mt := mock(t, zvcms.Config{})
			asked := listGateway(t, mt, 100, func(_, size int) (int, int, bool) { return 0, size, withTotal })
			cards, err := listAll(c, 20)
			assert.Len(t, cards, 20)
			distinct(t, cards)
			require.ErrorIs(t, err, couponkit.ErrPageRepeated)
			assert.Len(t, *asked, 2, "stops at the first repeated page")
		})
	}
}

// TestListingShiftedPage: a coupon added at the top between two pages
// pushes the last of page 1 onto page 2: it is yielded once, and the listing
// reaches the new total.
func TestListingShiftedPage(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	calls := 0
	mt.RegisterResponder(http.MethodPost, mockGateway+"/v3/crm/coupon/getCustomerCouponList", func(*http.Request) (*http.Response, error) {
		calls++
		data := `{"list":[` + familyCoupon(1) + `,` + familyCoupon(2) + `],"total":3}`
		if calls == 2 { // coupon 0 arrived: the list is 0, 1, 2, 3
			data = `{"list":[` + familyCoupon(2) + `,` + familyCoupon(3) + `],"total":4}`
		}
		if calls == 3 {
			data = `{"list":[],"total":4}`
		}
		return httpmock.NewStringResponse(http.StatusOK, `{"status":"true","code":"0","data":`+data+`}`), nil
	})
	cards, err := listAll(c, 2)
	require.ErrorIs(t, err, couponkit.ErrListShort, "coupon 0 came in above the listing: 3 of 4")
	assert.Equal(t, []string{"390913445498200001", "390913445498200002", "390913445498200003"}, cards)
}

// TestListingWithoutTotal: without a total, a short page ends the listing.
func TestListingWithoutTotal(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	asked := listGateway(t, mt, 45, func(num, size int) (int, int, bool) { return (num - 1) * size, num * size, false })
	cards, err := listAll(c, 20)
	require.NoError(t, err)
	assert.Len(t, cards, 45)
	assert.Len(t, *asked, 3)
}

// TestListingReadsTheFamilyFields: a page's coupons as the vendor family
// prints them.
func TestListingReadsTheFamilyFields(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, zvcms.Config{})
	listGateway(t, mt, 1, func(int, int) (int, int, bool) { return 0, 1, true })
	for cp, err := range c.CustomerCouponList(context.Background(), &zvcms.CouponListRequest{CustomerID: "383933091455959041"}) {
		require.NoError(t, err)
		assert.Equal(t, "390913445498200000", cp.CardID)
		assert.Equal(t, "N0", cp.CouponNo)
		assert.Equal(t, "满50减10", cp.Title)
		assert.Equal(t, int64(951), cp.TemplateID)
		assert.Equal(t, "2019-11-03 23:59:59 +0800", cp.EndAt.Format("2006-01-02 15:04:05 -0700"))
		assert.Equal(t, zvcms.UseStatusUnused, cp.UseStatus)
	}
}
