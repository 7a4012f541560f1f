package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/taobaofilm"
)

var exportHeader = []string{"code", "status", "status_name", "bind", "modified"}

// taobaoPager fetches export pages; the cursor is TOP's last_sequence.
type taobaoPager struct {
	c   *taobaofilm.Client
	req taobaofilm.ExportRequest
}

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
	out := fs.String("csv", "", "output CSV `file`")
	resume := fs.Int64("resume", 0, "resume export `JOB` from its last journaled page")
	var jp, profile, config string
	rate := fs.Float64("rate", 0, "at most `R` requests a second (0: no limit)")
	addCommonFlags(fs, &jp, &profile, &config)
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if *resume == 0 {
		if *mix == "" || *partner == "" || *out == "" {
			return usageErr("taobaofilm export needs --mix-id, --partner-code and --csv (or --resume JOB)")
		}
		if *operate != "ALL" && *operate != "CONSUME" {
			return usageErr("--operate must be ALL or CONSUME")
		}
	}
	s, err := newSession("taobaofilm", profile, config, *rate, env)
	if err != nil {
		return err
	}
	j, err := journal.Open(jp)
	if err != nil {
		return err
	}
	defer j.Close()
	ctx, stop := signalContext()
	defer stop()

	type exportArgs struct {
		MixID       string `json:"mixId"`
		PartnerCode string `json:"partnerCode"`
		Operate     string `json:"operate"`
		CSV         string `json:"csv"`
	}
	a := exportArgs{*mix, *partner, *operate, *out}
	e := exportJob{vendor: "taobaofilm", kind: "export", header: exportHeader}
	id, last, seq, done, err := e.start(ctx, j, *resume, &a, func() string { return a.CSV })
	if err != nil {
		return err
	}
	if done {
		fmt.Fprintf(s.out, "job %d: export already complete, %d codes in %s\n", id, last.Rows, a.CSV)
		return nil
	}
	c, err := s.taobao()
	if err != nil {
		return err
	}
	defer c.Close()
	p := &taobaoPager{c: c, req: taobaofilm.ExportRequest{MixID: a.MixID, PartnerCode: a.PartnerCode, OperateType: taobaofilm.OperateType(a.Operate)}}
	return e.run(ctx, s, j, id, a.CSV, last, seq, p)
}
