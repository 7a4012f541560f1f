package zvcms

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// MaxReconciliationPageSize is the largest page of Reconciliation the
// vendor allows (perPage, 最大100); 20 is its default.
const MaxReconciliationPageSize = 100

// opReconciliation is data.bi.financial-reconciliation, a V2 call: a read.
var opReconciliation = &transport.Op{Name: "data.bi.financial-reconciliation", Path: v2Path, Class: transport.Safe,
	Notes: "[known] (doc2 id=718): the V2 envelope (Action), params startDate, endData (the page's spelling, twice), multiMark and perPage (at most 100), data {itemList, total, perPage, lastPage, currentPage}, amounts in yuan. " +
		"[likely]: the page number goes as page (Config.V2PageParam; the page names none, and its answer is Laravel's paginator's, which reads page); itemList is a list (the page's example prints one object, which decodes too); the token is V3's (Config.V2TokenFunc). " +
		"[open]: whether the gateway reads endData as printed, whether the end date is included, what orderSource numbers."}

var _ = registry.Add(couponkit.NewAPI(reconciliation, couponkit.API{Vendor: Vendor, Method: "Reconciliation", Operation: opReconciliation.Name, Class: opReconciliation.Class,
	Path: opReconciliation.Path, Notes: opReconciliation.Notes,
	Summary: "the stores' daily takings, refunds, discounts and income, page by page (a V2 call; an iterator, run by name it collects them all)"}))

// ReconciliationRequest asks for the daily reconciliation of the stores
// (财务对账, data.bi.financial-reconciliation [known]). Dates are days in
// Beijing time: only a time's date there counts.
type ReconciliationRequest struct {
	// From and To are the first and last days (startDate, endData).
	// Required, From not after To.
	From, To time.Time
	// StoreCode limits the rows to one store (multiMark, 门店编码); empty
	// means every store.
	StoreCode string
	// PageSize is how many rows to ask for per page (perPage); 0 means the
	// vendor's default, 20. At most MaxReconciliationPageSize.
	PageSize int
}

// DailyReconciliation is one row: a store's takings of one day from one
// order source. Amounts are in fen (the vendor sends yuan).
type DailyReconciliation struct {
	// Date is the day (thedate), at midnight Beijing time.
	Date time.Time
	// StoreID and StoreName are the store (storeId, storeName).
	StoreID   int64
	StoreName string
	// WxMerchantNo and AliStoreNo are its WeChat merchant number and Alipay
	// store code (wxMerchantNo, aliStoreNo), or "".
	WxMerchantNo, AliStoreNo string
	// OrderSource and SourceName are where the orders came from
	// (orderSource, as the vendor numbers it [open]; sourceName).
	OrderSource int
	SourceName  string
	// GMV is the turnover (gmv, 营业额), Refunds the refunds (refundAmt),
	// Discounts the discounts (discountAmt) and RealIncome what was received
	// (realIncome, 实收金额).
	GMV, Refunds, Discounts, RealIncome couponkit.Fen
}

// Reconciliations is every row of a Reconciliation, as the registry's
// runner collects them.
type Reconciliations struct {
	// Rows are the rows in the vendor's order.
	Rows []DailyReconciliation
}

// Reconciliation returns an iterator over the daily reconciliation rows of
// req's days, page by page: a page is fetched only when the previous one has
// been yielded, and breaking out of the loop stops fetching. Each page is a
// read on the V2 endpoint, retried on network failures, 5xx, throttling,
// server faults and unreadable answers (a page without its total, or a row
// without its date). An error is yielded once, with a zero row, and ends the
// iteration.
//
// The listing neither loses nor repeats a row: pages are fetched until the
// vendor's total has been yielded. A page that is empty, or the vendor's
// last page, before the total is reached ends it with an error matching
// couponkit.ErrListShort; a page whose currentPage is not the page asked
// for (a gateway that does not read the page number), or that lists a
// store's day and source already listed, ends it with an error matching
// couponkit.ErrPageRepeated, before any row of that page is yielded. So
// does a page that would take the rows past the total.
func (c *Client) Reconciliation(ctx context.Context, req *ReconciliationRequest) iter.Seq2[DailyReconciliation, error] {
	return func(yield func(DailyReconciliation, error) bool) {
		size, err := req.validate()
		if err != nil {
			yield(DailyReconciliation{}, err)
			return
		}
		type rowKey struct {
			day           string
			store, source int64
		}
		seen := map[rowKey]bool{}
		var yielded int64
		for page := 1; ; page++ {
			var a reconciliationPage
			meta, err := transport.Send(ctx, &c.v2, opReconciliation, "", req.params(c.v2page, page, size), &a)
			if err != nil {
				yield(DailyReconciliation{}, err)
				return
			}
			fail := func(cause error, format string, args ...any) {
				yield(DailyReconciliation{}, &couponkit.Error{Vendor: Vendor, Operation: opReconciliation.Name, RequestID: meta.RequestID,
					HTTPStatus: meta.HTTPStatus, Message: fmt.Sprintf(format, args...) + ": " + cause.Error(), Err: cause})
			}
			if a.CurrentPage.ok && a.CurrentPage.n != int64(page) {
				fail(couponkit.ErrPageRepeated, "asked for page %d, the gateway answered page %d (does it read %s? Config.V2PageParam)", page, a.CurrentPage.n, c.v2page)
				return
			}
			total := a.Total.n
			if yielded+int64(len(a.ItemList)) > total {
				fail(couponkit.ErrPageRepeated, "page %d takes the rows past the total of %d", page, total)
				return
			}
			rows := make([]DailyReconciliation, len(a.ItemList))
			for i, w := range a.ItemList {
				rows[i] = w.row()
				k := rowKey{cntime.FormatDate(rows[i].Date), rows[i].StoreID, int64(rows[i].OrderSource)}
				if seen[k] {
					fail(couponkit.ErrPageRepeated, "page %d lists store %d's %s (source %d) again", page, k.store, k.day, k.source)
					return
				}
				seen[k] = true
			}
			for _, r := range rows {
				if !yield(r, nil) {
					return
				}
			}
			yielded += int64(len(rows))
			switch {
			case yielded == total:
				return
			case len(rows) == 0 || a.LastPage.ok && int64(page) >= a.LastPage.n:
				fail(couponkit.ErrListShort, "page %d ends the listing after %d of total %d rows", page, yielded, total)
				return
			}
		}
	}
}

// reconciliation runs Reconciliation to its end for the registry.
func reconciliation(c *Client, ctx context.Context, req *ReconciliationRequest) (*Reconciliations, error) {
	var out Reconciliations
	for r, err := range c.Reconciliation(ctx, req) {
		if err != nil {
			return nil, err
		}
		out.Rows = append(out.Rows, r)
	}
	return &out, nil
}

// validate checks r and returns its page size.
func (r *ReconciliationRequest) validate() (int, error) {
	switch {
	case r == nil:
		return 0, couponkit.Invalid("ReconciliationRequest", "is nil")
	case r.From.IsZero():
		return 0, couponkit.Invalid("From", "is required")
	case r.To.IsZero():
		return 0, couponkit.Invalid("To", "is required")
	case cntime.FormatDate(r.To) < cntime.FormatDate(r.From):
		return 0, couponkit.Invalid("To", "is before From")
	case strings.TrimSpace(r.StoreCode) != r.StoreCode:
		return 0, couponkit.Invalid("StoreCode", "has leading or trailing spaces")
	case r.PageSize < 0 || r.PageSize > MaxReconciliationPageSize:
		return 0, couponkit.Invalid("PageSize", "must be 0 to %d, not %d", MaxReconciliationPageSize, r.PageSize)
	case r.PageSize == 0:
		return 20, nil
	}
	if err := wiretype.CheckYear("From", r.From); err != nil {
		return 0, err
	}
	return r.PageSize, wiretype.CheckYear("To", r.To)
}

// params is page of size. The page number's name is a Config's
// (V2PageParam), so the params are a map: encoding/json writes its members
// in name order.
func (r *ReconciliationRequest) params(pageParam string, page, size int) map[string]any {
	return map[string]any{"startDate": cntime.FormatDate(r.From), "endData": cntime.FormatDate(r.To), "multiMark": r.StoreCode,
		"perPage": size, pageParam: page}
}

// reconciliationPage is one page's data: {itemList, total, perPage,
// lastPage, currentPage}, the integers as numbers or strings.
type reconciliationPage struct {
	ItemList    reconciliationRows `json:"itemList"`
	Total       count              `json:"total"`
	LastPage    count              `json:"lastPage"`
	CurrentPage count              `json:"currentPage"`
}

// Complete requires the total, by which the listing ends, and each row's
// date.
func (a *reconciliationPage) Complete() error {
	if !a.Total.ok {
		return transport.Missing("total")
	}
	for _, r := range a.ItemList {
		if time.Time(r.TheDate).IsZero() {
			return transport.Missing("thedate")
		}
	}
	return nil
}

// reconciliationRows is itemList: a list of rows, or one row as the page's
// example prints it.
type reconciliationRows []reconciliationRow

// UnmarshalJSON reads a list, or one object as a list of it.
func (l *reconciliationRows) UnmarshalJSON(b []byte) error {
	if b[0] == '{' {
		*l = make(reconciliationRows, 1)
		return json.Unmarshal(b, &(*l)[0])
	}
	return json.Unmarshal(b, (*[]reconciliationRow)(l))
}

// reconciliationRow is one row as the vendor writes it: integers as numbers
// or strings ("" for none), amounts as yuan numbers or strings.
type reconciliationRow struct {
	TheDate      wiretype.Time `json:"thedate"`
	StoreID      wiretype.Int  `json:"storeId"`
	StoreName    wiretype.Text `json:"storeName"`
	WxMerchantNo wiretype.Text `json:"wxMerchantNo"`
	AliStoreNo   wiretype.Text `json:"aliStoreNo"`
	OrderSource  wiretype.Int  `json:"orderSource"`
	SourceName   wiretype.Text `json:"sourceName"`
	GMV          wiretype.Yuan `json:"gmv"`
	RefundAmt    wiretype.Yuan `json:"refundAmt"`
	DiscountAmt  wiretype.Yuan `json:"discountAmt"`
	RealIncome   wiretype.Yuan `json:"realIncome"`
}

func (w *reconciliationRow) row() DailyReconciliation {
	return DailyReconciliation{Date: time.Time(w.TheDate), StoreID: int64(w.StoreID), StoreName: string(w.StoreName),
		WxMerchantNo: string(w.WxMerchantNo), AliStoreNo: string(w.AliStoreNo), OrderSource: int(w.OrderSource), SourceName: string(w.SourceName),
		GMV: couponkit.Fen(w.GMV), Refunds: couponkit.Fen(w.RefundAmt), Discounts: couponkit.Fen(w.DiscountAmt), RealIncome: couponkit.Fen(w.RealIncome)}
}
