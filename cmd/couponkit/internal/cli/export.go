package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/taobaofilm"
)

// exportPage is what the journal keeps of each page written: where the file
// ended after it and the cursor of the next page.
type exportPage struct {
	Rows    int64  `json:"rows"`
	Bytes   int64  `json:"bytes"`
	Next    int64  `json:"next"`
	HasNext bool   `json:"hasNext"`
	CSV     string `json:"csv"`
}

var exportHeader = []string{"code", "status", "status_name", "bind", "modified"}

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
	var a exportArgs
	var id int64
	var last exportPage
	var seq int64
	if *resume != 0 {
		jb, err := j.Job(ctx, *resume)
		if err != nil {
			return err
		}
		if jb.Vendor != "taobaofilm" || jb.Kind != "export" {
			return fmt.Errorf("job %d is %s %s, not taobaofilm export", jb.ID, jb.Vendor, jb.Kind)
		}
		if err := json.Unmarshal(jb.Args, &a); err != nil {
			return err
		}
		id = jb.ID
		done, err := j.Items(ctx, id, journal.Done)
		if err != nil {
			return err
		}
		if n := len(done); n > 0 {
			if err := json.Unmarshal(done[n-1].Result, &last); err != nil {
				return err
			}
			seq = done[n-1].Seq
			if !last.HasNext {
				fmt.Fprintf(s.out, "job %d: export already complete, %d codes in %s\n", id, last.Rows, a.CSV)
				return nil
			}
		}
	} else {
		if *mix == "" || *partner == "" || *out == "" {
			return usageErr("taobaofilm export needs --mix-id, --partner-code and --csv (or --resume JOB)")
		}
		if *operate != "ALL" && *operate != "CONSUME" {
			return usageErr("--operate must be ALL or CONSUME")
		}
		a = exportArgs{*mix, *partner, *operate, *out}
		if id, err = j.CreateJob(ctx, "export", "taobaofilm", a); err != nil {
			return err
		}
	}
	c, err := s.taobao()
	if err != nil {
		return err
	}
	defer c.Close()

	f, err := os.OpenFile(a.CSV, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	// Cut the file back to the last journaled page (or to nothing).
	if err := f.Truncate(last.Bytes); err != nil {
		return err
	}
	if _, err := f.Seek(last.Bytes, io.SeekStart); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	cw := csv.NewWriter(bw)
	if last.Bytes == 0 {
		cw.Write(exportHeader)
	}
	req := &taobaofilm.ExportRequest{MixID: a.MixID, PartnerCode: a.PartnerCode, OperateType: taobaofilm.OperateType(a.Operate)}
	if seq > 0 {
		next := last.Next
		req.LastSequence = &next
	}
	fmt.Fprintf(s.out, "job %d: exporting %s to %s from row %d\n", id, a.MixID, a.CSV, last.Rows)
	rows := last.Rows
	for page, err := range c.Pages(ctx, req) {
		if err != nil {
			return fmt.Errorf("job %d: %s (resume with --resume %d)", id, s.red.String(err.Error()), id)
		}
		for _, code := range page.Codes {
			cw.Write([]string{code.Code, strconv.Itoa(int(code.Status)), code.Status.String(), strconv.Itoa(int(code.Bind)), code.Modified.Format("2006-01-02 15:04:05")})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if err := f.Sync(); err != nil {
			return err
		}
		pos, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		rows += int64(len(page.Codes))
		seq++
		p := exportPage{Rows: rows, Bytes: pos, Next: page.LastSequence, HasNext: page.HasNext, CSV: a.CSV}
		if err := j.AddItems(ctx, []journal.Item{{Job: id, Seq: seq, Input: json.RawMessage(`{}`), Key: strconv.FormatInt(page.LastSequence, 10), State: journal.Done}}); err != nil {
			return err
		}
		if err := j.Finish(ctx, id, seq, journal.Done, p, ""); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return errors.New("interrupted")
	}
	fmt.Fprintf(s.out, "job %d: %d codes in %s\n", id, rows, a.CSV)
	return nil
}

var _ = context.Background
