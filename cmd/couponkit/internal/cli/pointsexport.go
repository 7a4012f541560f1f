package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/houcaller"
)

// pointsHeader are the columns of couponkit houcaller points. order_no and
// amount (yuan) are what couponkit reconcile --points reads.
var pointsHeader = []string{"member", "month", "record_id", "order_no", "biz_date", "card_no", "org_code", "amount", "paid_amount",
	"haobi_amount", "points_earned", "points_spent", "score_type", "business_type", "remark"}

// pointsCursor is where an export of points ledgers goes on: member I of
// the list, in Month ("2006-01"), from Offset.
type pointsCursor struct {
	I      int    `json:"i"`
	Month  string `json:"month"`
	Offset int    `json:"offset"`
}

// pointsPager exports the points ledgers (queryMemberScoRecordForShop) of a
// list of members, each from the first month to the last, a ledger page a
// journaled page. It reads through the SDK's PointsLedger, so a page the
// gateway repeats or a month that ends short stops the export before that
// page is written; the cursor is the position after the page written.
type pointsPager struct {
	c        *houcaller.Client
	keys     []string
	base     houcaller.PointsLedgerRequest // By, filters, PageSize
	from, to time.Time

	at   pointsCursor // where next() goes on
	i    int          // the member next() lists
	next func() (*houcaller.PointsPage, error, bool)
	stop func()
}

func (p *pointsPager) close() {
	if p.stop != nil {
		p.stop()
		p.next, p.stop = nil, nil
	}
}

// start lists member cur.I's ledger from cur.
func (p *pointsPager) start(ctx context.Context, cur pointsCursor) error {
	p.close()
	month, err := time.ParseInLocation("2006-01", cur.Month, beijing)
	if err != nil {
		return fmt.Errorf("journal: a cursor month that is not yyyy-MM: %q", cur.Month)
	}
	req := p.base
	req.Member, req.From, req.To, req.Offset = p.keys[cur.I], month, p.to, cur.Offset
	p.next, p.stop = iter.Pull2(p.c.PointsLedger(ctx, &req))
	p.at, p.i = cur, cur.I
	return nil
}

func (p *pointsPager) Page(ctx context.Context, cursor json.RawMessage) ([][]string, json.RawMessage, bool, error) {
	cur := pointsCursor{Month: p.from.Format("2006-01")}
	if len(cursor) > 0 {
		if err := json.Unmarshal(cursor, &cur); err != nil {
			return nil, nil, false, fmt.Errorf("journal: a cursor that is not a ledger position: %s", cursor)
		}
	}
	for {
		if cur.I < 0 || cur.I >= len(p.keys) {
			return nil, nil, false, fmt.Errorf("cursor member %d is outside the list of %d members", cur.I, len(p.keys))
		}
		if p.next == nil || cur != p.at || p.i != cur.I {
			if err := p.start(ctx, cur); err != nil {
				return nil, nil, false, err
			}
		}
		page, err, ok := p.next()
		if err != nil {
			return nil, nil, false, fmt.Errorf("member %s: %w", p.keys[cur.I], err)
		}
		if !ok { // the member's ledger ended before the last month (it never does): go on with the next
			p.close()
			if cur = (pointsCursor{I: cur.I + 1, Month: p.from.Format("2006-01")}); cur.I == len(p.keys) {
				b, _ := json.Marshal(cur)
				return nil, b, false, nil
			}
			continue
		}
		next := pointsCursor{I: cur.I, Month: page.Month.Format("2006-01"), Offset: page.NextOffset}
		switch {
		case page.More:
		case page.Month.Before(p.to):
			next = pointsCursor{I: cur.I, Month: page.Month.AddDate(0, 1, 0).Format("2006-01")}
		default:
			next = pointsCursor{I: cur.I + 1, Month: p.from.Format("2006-01")}
		}
		p.at = next
		b, err := json.Marshal(next)
		if err != nil {
			return nil, nil, false, err
		}
		return pointsRows(p.keys[cur.I], page), b, next.I < len(p.keys), nil
	}
}

func pointsRows(member string, page *houcaller.PointsPage) [][]string {
	rows := make([][]string, 0, len(page.Records))
	for _, r := range page.Records {
		rows = append(rows, []string{member, page.Month.Format("2006-01"), r.ID, r.OrderID, fmtTime(r.BizDate), r.CardNo, r.OrgCode,
			r.Amount.Yuan(), r.PaidAmount.Yuan(), r.HaobiAmount.Yuan(), strconv.FormatInt(r.PointsEarned, 10), strconv.FormatInt(r.PointsSpent, 10),
			strconv.Itoa(int(r.ScoreType)), strconv.Itoa(int(r.BusinessType)), r.Remark})
	}
	return rows
}

// pointsArgs are what the journal keeps of a points export, for --resume.
type pointsArgs struct {
	Member       string `json:"member,omitempty"`
	From         string `json:"from,omitempty"`
	Hash         string `json:"sha256,omitempty"`
	By           string `json:"by"`
	FromMonth    string `json:"fromMonth"`
	ToMonth      string `json:"toMonth"`
	ScoreType    *int   `json:"scoreType,omitempty"`
	BusinessType *int   `json:"businessType,omitempty"`
	PageSize     int    `json:"pageSize"`
	CSV          string `json:"csv"`
}

func cmdHoucallerPoints(args []string, env Env) error {
	fs := newFlags("houcaller points", "couponkit houcaller points (--member ID | --from members.csv) --from-month 2006-01 [--to-month 2006-01] --csv out.csv [--resume JOB]\n\n"+
		"Exports members' points ledgers (queryMemberScoRecordForShop) to CSV, month by month\n"+
		"and page by page (columns: "+strings.Join(pointsHeader, ",")+";\n"+
		"amounts in yuan, times Beijing time). Each page is written and synced, then\n"+
		"journaled with its position (member, month, offset); --resume truncates the file\n"+
		"to the last journaled page and goes on from there. A page the gateway repeats,\n"+
		"or a month that ends short of its own page count, stops the export before the\n"+
		"page is written. couponkit reconcile --points takes the file.", env)
	member := fs.String("member", "", "one member (see --by)")
	by := fs.String("by", "memberId", "what --member and the list name: memberId, phone, openId or unionId (queryType)")
	fromMonth := fs.String("from-month", "", "first month, `yyyy-MM` (Beijing time)")
	toMonth := fs.String("to-month", "", "last month, `yyyy-MM` (default: --from-month)")
	scoreType := fs.Int("score-type", -1, "only records of this kind (scoType: 1 earned by spending, 3 exchanged, …; -1: every kind)")
	businessType := fs.Int("business-type", 99, "only records of this points-mall business (hbsBusiType: 0 none, -5 豪币 on spending, …; 99: every one)")
	page := fs.Int("page", houcaller.DefaultPointsPageSize, "records per page (page.limit)")
	from := fs.String("from", "", "input CSV `file` with a header row and a column member_id (instead of --member)")
	f := &exportFlags{}
	f.add(fs)
	if err := parse(fs, args, env); err != nil {
		return err
	}
	a := pointsArgs{Member: *member, From: *from, By: *by, FromMonth: *fromMonth, ToMonth: *toMonth, PageSize: *page, CSV: f.out}
	if f.resume == 0 {
		switch {
		case (a.Member == "") == (a.From == "") || a.FromMonth == "" || a.CSV == "":
			return usageErr("houcaller points needs --member or --from, --from-month and --csv (or --resume JOB)")
		case a.PageSize < 1:
			return usageErr("--page must be at least 1")
		}
		if a.ToMonth == "" {
			a.ToMonth = a.FromMonth
		}
		if *scoreType >= 0 {
			a.ScoreType = scoreType
		}
		if *businessType != 99 {
			a.BusinessType = businessType
		}
		if a.From != "" {
			var err error
			if a.Hash, err = listHash(env, a.From, "member_id"); err != nil {
				return err
			}
		}
		// The request is checked here, so that a bad one records no job.
		if _, _, err := a.request(); err != nil {
			return usageErr("%v", err)
		}
	}
	e := exportJob{vendor: "houcaller", kind: "points-export", header: pointsHeader}
	return e.export(env, f, &a, func() string { return a.CSV }, "records", func(r *exportRun) (pager, func(), error) {
		keys := []string{a.Member}
		if a.From != "" {
			var err error
			if keys, err = listKeys(env, a.From, "member_id", a.Hash, r.l.Job()); err != nil {
				return nil, nil, err
			}
			if len(keys) == 0 {
				return nil, nil, fmt.Errorf("job %d: %s lists no member", r.l.Job(), a.From)
			}
		}
		base, to, err := a.request()
		if err != nil {
			return nil, nil, err
		}
		c, err := r.s.houcaller()
		if err != nil {
			return nil, nil, err
		}
		p := &pointsPager{c: c, keys: keys, base: base, from: base.From, to: to}
		return p, func() { p.close(); c.Close() }, nil
	})
}

// request is the ledger request of a (without a member) and its last month.
func (a *pointsArgs) request() (houcaller.PointsLedgerRequest, time.Time, error) {
	var req houcaller.PointsLedgerRequest
	from, err := time.ParseInLocation("2006-01", a.FromMonth, beijing)
	if err != nil {
		return req, time.Time{}, fmt.Errorf("--from-month %q is not yyyy-MM", a.FromMonth)
	}
	to, err := time.ParseInLocation("2006-01", a.ToMonth, beijing)
	if err != nil {
		return req, time.Time{}, fmt.Errorf("--to-month %q is not yyyy-MM", a.ToMonth)
	}
	if to.Before(from) {
		return req, time.Time{}, fmt.Errorf("--to-month %s is before --from-month %s", a.ToMonth, a.FromMonth)
	}
	req = houcaller.PointsLedgerRequest{By: houcaller.MemberKey(a.By), From: from, To: to, PageSize: a.PageSize}
	if a.ScoreType != nil {
		req.ScoreType = houcaller.ScoreType(*a.ScoreType).Ptr()
	}
	if a.BusinessType != nil {
		req.BusinessType = houcaller.PointsBusinessType(*a.BusinessType).Ptr()
	}
	switch req.By {
	case houcaller.ByMemberID, houcaller.ByPhone, houcaller.ByOpenID, houcaller.ByUnionID:
	default:
		return req, time.Time{}, fmt.Errorf("--by %q is not memberId, phone, openId or unionId", a.By)
	}
	if a.ScoreType != nil && (*a.ScoreType < int(houcaller.ScoreOpening) || *a.ScoreType > int(houcaller.ScoreOpenPlatformIn)) {
		return req, time.Time{}, fmt.Errorf("--score-type %d is not a documented kind (0 to 10)", *a.ScoreType)
	}
	if a.BusinessType != nil && (*a.BusinessType < int(houcaller.BusinessMarketing) || *a.BusinessType > int(houcaller.BusinessWheelGame)) {
		return req, time.Time{}, fmt.Errorf("--business-type %d is not a documented business (-8 to 3)", *a.BusinessType)
	}
	return req, to, nil
}
