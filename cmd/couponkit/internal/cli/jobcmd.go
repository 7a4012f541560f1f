package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/jobs"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/progress"
	"github.com/couponkit/couponkit/ebuy"
)

// The bulk jobs: flags, their checks, the kind of each job, and the run
// (dry run, a new job, or --resume).

// jobSynopses are the help texts of the bulk jobs.
var jobSynopses = map[string]string{
	"ebuy activate":                "couponkit ebuy activate --from codes.csv [flags]\n\nActivates made codes (batchActivateCode), in requests of up to --chunk codes.\nCSV columns: code.",
	"ebuy status":                  "couponkit ebuy status --type freeze|unfreeze|invalid|delay --from codes.csv [flags]\n\nChanges codes' status (batchUpdateCodeStatus), 20 codes a request (e-Buy's limit).\nCSV columns: code.",
	"zvcms redeem":                 "couponkit zvcms redeem --from redemptions.csv [flags]\n\nRedeems coupons (writeOffCoupon), one request a row, keyed by bizId.\nCSV " + redeemColumnsHelp + ".",
	"zvcms reverse":                "couponkit zvcms reverse --from redemptions.csv [flags]\n\nReverses redemptions (couponReverse), one request a row, keyed by the\nredemption's bizId. CSV " + reverseColumnsHelp + ".",
	"zvcms issue":                  "couponkit zvcms issue --from issues.csv [flags]\n\nIssues coupons to customers (issueCouponsToCustomer), one request a row. Unsafe\nunless --keyed: before each issue the customer's coupons of that coupon id are\nlisted and journaled with the bizId; on --resume an unknown outcome is settled by\nlisting them again (exactly num new: applied; none: sent again), otherwise it is\nlisted (couponkit journal unknown), never sent again. Rows of one customer and\ncoupon id after an unknown outcome wait for --resume.\nCSV " + issueColumnsHelp + ".",
	"ebuy make-codes":              "couponkit ebuy make-codes --from orders.csv [flags]\n\nIssues codes to sales orders (makeCode), one request a row. Unsafe: e-Buy 4.1\nhas no query of a make order, so an unknown outcome is listed (couponkit journal\nunknown) with its outer_order_id, never sent again. Keyed on outer_order_id when\nEBUY_MAKE_CODES_DEDUPLICATES=true (environment or profile): the gateway answers a\nrepeated order with its first make, so an unknown outcome is sent again. Without --from or --resume:\nthe single call (couponkit ebuy make-codes -h).\nCSV " + makeColumnsHelp + ".",
	"taobaofilm send-codes":        "couponkit taobaofilm send-codes --from sends.csv [flags]\n\nIssues codes of a batch (taobao.film.lottery.sendcode), one request a row, keyed\nby ext_order_id: on --resume an unknown outcome is sent again with its recorded\next_order_id. Without --from or --resume: the single call.\nCSV " + sendColumnsHelp + ".",
	"houcaller record-consumption": "couponkit houcaller record-consumption --from consumptions.csv [flags]\n\nRecords members' spending (recordMemberCons), one request a row. Unsafe unless\n--keyed: an unknown outcome is listed (couponkit journal unknown) with its\nserialCode, never sent again. Without --from or --resume: the single call.\nCSV " + consumptionColumnsHelp + ".",
}

// jobFlags are a bulk job's flags: the shared ones and each kind's own.
type jobFlags struct {
	from, journal, profile, config string
	dryRun, stopOnError            bool
	skipRepeats, newJob            bool
	concurrency                    int
	rate                           float64
	resume                         int64
	typ, validEnd, channel         string
	mixID, partnerCode, recordType string
	chunk                          int
	partial, keyed                 bool
}

func addJobFlags(fs *flag.FlagSet, vendor, call string) *jobFlags {
	f := &jobFlags{}
	fs.StringVar(&f.from, "from", "", "input CSV `file` with a header row (-: standard input)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print what would be sent; send and journal nothing (exit 1 when a row is malformed or repeated)")
	fs.IntVar(&f.concurrency, "concurrency", 4, "requests in flight at once (at least 1)")
	fs.Float64Var(&f.rate, "rate", 0, "at most `R` requests a second (0: no limit)")
	fs.BoolVar(&f.stopOnError, "stop-on-error", false, "stop at the first malformed row or failed request")
	fs.BoolVar(&f.skipRepeats, "skip-repeats", false, "send the first of rows that repeat one another (the same code, the same key) and skip the others; without it such an input is refused")
	fs.BoolVar(&f.newJob, "new-job", false, "start a new job from an input this journal already ran as a job (every row is sent again)")
	fs.Int64Var(&f.resume, "resume", 0, "resume `JOB` from the journal instead of reading --from")
	addCommonFlags(fs, &f.journal, &f.profile, &f.config)
	if vendor == "ebuy" {
		fs.StringVar(&f.recordType, "check-record-type", "default", "on --resume, the code-history record `type` that shows the item applied (e-Buy does not publish them; default: the fake's, activate 3, freeze 5, unfreeze 6, invalid 7, delay 8; empty: no check, Keyed items are re-sent with their keys)")
	}
	switch vendor + " " + call {
	case "ebuy activate":
		fs.IntVar(&f.chunk, "chunk", ebuy.MaxCodesPerUpdate, "codes per request")
	case "ebuy status":
		fs.StringVar(&f.typ, "type", "", "update: freeze, unfreeze, invalid or delay")
		fs.StringVar(&f.validEnd, "valid-end", "", "new end of validity for --type delay (2006-01-02 15:04:05, Beijing time)")
		fs.BoolVar(&f.partial, "partial", false, "let e-Buy apply the update to the codes that allow it (supportPartial)")
	case "zvcms redeem":
		fs.StringVar(&f.channel, "channel", "", "merchant account (channel) for rows without one")
	case "zvcms issue":
		fs.StringVar(&f.channel, "third-channel", "", "issuing channel (thirdChannel) for rows without one")
		fs.BoolVar(&f.keyed, "keyed", false, "the gateway de-duplicates issues on bizId (zvcms Config.IssueDeduplicates): no listing before each issue, unknown outcomes re-sent with their bizId on --resume")
	case "houcaller record-consumption":
		fs.BoolVar(&f.keyed, "keyed", false, "the gateway de-duplicates records on serialCode (houcaller Config.SerialCodeDedup): unknown outcomes re-sent with their serialCode on --resume")
	case "taobaofilm send-codes":
		fs.StringVar(&f.mixID, "mix-id", "", "the batch's mix_id for rows without one")
		fs.StringVar(&f.partnerCode, "partner-code", "", "the channel's partner_code for rows without one")
	}
	return f
}

// check refuses flags that cannot go together or are out of range, before
// anything is read, journaled or sent.
func (f *jobFlags) check(vendor, call string) error {
	switch {
	case f.from == "" && f.resume == 0:
		return usageErr("%s %s needs --from FILE or --resume JOB", vendor, call)
	case f.from != "" && f.resume != 0:
		return usageErr("--from and --resume do not go together: --resume JOB goes on with the rows journaled for JOB")
	case f.resume < 0:
		return usageErr("--resume must be a job number (couponkit journal show lists them)")
	case f.dryRun && f.resume != 0:
		return usageErr("--dry-run and --resume do not go together")
	case f.resume != 0 && (f.newJob || f.skipRepeats):
		return usageErr("--new-job and --skip-repeats plan a new job from --from; they do not go with --resume")
	case f.concurrency < 1:
		return usageErr("--concurrency must be at least 1, not %d", f.concurrency)
	case math.IsNaN(f.rate) || math.IsInf(f.rate, 0) || f.rate < 0:
		return usageErr("--rate must be 0 (no limit) or a positive number of requests a second, not %v", f.rate)
	}
	switch vendor + " " + call {
	case "ebuy activate":
		if f.chunk < 1 {
			return usageErr("--chunk must be at least 1")
		}
	case "ebuy status":
		switch ebuy.UpdateType(f.typ) {
		case ebuy.UpdateFreeze, ebuy.UpdateUnfreeze, ebuy.UpdateInvalid:
		case ebuy.UpdateDelay:
			if _, err := f.validEndTime(); err != nil {
				return usageErr("--valid-end: %v", err)
			}
		default:
			return usageErr("--type must be freeze, unfreeze, invalid or delay")
		}
	}
	return nil
}

func (f *jobFlags) validEndTime() (time.Time, error) {
	return time.ParseInLocation("2006-01-02 15:04:05", f.validEnd, time.FixedZone("CST", 8*3600))
}

// args are the job's arguments as journaled (never credentials).
func (f *jobFlags) args(vendor, call string) map[string]any {
	a := map[string]any{"from": f.from, "concurrency": f.concurrency, "rate": f.rate}
	switch vendor + " " + call {
	case "ebuy activate":
		a["chunk"] = f.chunk
	case "ebuy status":
		a["type"], a["validEnd"] = f.typ, f.validEnd
	case "zvcms redeem":
		a["channel"] = f.channel
	case "zvcms issue":
		a["thirdChannel"], a["keyed"] = f.channel, f.keyed
	case "taobaofilm send-codes":
		a["mixId"], a["partnerCode"] = f.mixID, f.partnerCode
	case "houcaller record-consumption":
		a["keyed"] = f.keyed
	}
	return a
}

// kind returns the job's kind on a client of s, and the function that
// closes the client.
func (f *jobFlags) kind(s *session, vendor, call string) (jobs.Kind, func() error, error) {
	switch vendor {
	case "ebuy":
		c, err := s.ebuy()
		if err != nil {
			return nil, nil, err
		}
		switch call {
		case "activate":
			return &ebuyActivate{c: c, chunk: f.chunk, historyCheck: historyCheck{c: c, recordType: checkType(f.recordType, "activate")}}, c.Close, nil
		case "status":
			k := &ebuyStatus{c: c, typ: ebuy.UpdateType(f.typ), partial: f.partial, historyCheck: historyCheck{c: c, recordType: checkType(f.recordType, f.typ)}}
			if k.typ == ebuy.UpdateDelay {
				k.validEnd, _ = f.validEndTime()
			}
			return k, c.Close, nil
		}
		dedup, _ := s.ebuyMakeCodesDeduplicates() // checked by s.ebuy
		return &ebuyMakeCodes{c: c, dedup: dedup}, c.Close, nil
	case "zvcms":
		c, err := s.zvcms()
		if err != nil {
			return nil, nil, err
		}
		switch call {
		case "redeem":
			return &zvcmsRedeem{c: c, channel: f.channel}, c.Close, nil
		case "reverse":
			k := &zvcmsReverse{c: c}
			if f.resume == 0 {
				// A new job's rows are reversed by the bizId the vendor
				// returned for them, as the journal's redeem jobs recorded
				// it; resumed items carry it already.
				if k.vendorIDs, err = loadVendorBizIDs(context.Background(), f.journal); err != nil {
					c.Close()
					return nil, nil, err
				}
			}
			return k, c.Close, nil
		}
		return &zvcmsIssue{c: c, keyed: f.keyed, thirdChannel: f.channel}, c.Close, nil
	case "taobaofilm":
		c, err := s.taobao()
		if err != nil {
			return nil, nil, err
		}
		return &taobaoSend{c: c, mixID: f.mixID, partnerCode: f.partnerCode}, c.Close, nil
	}
	c, err := s.houcaller()
	if err != nil {
		return nil, nil, err
	}
	return &houcallerConsumption{c: c, keyed: f.keyed}, c.Close, nil
}

func cmdJob(vendor, call string, args []string, env Env) error {
	fs := newFlags(vendor+" "+call, jobSynopses[vendor+" "+call], env)
	f := addJobFlags(fs, vendor, call)
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if err := f.check(vendor, call); err != nil {
		return err
	}
	s, err := newSession(vendor, f.profile, f.config, f.rate, env)
	if err != nil {
		return err
	}
	s.issueDedup, s.serialDedup = f.keyed, f.keyed
	// Every write's item is journaled sent by the observer, after the
	// client's waits, right before the request leaves.
	s.opts = append(s.opts, couponkit.WithObserver(jobs.Observer{}))
	kind, closeClient, err := f.kind(s, vendor, call)
	if err != nil {
		return err
	}
	defer closeClient()
	jobArgs := f.args(vendor, call)
	if mk, ok := kind.(*ebuyMakeCodes); ok {
		jobArgs["keyed"] = mk.dedup
	}
	o := jobs.Options{Concurrency: f.concurrency, StopOnError: f.stopOnError, SkipRepeats: f.skipRepeats, NewJob: f.newJob,
		Out: s.out, Progress: s.errw, TTY: progress.IsTerminal(env.Stderr), Redact: s.red.String, Args: jobArgs}
	ctx, stop := signalContext()
	defer stop()
	var sum *jobs.Summary
	if f.resume != 0 {
		sum, err = f.resumeJob(ctx, kind, vendor, call, o)
	} else {
		sum, err = f.startJob(ctx, kind, o, env)
	}
	var ue *usageError
	var ee *exitErr
	switch {
	case errors.As(err, &ue), errors.As(err, &ee):
		return err
	case err != nil:
		return errors.New(s.red.String(err.Error()))
	}
	if !sum.OK() {
		return &exitErr{1}
	}
	return nil
}

// startJob plans --from and runs it as a new job (or prints it, with
// --dry-run). The journal is opened, and created, only once the input has
// been read and planned.
func (f *jobFlags) startJob(ctx context.Context, kind jobs.Kind, o jobs.Options, env Env) (*jobs.Summary, error) {
	in, err := openInput(f.from, env)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	name := f.from
	if name == "-" {
		name = "standard input"
	}
	p, err := jobs.MakePlan(kind, in, name, jobs.PlanOptions{StopOnError: f.stopOnError, SkipRepeats: f.skipRepeats})
	if err != nil {
		return nil, err
	}
	if f.dryRun {
		sum := jobs.DryRun(kind, p, o)
		if len(p.Malformed) > 0 || (len(p.Repeats) > 0 && !f.skipRepeats) {
			return sum, &exitErr{1}
		}
		return sum, nil
	}
	if p.Refused(o) != nil {
		return jobs.Check(kind, p, o) // lists the rows and refuses, before any journal is opened
	}
	j, err := journal.Open(f.journal)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	return jobs.Start(ctx, j, kind, p, o)
}

// resumeJob goes on with job --resume of the journal, which must exist.
func (f *jobFlags) resumeJob(ctx context.Context, kind jobs.Kind, vendor, call string, o jobs.Options) (*jobs.Summary, error) {
	j, err := journal.OpenExisting(f.journal)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	jb, err := j.Job(ctx, f.resume)
	if err != nil {
		return nil, err
	}
	var recorded struct {
		Keyed bool `json:"keyed"`
	}
	json.Unmarshal(jb.Args, &recorded)
	if (vendor+" "+call == "zvcms issue" || vendor+" "+call == "houcaller record-consumption") && recorded.Keyed != f.keyed {
		return nil, usageErr("job %d was run with --keyed=%t; resume it the same way", f.resume, recorded.Keyed)
	}
	switch k := kind.(type) {
	case *ebuyActivate:
		k.since = jb.Created
	case *ebuyStatus:
		k.since = jb.Created
	}
	return jobs.Resume(ctx, j, kind, f.resume, o)
}

func checkType(flag, job string) string {
	if flag == "default" {
		return ebuyRecordTypes[job]
	}
	return flag
}

func openInput(path string, env Env) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(env.Stdin), nil
	}
	return os.Open(path)
}
