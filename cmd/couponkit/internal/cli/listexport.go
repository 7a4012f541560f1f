package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/houcaller"
)

// listPager exports one query per key of an input list (a code's history, a
// member's coupons): a page is up to per keys fetched with conc at once,
// written in the list's order; the cursor is the index of the next key.
type listPager struct {
	keys  []string
	per   int
	conc  int
	fetch func(ctx context.Context, key string) ([][]string, error)
}

func (p *listPager) Page(ctx context.Context, cursor json.RawMessage) ([][]string, json.RawMessage, bool, error) {
	start, _, err := intCursor(cursor)
	if err != nil {
		return nil, nil, false, err
	}
	if start < 0 || start > int64(len(p.keys)) {
		return nil, nil, false, fmt.Errorf("cursor %d is outside the list of %d keys", start, len(p.keys))
	}
	end := min(int(start)+max(p.per, 1), len(p.keys))
	keys := p.keys[start:end]
	out := make([][][]string, len(keys))
	errs := make([]error, len(keys))
	sem := make(chan struct{}, max(p.conc, 1))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = p.fetch(ctx, k)
		}()
	}
	wg.Wait()
	var rows [][]string
	for i := range keys {
		if errs[i] != nil {
			return nil, nil, false, fmt.Errorf("%s: %w", keys[i], errs[i])
		}
		rows = append(rows, out[i]...)
	}
	return rows, json.RawMessage(strconv.Itoa(end)), end < len(p.keys), nil
}

// readKeys reads column col of a CSV file with a header row, and the hash
// of the list (a resumed export must read the same list).
func readKeys(r io.Reader, col string) ([]string, string, error) {
	cr, err := csvio.NewReader(r, col)
	if err != nil {
		return nil, "", err
	}
	var keys []string
	h := sha256.New()
	for {
		row, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", err
		}
		if row.Err != nil {
			return nil, "", row.Err
		}
		k := row.Get(col)
		if k == "" {
			return nil, "", fmt.Errorf("line %d: empty %s", row.Line, col)
		}
		keys = append(keys, k)
		h.Write([]byte(k + "\n"))
	}
	return keys, hex.EncodeToString(h.Sum(nil)), nil
}

type listExportArgs struct {
	From string `json:"from"`
	Hash string `json:"sha256"`
	CSV  string `json:"csv"`
	Per  int    `json:"per"`
}

// listExport is an export of one query per key of a list: ebuy history
// --from and houcaller coupons --from.
type listExport struct {
	vendor, kind, col string
	header            []string
	open              func(s *session) (fetch func(ctx context.Context, key string) ([][]string, error), closeFn func(), err error)
}

type listFlags struct {
	exportFlags
	from      string
	per, conc int
}

func addListFlags(fs *flag.FlagSet, col string) *listFlags {
	f := &listFlags{}
	fs.StringVar(&f.from, "from", "", "input CSV `file` with a header row and a column "+col)
	fs.IntVar(&f.per, "page", 50, "`keys` per journaled page")
	fs.IntVar(&f.conc, "concurrency", 4, "queries in flight at once")
	f.exportFlags.add(fs)
	return f
}

// listHash returns the hash of column col of the list at path (see
// readKeys), which the journal keeps with an export of the list.
func listHash(env Env, path, col string) (string, error) {
	in, err := openInput(path, env)
	if err != nil {
		return "", err
	}
	defer in.Close()
	_, hash, err := readKeys(in, col)
	return hash, err
}

// listKeys reads column col of the list at path for export job id, which
// began with the list of that hash: a list changed since is an error.
func listKeys(env Env, path, col, hash string, id int64) ([]string, error) {
	in, err := openInput(path, env)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	keys, h, err := readKeys(in, col)
	if err != nil {
		return nil, err
	}
	if h != hash {
		return nil, fmt.Errorf("job %d: %s changed since the export began (its list is not the same)", id, path)
	}
	return keys, nil
}

func (le listExport) run(f *listFlags, env Env) error {
	if f.resume == 0 && (f.from == "" || f.out == "") {
		return usageErr("%s %s export needs --from and --csv (or --resume JOB)", le.vendor, le.kind)
	}
	a := listExportArgs{From: f.from, CSV: f.out, Per: f.per}
	if f.resume == 0 {
		var err error
		if a.Hash, err = listHash(env, f.from, le.col); err != nil {
			return err
		}
	}
	e := exportJob{vendor: le.vendor, kind: le.kind, header: le.header}
	return e.export(env, &f.exportFlags, &a, func() string { return a.CSV }, "rows", func(r *exportRun) (pager, func(), error) {
		keys, err := listKeys(env, a.From, le.col, a.Hash, r.l.Job())
		if err != nil {
			return nil, nil, err
		}
		fetch, closeFn, err := le.open(r.s)
		if err != nil {
			return nil, nil, err
		}
		return &listPager{keys: keys, per: a.Per, conc: f.conc, fetch: fetch}, closeFn, nil
	})
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(beijing).Format("2006-01-02 15:04:05")
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(beijing).Format("2006-01-02")
}

var (
	historyHeader = []string{"code", "time", "type", "return_code", "return_msg", "shop_no", "shop_name", "merchant_id", "terminal_id"}
	couponsHeader = []string{"member_id", "id", "coupon_id", "code", "name", "type", "status", "open_id", "begin_date", "end_date", "use_time", "sell_scene"}
)

func historyRows(h *ebuy.CodeHistory, code string) [][]string {
	rows := make([][]string, 0, len(h.Records))
	for _, r := range h.Records {
		rows = append(rows, []string{code, fmtTime(r.Time), r.Type, r.ReturnCode, r.ReturnMessage, r.ShopNo, r.ShopName, r.MerchantID, r.TerminalID})
	}
	return rows
}

func couponRows(res *houcaller.MemberCouponsResult, member string) [][]string {
	rows := make([][]string, 0, len(res.Coupons))
	for _, c := range res.Coupons {
		rows = append(rows, []string{member, c.ID, c.CouponID, c.Code, c.Name, cellOf(c.Type), cellOf(c.Status), c.OpenID, fmtDate(c.BeginDate), fmtDate(c.EndDate), fmtTime(c.UseTime), c.SellScene})
	}
	return rows
}

func cellOf(v any) string { return strings.TrimSpace(fmt.Sprint(v)) }

var ebuyHistoryExport = listExport{vendor: "ebuy", kind: "history-export", col: "code", header: historyHeader,
	open: func(s *session) (func(context.Context, string) ([][]string, error), func(), error) {
		c, err := s.ebuy()
		if err != nil {
			return nil, nil, err
		}
		return func(ctx context.Context, code string) ([][]string, error) {
			h, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: code})
			if err != nil {
				return nil, err
			}
			return historyRows(h, code), nil
		}, func() { c.Close() }, nil
	}}

var houcallerCouponsExport = listExport{vendor: "houcaller", kind: "coupons-export", col: "member_id", header: couponsHeader,
	open: func(s *session) (func(context.Context, string) ([][]string, error), func(), error) {
		c, err := s.houcaller()
		if err != nil {
			return nil, nil, err
		}
		return func(ctx context.Context, member string) ([][]string, error) {
			res, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: member})
			if err != nil {
				return nil, err
			}
			return couponRows(res, member), nil
		}, func() { c.Close() }, nil
	}}

func cmdHoucallerCoupons(args []string, env Env) error {
	fs := newFlags("houcaller coupons", "couponkit houcaller coupons --from members.csv --csv out.csv [--resume JOB]\n\nExports the coupons of every member of a list (listCpnItemByMember) to CSV\n(columns: "+strings.Join(couponsHeader, ",")+"), a page of --page\nmembers at a time, each page written, synced and journaled; --resume goes on\nfrom the last journaled page.", env)
	f := addListFlags(fs, "member_id")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	return houcallerCouponsExport.run(f, env)
}

func cmdEbuyHistory(args []string, env Env) error {
	fs := newFlags("ebuy history", "couponkit ebuy history --code CODE [--json]\n       couponkit ebuy history --from codes.csv --csv out.csv [--resume JOB]\n\nLists the operations recorded on a code (_queryCodeDetailList), or exports the\nhistories of every code of a list to CSV (columns: "+strings.Join(historyHeader, ",")+"),\na page of --page codes at a time, each page written, synced and journaled;\n--resume goes on from the last journaled page. A code without records has no row.", env)
	code := fs.String("code", "", "the code")
	asJSON := fs.Bool("json", false, "print JSON")
	f := addListFlags(fs, "code")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if *code == "" {
		if f.from != "" || f.resume != 0 {
			return ebuyHistoryExport.run(f, env)
		}
		return usageErr("ebuy history needs --code, or --from and --csv")
	}
	s, err := newSession("ebuy", f.profile, f.config, f.rate, env)
	if err != nil {
		return err
	}
	c, err := s.ebuy()
	if err != nil {
		return err
	}
	defer c.Close()
	h, err := c.CodeHistory(context.Background(), &ebuy.CodeHistoryRequest{Code: *code})
	if err != nil {
		return errors.New(s.red.String(err.Error()))
	}
	if *asJSON {
		return json.NewEncoder(s.out).Encode(h.Records)
	}
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tTYPE\tRESULT\tSHOP")
	for _, r := range h.Records {
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\n", r.Time.Format("2006-01-02 15:04:05"), r.Type, r.ReturnCode, r.ReturnMessage, r.ShopNo)
	}
	return tw.Flush()
}
