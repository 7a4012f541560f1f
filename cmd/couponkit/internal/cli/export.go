package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/zvcms"
)

var exportHeader = []string{"code", "status", "status_name", "bind", "modified"}

// taobaoPager fetches export pages; the cursor is TOP's last_sequence. Its
// rows are unique by code, and an export of every code (ALL) holds the
// batch's total_count of them.
type taobaoPager struct {
	c     *taobaofilm.Client
	req   taobaofilm.ExportRequest
	total int64 // the batch's total_count, from the last page; 0: not known
}

// Total implements totaler: for --operate ALL, the batch's total_count (when TOP sent one).
func (p *taobaoPager) Total() (int64, bool) {
	return p.total, p.req.OperateType == taobaofilm.OperateAll && p.total > 0
}

// RowKey implements rowKeyer: the code.
func (p *taobaoPager) RowKey(row []string) string { return "code " + row[0] }

func (p *taobaoPager) Page(ctx context.Context, cursor json.RawMessage) ([][]string, json.RawMessage, bool, error) {
	req := p.req
	n, ok, err := intCursor(cursor)
	if err != nil {
		return nil, nil, false, err
	}
	if ok {
		req.LastSequence = &n
	}
	page, err := p.c.ExportCodes(ctx, &req)
	if err != nil {
		return nil, nil, false, err
	}
	p.total = page.Basic.TotalCount
	rows := make([][]string, 0, len(page.Codes))
	for _, code := range page.Codes {
		rows = append(rows, []string{code.Code, strconv.Itoa(int(code.Status)), code.Status.String(), strconv.Itoa(int(code.Bind)), code.Modified.Format("2006-01-02 15:04:05")})
	}
	return rows, json.RawMessage(strconv.FormatInt(page.LastSequence, 10)), page.HasNext, nil
}

func cmdExport(args []string, env Env) error {
	fs := newFlags("taobaofilm export", "couponkit taobaofilm export --mix-id ID --partner-code CODE --operate ALL|CONSUME --csv out.csv [--resume JOB]\n\nExports a batch's codes (taobao.film.fcode.export.query) page by page to CSV\n(columns: "+fmt.Sprint(exportHeader)+"). Each page is written and\nsynced, then journaled with its cursor; --resume truncates the file to the last\njournaled page and goes on from its cursor.", env)
	mix := fs.String("mix-id", "", "the batch's mix_id")
	partner := fs.String("partner-code", "", "the channel's partner_code")
	operate := fs.String("operate", "ALL", "ALL (every code) or CONSUME (redeemed codes)")
	f := &exportFlags{}
	f.add(fs)
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if f.resume == 0 {
		if *mix == "" || *partner == "" || f.out == "" {
			return usageErr("taobaofilm export needs --mix-id, --partner-code and --csv (or --resume JOB)")
		}
		if *operate != "ALL" && *operate != "CONSUME" {
			return usageErr("--operate must be ALL or CONSUME")
		}
	}
	type exportArgs struct {
		MixID       string `json:"mixId"`
		PartnerCode string `json:"partnerCode"`
		Operate     string `json:"operate"`
		CSV         string `json:"csv"`
	}
	a := exportArgs{*mix, *partner, *operate, f.out}
	e := exportJob{vendor: "taobaofilm", kind: "export", header: exportHeader}
	return e.export(env, f, &a, func() string { return a.CSV }, "codes", func(r *exportRun) (pager, func(), error) {
		c, err := r.s.taobao()
		if err != nil {
			return nil, nil, err
		}
		p := &taobaoPager{c: c, req: taobaofilm.ExportRequest{MixID: a.MixID, PartnerCode: a.PartnerCode, OperateType: taobaofilm.OperateType(a.Operate)}}
		return p, func() { c.Close() }, nil
	})
}

var zvcmsCouponsHeader = []string{"customer_id", "card_id", "coupon_id", "title", "coupon_type", "use_status", "template_id", "channel", "begin_at", "end_at", "created_at", "updated_at"}

// zvcmsCouponRow is a coupon's row of zvcms coupons (zvcmsCouponsHeader).
func zvcmsCouponRow(c zvcms.Coupon) []string {
	return []string{c.CustomerID, c.CardID, c.CouponID, c.Title, strconv.Itoa(int(c.Type)), strconv.Itoa(int(c.UseStatus)),
		strconv.FormatInt(c.TemplateID, 10), c.Channel, fmtTime(c.BeginAt), fmtTime(c.EndAt), fmtTime(c.CreatedAt), fmtTime(c.UpdatedAt)}
}

func cmdZvcmsCoupons(args []string, env Env) error {
	fs := newFlags("zvcms coupons", "couponkit zvcms coupons --customer-id ID --csv out.csv [--use-status N] [--page N] [--resume JOB]\n\nExports a customer's coupons (getCustomerCouponList) page by page to CSV\n(columns: "+strings.Join(zvcmsCouponsHeader, ",")+").\nEach page is written and synced, then journaled with the number of coupons\nwritten; --resume truncates the file to the last journaled page and goes on from\nthere (the coupons before it are listed again and skipped, so coupons issued to\nthe customer in between come at the end).", env)
	customer := fs.String("customer-id", "", "the customer's id (customerId)")
	status := fs.Int("use-status", -1, "only coupons in this state (useStatus: 0 unused, 1 redeemed, …; -1: every state)")
	page := fs.Int("page", zvcms.DefaultPageSize, "coupons per page (pageSize)")
	f := &exportFlags{}
	f.add(fs)
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if f.resume == 0 {
		if *customer == "" || f.out == "" {
			return usageErr("zvcms coupons needs --customer-id and --csv (or --resume JOB)")
		}
		if *page < 1 {
			return usageErr("--page must be at least 1")
		}
	}
	type couponsArgs struct {
		CustomerID string `json:"customerId"`
		UseStatus  int    `json:"useStatus"`
		PageSize   int    `json:"pageSize"`
		CSV        string `json:"csv"`
	}
	a := couponsArgs{*customer, *status, *page, f.out}
	e := exportJob{vendor: "zvcms", kind: "coupons-export", header: zvcmsCouponsHeader}
	return e.export(env, f, &a, func() string { return a.CSV }, "coupons", func(r *exportRun) (pager, func(), error) {
		c, err := r.s.zvcms()
		if err != nil {
			return nil, nil, err
		}
		req := zvcms.CouponListRequest{CustomerID: a.CustomerID, PageSize: a.PageSize}
		if a.UseStatus >= 0 {
			req.UseStatus = zvcms.UseStatus(a.UseStatus).Ptr()
		}
		p := &seqPager[zvcms.Coupon]{
			list: func(ctx context.Context) iter.Seq2[zvcms.Coupon, error] { return c.CustomerCouponList(ctx, &req) },
			row:  zvcmsCouponRow,
			key:  func(row []string) string { return "card " + row[1] },
			per:  req.PageSize,
			have: "the customer has %d coupons now",
		}
		return p, func() { p.close(); c.Close() }, nil
	})
}
