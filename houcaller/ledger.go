package houcaller

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// PointsLedgerRequest asks for a member's points ledger over a range of
// months, page by page (queryMemberScoRecordForShop, once per month and
// page).
type PointsLedgerRequest struct {
	// By says which identifier Member is (queryType); "" is ByMemberID.
	By MemberKey
	// Member is the member's identifier of that kind. Required.
	Member string
	// From is any instant of the first month listed, in Beijing time.
	// Required, within the years 0000–9999.
	From time.Time
	// To is any instant of the last month listed, in Beijing time; zero
	// lists From's month alone. Not before From's month.
	To time.Time
	// ScoreType, when not nil, lists only records of that kind (scoType).
	ScoreType *ScoreType
	// BusinessType, when not nil, lists only records of that points-mall
	// business (hbsBusiType).
	BusinessType *PointsBusinessType
	// PageSize is how many records to ask for per page (page.limit); 0
	// means DefaultPointsPageSize. Not negative.
	PageSize int
	// Offset is where in From's month the listing starts (page.offset),
	// from 0: the NextOffset of the last page handled, to go on with a
	// listing that was stopped. Not negative.
	Offset int
}

// check validates r and returns its page size and its first and last
// months.
func (r *PointsLedgerRequest) check() (size int, from, to time.Time, err error) {
	switch {
	case r == nil:
		return 0, from, to, couponkit.Invalid("PointsLedgerRequest", "is nil")
	case r.From.IsZero():
		return 0, from, to, couponkit.Invalid("From", "is required")
	case r.Offset < 0:
		return 0, from, to, couponkit.Invalid("Offset", "is negative")
	}
	if err := wiretype.CheckYear("From", r.From); err != nil {
		return 0, from, to, err
	}
	if err := wiretype.CheckYear("To", r.To); err != nil {
		return 0, from, to, err
	}
	from, to = monthStart(r.From), monthStart(r.From)
	if !r.To.IsZero() {
		if to = monthStart(r.To); to.Before(from) {
			return 0, from, to, couponkit.Invalid("To", "%s is before From's month %s", to.Format("2006-01"), from.Format("2006-01"))
		}
	}
	if err := checkMember(r.By, r.Member, r.ScoreType, r.BusinessType); err != nil {
		return 0, from, to, err
	}
	size, err = pageSize("PageSize", r.PageSize)
	return size, from, to, err
}

// PointsLedger returns an iterator over a member's points ledger from
// req.From's month to req.To's, page by page: each month from its first
// page (From's from req.Offset) to its last, at least one page per month
// (a month without records is one empty page, with its totals). A page is
// fetched only when the previous one has been handled, only one is held at
// a time (with the ids seen so far in its month, to catch repeats), and
// breaking out of the loop stops fetching. Each page is a read, retried as
// [Client.PointsLedgerPage] is. An error (an invalid request, a page that
// failed, a listing that cannot be trusted) is yielded once, with a nil
// page, and ends the iteration.
//
// The next page of a month asks for the offset after the records the
// gateway sent (PointsPage.NextOffset), whatever the size asked for, so a
// gateway that caps the page size loses nothing. A month ends with a page
// whose page.next is false, or that is empty; without page.next, with a
// page shorter than the size asked for [open]. A listing never silently
// loses or repeats records:
//
//   - A record whose id (id) was already handed over in its month is not
//     handed over again, and a page whose every record was (by id, or,
//     without ids, a page equal to one handed over) ends the listing with
//     an error matching couponkit.ErrPageRepeated: the gateway ignores
//     page.offset, say.
//   - A month that ends before the gateway's own count is reached ends the
//     listing with an error matching couponkit.ErrListShort, instead of its
//     last page: with page.total, fewer records than it; with page.pages
//     alone, fewer than the pages need ((pages-1) × the largest page seen,
//     plus one). The pages handed over before it were whole.
//
// Records that move while the listing runs (recorded during it) can shift
// between pages: list months that are closed, or expect ErrListShort or
// ErrPageRepeated and list the month again.
func (c *Client) PointsLedger(ctx context.Context, req *PointsLedgerRequest) iter.Seq2[*PointsPage, error] {
	return func(yield func(*PointsPage, error) bool) {
		size, from, to, err := req.check()
		if err != nil {
			yield(nil, err)
			return
		}
		offset := req.Offset
		for month := from; !month.After(to); month = month.AddDate(0, 1, 0) {
			if !c.ledgerMonth(ctx, req, month, offset, size, yield) {
				return
			}
			offset = 0
		}
	}
}

// ledgerMonth yields the pages of one month from offset, and reports
// whether the listing goes on.
func (c *Client) ledgerMonth(ctx context.Context, req *PointsLedgerRequest, month time.Time, offset, size int,
	yield func(*PointsPage, error) bool) bool {
	seen := map[string]struct{}{} // ids, or whole pages without ids
	largest := 0
	for {
		page, err := c.PointsLedgerPage(ctx, &PointsPageRequest{By: req.By, Member: req.Member, Month: month,
			ScoreType: req.ScoreType, BusinessType: req.BusinessType, Offset: offset, Limit: size})
		if err != nil {
			yield(nil, err)
			return false
		}
		sent := len(page.Records)
		largest = max(largest, sent)
		if sent > 0 && !fresh(page, seen) {
			yield(nil, c.ledgerError(page, couponkit.ErrPageRepeated,
				fmt.Sprintf("%s offset %d lists only records already listed (the gateway ignores page.offset?)", month.Format("2006-01"), offset)))
			return false
		}
		if !page.More {
			if msg := short(page, largest); msg != "" {
				yield(nil, c.ledgerError(page, couponkit.ErrListShort, month.Format("2006-01")+": "+msg))
				return false
			}
		}
		if !yield(page, nil) {
			return false
		}
		if !page.More {
			return true
		}
		offset = page.NextOffset
	}
}

// fresh removes from page the records whose id is in seen, adds the others
// to it, and reports whether any record was new. Records without an id are
// kept; a page of such records is new unless an equal page was seen.
func fresh(page *PointsPage, seen map[string]struct{}) bool {
	kept, anew := page.Records[:0], false
	var whole []byte
	for _, r := range page.Records {
		if r.ID == "" {
			kept = append(kept, r)
			whole = fmt.Appendf(whole, "%v\x00", r)
			continue
		}
		if _, dup := seen["id "+r.ID]; dup {
			continue
		}
		seen["id "+r.ID] = struct{}{}
		kept, anew = append(kept, r), true
	}
	page.Records = kept
	if whole != nil {
		key := "page " + string(whole)
		if _, dup := seen[key]; !dup {
			seen[key] = struct{}{}
			anew = true
		}
	}
	return anew
}

// short says why a month that ends with page holds fewer records than the
// gateway's count, or "" when it does not.
func short(page *PointsPage, largest int) string {
	got := int64(page.NextOffset)
	switch {
	case page.total >= 0 && got < page.total:
		return "the listing ended after " + strconv.FormatInt(got, 10) + " of total " + strconv.FormatInt(page.total, 10) + " records"
	case page.total < 0 && page.Pages > 1 && got < int64(page.Pages-1)*int64(largest)+1:
		return "the listing ended after " + strconv.FormatInt(got, 10) + " records, fewer than the " + strconv.Itoa(page.Pages) +
			" pages of up to " + strconv.Itoa(largest) + " records need"
	}
	return ""
}

// ledgerError is the error that ends a ledger listing that cannot be
// trusted: cause is couponkit.ErrPageRepeated or couponkit.ErrListShort.
func (c *Client) ledgerError(page *PointsPage, cause error, message string) *couponkit.Error {
	return &couponkit.Error{Vendor: Vendor, Operation: opPointsLedger.Name, Message: message + ": " + cause.Error(),
		RequestID: page.Meta.RequestID, HTTPStatus: page.Meta.HTTPStatus, Err: cause}
}
