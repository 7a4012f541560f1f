package houcaller_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

// seedLedger gives member n records in each month of counts, from
// December 2023: record i of a month is earned on day 1 + i%28, with id
// "<yyyy-MM>-<i>".
func seedLedger(srv *houcallertest.Server, member string, counts ...int) {
	for m, n := range counts {
		month := time.Date(2023, 12+time.Month(m), 1, 0, 0, 0, 0, bj)
		for i := range n {
			srv.AddPointsRecord(member, houcaller.PointsRecord{ID: month.Format("2006-01") + "-" + strconv.Itoa(i),
				BizDate: month.AddDate(0, 0, i%28), Amount: couponkit.Fen(100 * (i + 1)), PointsEarned: int64(i + 1),
				ScoreType: houcaller.ScoreEarned, OrderID: "O" + strconv.Itoa(i)})
		}
	}
}

// ledgerPages collects a listing's pages and its error.
func ledgerPages(c *houcaller.Client, req *houcaller.PointsLedgerRequest) (pages []*houcaller.PointsPage, err error) {
	for p, e := range c.PointsLedger(context.Background(), req) {
		if e != nil {
			return pages, e
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// ids lists the record ids of pages, in order.
func ids(pages []*houcaller.PointsPage) []string {
	var out []string
	for _, p := range pages {
		for _, r := range p.Records {
			out = append(out, r.ID)
		}
	}
	return out
}

func wantIDs(month string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, month+"-"+strconv.Itoa(i))
	}
	return out
}

// The listing goes through every month and every page: at least one page
// per month (an empty one for a month without records), each asking for
// the offset after the records the last one carried; a capped page size
// loses nothing.
func TestPointsLedgerListsEveryMonthAndPage(t *testing.T) {
	t.Parallel()
	for _, cap := range []int{0, 7} {
		t.Run(fmt.Sprintf("cap %d", cap), func(t *testing.T) {
			t.Parallel()
			c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true, PointsMaxPageSize: cap}, nil)
			seedLedger(srv, "NC2D0RH4EROS6", 45, 0, 3)
			seedLedger(srv, "someone-else", 5)
			pages, err := ledgerPages(c, &houcaller.PointsLedgerRequest{Member: "NC2D0RH4EROS6",
				From: time.Date(2023, 12, 31, 23, 0, 0, 0, bj), To: time.Date(2024, 2, 1, 0, 0, 0, 0, bj)})
			require.NoError(t, err)
			want := append(wantIDs("2023-12", 0, 45), wantIDs("2024-02", 0, 3)...)
			assert.Equal(t, want, ids(pages))

			size := 20
			if cap > 0 {
				size = cap
			}
			perMonth := (45+size-1)/size + 1 + 1 // December's pages, an empty January, February's one
			require.Len(t, pages, perMonth)
			assert.Equal(t, perMonth, srv.RequestCount())
			assert.True(t, time.Date(2023, 12, 1, 0, 0, 0, 0, bj).Equal(pages[0].Month))
			assert.Equal(t, 0, pages[0].Offset)
			assert.Equal(t, size, pages[1].Offset)
			assert.Equal(t, int64(45*46/2), pages[0].TotalEarned, "the month's total on every page")
			jan := pages[len(pages)-2]
			assert.True(t, time.Date(2024, 1, 1, 0, 0, 0, 0, bj).Equal(jan.Month))
			assert.Empty(t, jan.Records)
			assert.False(t, jan.More)
			assert.Zero(t, jan.TotalEarned)

			// The wire: the month as "yyyy-MM" in Beijing time, offset and
			// limit as strings, the offset after the records sent.
			var p struct {
				QueryType, MemberID, Month string
				Page                       struct{ Offset, Limit string }
			}
			require.NoError(t, json.Unmarshal(decryptECB(t, houcallertest.DefaultDESKey, parseWire(t, srv.Requests()[1].Body).Param), &p))
			assert.Equal(t, "memberId", p.QueryType)
			assert.Equal(t, "NC2D0RH4EROS6", p.MemberID)
			assert.Equal(t, "2023-12", p.Month)
			assert.Equal(t, strconv.Itoa(size), p.Page.Offset)
			assert.Equal(t, "20", p.Page.Limit)
		})
	}
}

// Offset goes on with a listing from a page's NextOffset in From's month;
// breaking out of the loop stops fetching; filters and identifiers other
// than memberId go on the wire.
func TestPointsLedgerResumesFiltersAndStops(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil)
	seedLedger(srv, "NC2D0RH4EROS6", 45, 3)
	srv.AddPointsRecord("NC2D0RH4EROS6", houcaller.PointsRecord{ID: "spent", BizDate: december, PointsSpent: 30, ScoreType: houcaller.ScoreExchanged,
		BusinessType: houcaller.BusinessCouponExchange})
	srv.AddMember(houcallertest.Member{ID: "NC2D0RH4EROS6", Phone: "13800138000", OpenID: "oEv-1"})

	pages, err := ledgerPages(c, &houcaller.PointsLedgerRequest{Member: "NC2D0RH4EROS6", From: december, To: december.AddDate(0, 1, 0),
		Offset: 40, ScoreType: houcaller.ScoreEarned.Ptr()})
	require.NoError(t, err)
	assert.Equal(t, append(wantIDs("2023-12", 40, 45), wantIDs("2024-01", 0, 3)...), ids(pages))
	assert.Equal(t, 40, pages[0].Offset)

	n := srv.RequestCount()
	for p, err := range c.PointsLedger(context.Background(), &houcaller.PointsLedgerRequest{By: houcaller.ByPhone, Member: "13800138000",
		From: december, PageSize: 5, BusinessType: houcaller.BusinessCouponExchange.Ptr()}) {
		require.NoError(t, err)
		assert.Equal(t, []string{"spent"}, ids([]*houcaller.PointsPage{p}))
		break
	}
	assert.Equal(t, n+1, srv.RequestCount(), "one page fetched")
	var p struct{ QueryType, Phone, MemberID, HbsBusiType string }
	require.NoError(t, json.Unmarshal(decryptECB(t, houcallertest.DefaultDESKey, parseWire(t, srv.Requests()[n].Body).Param), &p))
	assert.Equal(t, "phone", p.QueryType)
	assert.Equal(t, "13800138000", p.Phone)
	assert.Empty(t, p.MemberID)
	assert.Equal(t, "1", p.HbsBusiType)

	pages, err = ledgerPages(c, &houcaller.PointsLedgerRequest{By: houcaller.ByOpenID, Member: "oEv-1", From: december, PageSize: 50})
	require.NoError(t, err)
	assert.Len(t, ids(pages), 46)
}

// A gateway that ignores page.offset answers the first page again: the
// listing stops with ErrPageRepeated instead of handing it over twice.
func TestPointsLedgerStopsOnARepeatedPage(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true}, nil)
	seedLedger(srv, "m", 45)
	srv.AddPointsRecord("m", houcaller.PointsRecord{BizDate: december}) // so that not every record has an id
	var handed []string
	var last error
	for p, err := range c.PointsLedger(context.Background(), &houcaller.PointsLedgerRequest{Member: "m", From: december}) {
		if err != nil {
			last = err
			break
		}
		handed = append(handed, ids([]*houcaller.PointsPage{p})...)
		require.Less(t, len(handed), 100, "the listing does not stop")
		srv.IgnoreOffsetNext()
	}
	assert.Equal(t, wantIDs("2023-12", 0, 20), handed)
	require.ErrorIs(t, last, couponkit.ErrPageRepeated)
	var ce *couponkit.Error
	require.ErrorAs(t, last, &ce)
	assert.Equal(t, houcaller.Vendor, ce.Vendor)
	assert.Equal(t, houcaller.EndpointPointsLedger, ce.Operation)
	assert.Contains(t, ce.Message, "2023-12 offset 20")
	assert.Equal(t, 2, srv.RequestCount())
}

// pointsBody is a ledger answer of n records (ids from first, none when
// first is negative) with page next and pages, or no page when pages < 0.
func pointsBody(first, n int, next bool, pages int) string {
	var recs []string
	for i := range n {
		id := ""
		if first >= 0 {
			id = `"id":"r` + strconv.Itoa(first+i) + `",`
		}
		recs = append(recs, `{`+id+`"amount":30,"bizDate":"2023-12-02 00:00:00","cardNo":"9018046355443","consAmt":10,"expScore":0,"incScore":`+
			strconv.Itoa(i)+`,"orgCode":"1504","remark":"","scoreAmt":20}`)
	}
	page := ""
	if pages >= 0 {
		page = `,"page":{"next":` + strconv.FormatBool(next) + `,"pages":` + strconv.Itoa(pages) + `}`
	}
	return okHead + `,"data":{"totalIncScore":0,"totalExpScore":0,"records":[` + strings.Join(recs, ",") + `]` + page + `}}`
}

// The guards on answers the fake does not give: a page of records without
// ids equal to the last one; a month that ends before its pages' count; a
// month that ends before page.total; a month without page.next, ended by a
// short page; a record repeated by id on a page with new ones.
func TestPointsLedgerGuards(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		bodies  []string
		records int
		err     error
		message string
	}{
		{"a repeated page without ids", []string{pointsBody(-1, 20, true, 3), pointsBody(-1, 20, true, 3)}, 20, couponkit.ErrPageRepeated, "offset 20"},
		{"ended before the pages", []string{pointsBody(0, 20, true, 3), pointsBody(20, 20, false, 3)}, 20, couponkit.ErrListShort,
			"after 40 records, fewer than the 3 pages of up to 20 records need"},
		{"ended at once before the pages", []string{pointsBody(0, 20, false, 2)}, 0, couponkit.ErrListShort, "after 20 records"},
		{"ended on an empty page before the pages", []string{pointsBody(0, 20, true, 2), pointsBody(0, 0, true, 2)}, 20, couponkit.ErrListShort, "after 20 records"},
		{"ended before the total", []string{strings.Replace(pointsBody(0, 20, false, 1), `"pages":1`, `"pages":1,"total":21`, 1)}, 0, couponkit.ErrListShort,
			"after 20 of total 21 records"},
		{"no page object, a short page ends", []string{pointsBody(0, 20, false, -1), pointsBody(20, 3, false, -1)}, 23, nil, ""},
		{"a record again beside new ones", []string{pointsBody(0, 20, true, 2), pointsBody(19, 5, false, 2)}, 24, nil, ""},
		{"a capped last page", []string{pointsBody(0, 10, true, 3), pointsBody(10, 10, true, 3), pointsBody(20, 5, false, 3)}, 25, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := mockClient(t, houcaller.Config{})
			var rec recorder
			answers := make([]answer, len(tc.bodies))
			for i, b := range tc.bodies {
				answers[i] = answer{http.StatusOK, b}
			}
			mt.RegisterResponder(http.MethodPost, mockGateway+"/queryMemberScoRecordForShop", rec.sequence(answers...))
			pages, err := ledgerPages(c, &houcaller.PointsLedgerRequest{Member: "m", From: december})
			n := 0
			for _, p := range pages {
				n += len(p.Records)
			}
			assert.Equal(t, tc.records, n, "records handed over")
			assert.Len(t, rec.bodies, len(tc.bodies))
			if tc.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.err)
			assert.Contains(t, err.Error(), tc.message)
		})
	}
}

// An invalid listing is one error, with a nil page, and sends nothing.
func TestPointsLedgerValidation(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	for field, req := range map[string]*houcaller.PointsLedgerRequest{
		"PointsLedgerRequest": nil,
		"From":                {Member: "m"},
		"To":                  {Member: "m", From: december, To: december.AddDate(0, -1, 0)},
		"Member":              {From: december},
		"PageSize":            {Member: "m", From: december, PageSize: -1},
		"Offset":              {Member: "m", From: december, Offset: -5},
	} {
		var n int
		for p, err := range c.PointsLedger(context.Background(), req) {
			n++
			assert.Nil(t, p)
			var ve *couponkit.ValidationError
			require.ErrorAs(t, err, &ve, field)
			assert.Equal(t, field, ve.Field)
		}
		assert.Equal(t, 1, n)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

// A consumption recorded by RecordConsumption is in the member's ledger of
// its business day's month, with its order and amounts; Config.MonthLayout
// changes how the month is written, on both sides.
func TestConsumptionShowsInThePointsLedger(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, houcallertest.Config{InMemory: true, MonthLayout: "200601"}, func(cfg *houcaller.Config) { cfg.MonthLayout = "200601" })
	req := exampleConsumption()
	rec, err := c.RecordConsumption(context.Background(), req)
	require.NoError(t, err)
	pages, err := ledgerPages(c, &houcaller.PointsLedgerRequest{Member: req.MemberID, From: req.BizDate})
	require.NoError(t, err)
	require.Len(t, pages, 1)
	require.Len(t, pages[0].Records, 1)
	r := pages[0].Records[0]
	assert.Equal(t, rec.ID, r.ID)
	assert.Equal(t, req.OrderID, r.OrderID)
	assert.Equal(t, req.Amount, r.Amount)
	assert.Equal(t, req.PaidAmount, r.PaidAmount)
	assert.Equal(t, req.HaobiAmount, r.HaobiAmount)
	assert.Equal(t, houcaller.ScoreEarned, r.ScoreType)
	assert.Equal(t, houcaller.BusinessConsumptionHaobi, r.BusinessType)
	var p struct{ Month string }
	require.NoError(t, json.Unmarshal(decryptECB(t, houcallertest.DefaultDESKey, parseWire(t, srv.Requests()[1].Body).Param), &p))
	assert.Equal(t, "202202", p.Month)

	// A client writing the default layout is refused by this gateway.
	other, err := houcaller.NewClient(func() houcaller.Config { cfg := srv.ClientConfig(); return cfg }(), srv.ClientOption())
	require.NoError(t, err)
	defer other.Close()
	_, err = other.PointsLedgerPage(context.Background(), &houcaller.PointsPageRequest{Member: req.MemberID, Month: req.BizDate})
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, houcallertest.CodeBadParam, ce.Code)
}
