package couponkit

import "errors"

// The errors of paging iterators (such as zvcms.Client.CustomerCouponList
// and taobaofilm.Client.Pages), the same in every package. An iterator
// yields them wrapped in an *Error naming the vendor and the operation; match
// them with errors.Is.
var (
	// ErrPageRepeated is matched by the error of a listing whose gateway
	// answered a page the iterator had already handed over (every item of it
	// seen before, or a cursor it already had): the gateway ignores the page
	// number or cursor, or pages in a cycle. The iteration stops there, so no
	// item is handed over twice.
	ErrPageRepeated = errors.New("page repeated")
	// ErrListShort is matched by the error of a listing that ended (an empty
	// page) before it handed over as many items as the vendor's own total
	// said there are: items were lost between pages (a gateway that caps the
	// page size and pages by the size asked for, or a list that changed
	// while it was paged).
	ErrListShort = errors.New("listing ended short of the vendor's total")
)
