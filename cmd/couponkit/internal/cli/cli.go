// Package cli is the couponkit command: a small subcommand dispatcher over
// the fakes, the bulk jobs, the journal, export and reconcile.
package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/creds"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/jobs"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/progress"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/reconcile"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/zvcms"
)

// Env is what a run of the command sees.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Signals, when set, is where the fake command waits for its stop
	// signal; nil means SIGINT and SIGTERM.
	Signals <-chan os.Signal
}

const usage = `couponkit: coupon jobs on e-Buy, zvcms, Taobao film, Houcaller and Suning, with a crash-safe journal.

Usage:
  couponkit fake <ebuy|houcaller|suning|taobaofilm|zvcms> [--listen ADDR] [--seed FILE] [--codes-csv FILE] [--dump FILE] [--json]
  couponkit ebuy activate --from codes.csv [job flags]
  couponkit ebuy status --type freeze|unfreeze|invalid|delay --from codes.csv [--valid-end T] [job flags]
  couponkit ebuy history --code CODE [--json]
  couponkit ebuy history --from codes.csv --csv out.csv [--resume JOB]
  couponkit zvcms redeem --from redemptions.csv [--channel NAME] [job flags]
  couponkit zvcms reverse --from reversals.csv [job flags]
  couponkit zvcms issue --from issues.csv [--third-channel NAME] [--keyed] [job flags]
  couponkit zvcms coupons --customer-id ID --csv out.csv [--use-status N] [--resume JOB]
  couponkit ebuy make-codes --from orders.csv [job flags]
  couponkit taobaofilm send-codes --from sends.csv [--mix-id ID] [--partner-code CODE] [job flags]
  couponkit houcaller record-consumption --from consumptions.csv [--keyed] [job flags]
  couponkit taobaofilm export --mix-id ID --partner-code CODE --operate ALL|CONSUME --csv out.csv [--resume JOB]
  couponkit houcaller coupons --from members.csv --csv out.csv [--resume JOB]
  couponkit <vendor> <call> [request flags] [--input request.json] [--json]
  couponkit reconcile --orders orders.csv --redemptions export.csv [--csv]
  couponkit journal show|unknown|export [--job N]

Single calls (couponkit <vendor> <call> -h lists a call's request flags):
` + callList + `
Job flags: --from FILE --dry-run --concurrency N --rate R --stop-on-error --resume JOB
           --journal FILE (default ./couponkit-journal.db) --profile NAME --config FILE

Credentials come from the environment (EBUY_GATEWAY, EBUY_APP_ID, EBUY_APP_SECRET,
EBUY_BRAND_ID; ZVCMS_GATEWAY, ZVCMS_OPEN_ID, ZVCMS_OPEN_KEY, ZVCMS_GRANT_CODE;
TAOBAO_GATEWAY, TAOBAO_APP_KEY, TAOBAO_APP_SECRET, TAOBAO_SESSION; HOUCALLER_GATEWAY,
HOUCALLER_CHANNEL, HOUCALLER_DES_KEY; SUNING_GATEWAY, SUNING_APP_KEY, SUNING_APP_SECRET,
SUNING_ACCESS_TOKEN) or from a profile of the config file
(~/.config/couponkit/profiles.json), never from flags. Secret values are never
printed or journaled.
`

// Main runs the command with args (without the program name) and returns
// its exit status.
func Main(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stdout, usageText())
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	var err error
	switch args[0] {
	case "fake":
		err = cmdFake(args[1:], env)
	case "ebuy", "zvcms", "taobaofilm", "houcaller", "suning":
		if len(args) < 2 {
			err = usageErr("%s needs a call", args[0])
			break
		}
		err = cmdVendor(args[0], args[1], args[2:], env)
	case "reconcile":
		err = cmdReconcile(args[1:], env)
	case "journal":
		err = cmdJournal(args[1:], env)
	default:
		err = usageErr("unknown command %q", args[0])
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(*exitErr)):
		return err.(*exitErr).code
	default:
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(env.Stderr, "couponkit: %v\nrun couponkit --help for usage\n", err)
			return 2
		}
		fmt.Fprintf(env.Stderr, "couponkit: %v\n", err)
		return 1
	}
}

type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }
func usageErr(f string, a ...any) error {
	return &usageError{fmt.Sprintf(f, a...)}
}

type exitErr struct{ code int }

func (e *exitErr) Error() string { return fmt.Sprintf("exit %d", e.code) }

func newFlags(name, synopsis string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stdout)
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string, env Env) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		fs.SetOutput(env.Stderr)
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// ---- fake

func cmdFake(args []string, env Env) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs := newFlags("fake", "couponkit fake <"+strings.Join(fakeserve.SortedVendors(), "|")+"> [flags]", env)
		addFakeFlags(fs)
		if err := parse(fs, args, env); err != nil {
			return err
		}
		return usageErr("fake needs a vendor")
	}
	vendor := args[0]
	fs := newFlags("fake "+vendor, "couponkit fake "+vendor+" [flags]\n\nServes the vendor's stateful fake and prints the settings a client needs as\nKEY=value lines (source them with: set -a; . ./fake.env). Runs until SIGINT or SIGTERM.", env)
	listen, seedPath, codesCSV, dump, asJSON := addFakeFlags(fs)
	if err := parse(fs, args[1:], env); err != nil {
		return err
	}
	var seed *fakeserve.Seed
	if *seedPath != "" {
		var err error
		if seed, err = fakeserve.ReadSeed(*seedPath); err != nil {
			return err
		}
	}
	f, err := fakeserve.Start(vendor, *listen, seed)
	if err != nil {
		return err
	}
	defer f.Close()
	if *codesCSV != "" {
		if err := f.WriteSeeded(*codesCSV); err != nil {
			return err
		}
	}
	doDump := func() {
		if *dump == "" || f.Dump == nil {
			return
		}
		file, err := os.Create(*dump + ".tmp")
		if err == nil {
			err = f.Dump(file)
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}
		if err == nil {
			err = os.Rename(*dump+".tmp", *dump)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "couponkit: dump: %v\n", err)
		}
	}
	if *asJSON {
		f.WriteJSON(env.Stdout)
	} else {
		f.WriteEnv(env.Stdout)
	}
	if fl, ok := env.Stdout.(interface{ Sync() error }); ok {
		fl.Sync()
	}
	sig := env.Signals
	if sig == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGUSR1)
		defer signal.Stop(ch)
		sig = ch
	}
	for s := range sig {
		if s == syscall.SIGUSR1 {
			doDump()
			continue
		}
		break
	}
	doDump()
	return nil
}

func addFakeFlags(fs *flag.FlagSet) (listen, seed, codesCSV, dump *string, asJSON *bool) {
	listen = fs.String("listen", "127.0.0.1:0", "`address` to serve on (port 0 picks a free port)")
	seed = fs.String("seed", "", "JSON `file` of state to start with (ebuy: {\"codes\":[{\"status\":\"03\",\"count\":N}]}; zvcms: {\"count\":N,\"coupons\":[…]}; taobaofilm: {\"batches\":[…]})")
	codesCSV = fs.String("codes-csv", "", "write the seeded codes to this CSV `file` (ready for --from)")
	dump = fs.String("dump", "", "write the fake's state as JSON to this `file` on SIGUSR1 and on exit (ebuy, zvcms)")
	asJSON = fs.Bool("json", false, "print the settings as one JSON object")
	return
}

// ---- vendor commands

type jobFlags struct {
	from, journal, profile, config string
	dryRun, stopOnError            bool
	concurrency                    int
	rate                           float64
	resume                         int64
}

func addJobFlags(fs *flag.FlagSet) *jobFlags {
	f := &jobFlags{}
	fs.StringVar(&f.from, "from", "", "input CSV `file` with a header row")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print what would be sent; send and journal nothing")
	fs.IntVar(&f.concurrency, "concurrency", 4, "requests in flight at once")
	fs.Float64Var(&f.rate, "rate", 0, "at most `R` requests a second (0: no limit)")
	fs.BoolVar(&f.stopOnError, "stop-on-error", false, "stop at the first malformed row or failed request")
	fs.Int64Var(&f.resume, "resume", 0, "resume `JOB` from the journal instead of reading --from")
	addCommonFlags(fs, &f.journal, &f.profile, &f.config)
	return f
}

func addCommonFlags(fs *flag.FlagSet, journalPath, profile, config *string) {
	fs.StringVar(journalPath, "journal", journal.DefaultPath, "journal `file` (SQLite)")
	fs.StringVar(profile, "profile", "", "credentials profile `name` from the config file (default: the environment)")
	fs.StringVar(config, "config", "", "config `file` of profiles (default ~/.config/couponkit/profiles.json)")
}

var vendorNames = map[string][]string{
	"ebuy":       {"EBUY_GATEWAY", "EBUY_APP_ID", "EBUY_APP_SECRET", "EBUY_BRAND_ID"},
	"zvcms":      {"ZVCMS_GATEWAY", "ZVCMS_OPEN_ID", "ZVCMS_OPEN_KEY", "ZVCMS_GRANT_CODE"},
	"taobaofilm": {"TAOBAO_GATEWAY", "TAOBAO_APP_KEY", "TAOBAO_APP_SECRET", "TAOBAO_SESSION"},
	"houcaller":  {"HOUCALLER_GATEWAY", "HOUCALLER_CHANNEL", "HOUCALLER_DES_KEY"},
	"suning":     {"SUNING_GATEWAY", "SUNING_APP_KEY", "SUNING_APP_SECRET", "SUNING_ACCESS_TOKEN"},
}

// session is the shared state of a vendor command: credentials and the
// redactor every output goes through.
type session struct {
	env    Env
	src    *creds.Source
	red    *creds.Redactor
	out    io.Writer
	errw   io.Writer
	opts   []couponkit.Option
	vendor string
	// issueDedup and serialDedup declare that the vendor de-duplicates
	// zvcms issues on bizId and Houcaller consumption records on serialCode
	// (the --keyed flag of those jobs).
	issueDedup, serialDedup bool
}

func newSession(vendor, profile, config string, rate float64, env Env) (*session, error) {
	src, err := creds.Load(profile, config, env.Getenv)
	if err != nil {
		return nil, err
	}
	red := &creds.Redactor{}
	red.Add(src.Secrets(vendorNames[vendor]...)...)
	s := &session{env: env, src: src, red: red, out: red.Writer(env.Stdout), errw: red.Writer(env.Stderr), vendor: vendor}
	if rate > 0 {
		s.opts = append(s.opts, couponkit.WithRateLimit(rate, 1))
	}
	return s, nil
}

func (s *session) ebuy() (*ebuy.Client, error) {
	v, err := s.src.Require("EBUY_GATEWAY", "EBUY_APP_ID", "EBUY_APP_SECRET")
	if err != nil {
		return nil, err
	}
	c, err := ebuy.NewClient(ebuy.Config{Gateway: v[0], AppID: v[1], AppSecret: v[2], BrandID: s.src.Get("EBUY_BRAND_ID")}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

func (s *session) zvcms() (*zvcms.Client, error) {
	v, err := s.src.Require("ZVCMS_GATEWAY", "ZVCMS_OPEN_ID", "ZVCMS_OPEN_KEY", "ZVCMS_GRANT_CODE")
	if err != nil {
		return nil, err
	}
	c, err := zvcms.NewClient(zvcms.Config{Gateway: v[0], OpenID: v[1], OpenKey: v[2], GrantCode: v[3], IssueDeduplicates: s.issueDedup}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

func (s *session) taobao() (*taobaofilm.Client, error) {
	v, err := s.src.Require("TAOBAO_GATEWAY", "TAOBAO_APP_KEY", "TAOBAO_APP_SECRET")
	if err != nil {
		return nil, err
	}
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: v[0], AppKey: v[1], AppSecret: v[2], Session: s.src.Get("TAOBAO_SESSION")}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

func (s *session) houcaller() (*houcaller.Client, error) {
	v, err := s.src.Require("HOUCALLER_GATEWAY", "HOUCALLER_CHANNEL", "HOUCALLER_DES_KEY")
	if err != nil {
		return nil, err
	}
	c, err := houcaller.NewClient(houcaller.Config{Gateway: v[0], Channel: v[1], DESKey: v[2], SerialCodeDedup: s.serialDedup}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

func (s *session) suning() (*suning.Client, error) {
	v, err := s.src.Require("SUNING_GATEWAY", "SUNING_APP_KEY", "SUNING_APP_SECRET")
	if err != nil {
		return nil, err
	}
	c, err := suning.NewClient(suning.Config{Gateway: v[0], AppKey: v[1], AppSecret: v[2], AccessToken: s.src.Get("SUNING_ACCESS_TOKEN")}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
}

func cmdVendor(vendor, call string, args []string, env Env) error {
	switch vendor + " " + call {
	case "ebuy activate", "ebuy status", "zvcms redeem", "zvcms reverse", "zvcms issue":
		return cmdJob(vendor, call, args, env)
	case "ebuy make-codes", "taobaofilm send-codes", "houcaller record-consumption":
		if isJobArgs(args) {
			return cmdJob(vendor, call, args, env)
		}
	case "ebuy history":
		return cmdEbuyHistory(args, env)
	case "taobaofilm export":
		return cmdExport(args, env)
	case "houcaller coupons":
		return cmdHoucallerCoupons(args, env)
	case "zvcms coupons":
		return cmdZvcmsCoupons(args, env)
	}
	if c := findCall(vendor, call); c != nil {
		return cmdCall(c, args, env)
	}
	return usageErr("unknown call %q of %s (single calls: %s)", call, vendor, strings.Join(callNames(vendor), ", "))
}

func cmdJob(vendor, call string, args []string, env Env) error {
	synopsis := map[string]string{
		"ebuy activate":                "couponkit ebuy activate --from codes.csv [flags]\n\nActivates made codes (batchActivateCode), in requests of up to --chunk codes.\nCSV columns: code.",
		"ebuy status":                  "couponkit ebuy status --type freeze|unfreeze|invalid|delay --from codes.csv [flags]\n\nChanges codes' status (batchUpdateCodeStatus), 20 codes a request (e-Buy's limit).\nCSV columns: code.",
		"zvcms redeem":                 "couponkit zvcms redeem --from redemptions.csv [flags]\n\nRedeems coupons (writeOffCoupon), one request a row, keyed by bizId.\nCSV " + redeemColumnsHelp + ".",
		"zvcms reverse":                "couponkit zvcms reverse --from redemptions.csv [flags]\n\nReverses redemptions (couponReverse), one request a row, keyed by the\nredemption's bizId. CSV " + reverseColumnsHelp + ".",
		"zvcms issue":                  "couponkit zvcms issue --from issues.csv [flags]\n\nIssues coupons to customers (issueCouponsToCustomer), one request a row. Unsafe\nunless --keyed: before each issue the customer's coupons of that coupon id are\nlisted and journaled with the bizId; on --resume an unknown outcome is settled by\nlisting them again (exactly num new: applied; none: sent again), otherwise it is\nlisted (couponkit journal unknown), never sent again. Rows of one customer and\ncoupon id after an unknown outcome wait for --resume.\nCSV " + issueColumnsHelp + ".",
		"ebuy make-codes":              "couponkit ebuy make-codes --from orders.csv [flags]\n\nIssues codes to sales orders (makeCode), one request a row. Unsafe: e-Buy 4.1\nhas no query of a make order, so an unknown outcome is listed (couponkit journal\nunknown) with its outer_order_id, never sent again. Without --from or --resume:\nthe single call (couponkit ebuy make-codes -h).\nCSV " + makeColumnsHelp + ".",
		"taobaofilm send-codes":        "couponkit taobaofilm send-codes --from sends.csv [flags]\n\nIssues codes of a batch (taobao.film.lottery.sendcode), one request a row, keyed\nby ext_order_id: on --resume an unknown outcome is sent again with its recorded\next_order_id. Without --from or --resume: the single call.\nCSV " + sendColumnsHelp + ".",
		"houcaller record-consumption": "couponkit houcaller record-consumption --from consumptions.csv [flags]\n\nRecords members' spending (recordMemberCons), one request a row. Unsafe unless\n--keyed: an unknown outcome is listed (couponkit journal unknown) with its\nserialCode, never sent again. Without --from or --resume: the single call.\nCSV " + consumptionColumnsHelp + ".",
	}[vendor+" "+call]
	fs := newFlags(vendor+" "+call, synopsis, env)
	jf := addJobFlags(fs)
	var (
		typ, validEnd, channel string
		mixID, partnerCode     string
		chunk                  int
		partial, keyed         bool
		recordType             = new(string)
	)
	if vendor == "ebuy" {
		recordType = fs.String("check-record-type", "default", "on --resume, the code-history record `type` that shows the item applied (e-Buy does not publish them; default: the fake's, activate 3, freeze 5, unfreeze 6, invalid 7, delay 8; empty: no check, Keyed items are re-sent with their keys)")
	}
	switch vendor + " " + call {
	case "ebuy activate":
		fs.IntVar(&chunk, "chunk", ebuy.MaxCodesPerUpdate, "codes per request")
	case "ebuy status":
		fs.StringVar(&typ, "type", "", "update: freeze, unfreeze, invalid or delay")
		fs.StringVar(&validEnd, "valid-end", "", "new end of validity for --type delay (2006-01-02 15:04:05, Beijing time)")
		fs.BoolVar(&partial, "partial", false, "let e-Buy apply the update to the codes that allow it (supportPartial)")
	case "zvcms redeem":
		fs.StringVar(&channel, "channel", "", "merchant account (channel) for rows without one")
	case "zvcms issue":
		fs.StringVar(&channel, "third-channel", "", "issuing channel (thirdChannel) for rows without one")
		fs.BoolVar(&keyed, "keyed", false, "the gateway de-duplicates issues on bizId (zvcms Config.IssueDeduplicates): no listing before each issue, unknown outcomes re-sent with their bizId on --resume")
	case "houcaller record-consumption":
		fs.BoolVar(&keyed, "keyed", false, "the gateway de-duplicates records on serialCode (houcaller Config.SerialCodeDedup): unknown outcomes re-sent with their serialCode on --resume")
	case "taobaofilm send-codes":
		fs.StringVar(&mixID, "mix-id", "", "the batch's mix_id for rows without one")
		fs.StringVar(&partnerCode, "partner-code", "", "the channel's partner_code for rows without one")
	}
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if jf.from == "" && jf.resume == 0 {
		return usageErr("%s %s needs --from FILE or --resume JOB", vendor, call)
	}
	s, err := newSession(vendor, jf.profile, jf.config, jf.rate, env)
	if err != nil {
		return err
	}
	s.issueDedup, s.serialDedup = keyed, keyed
	args2 := map[string]any{"from": jf.from, "concurrency": jf.concurrency, "rate": jf.rate}
	var kind jobs.Kind
	switch vendor + " " + call {
	case "ebuy activate", "ebuy status":
		c, err := s.ebuy()
		if err != nil {
			return err
		}
		defer c.Close()
		if call == "activate" {
			if chunk < 1 {
				return usageErr("--chunk must be at least 1")
			}
			kind = &ebuyActivate{c: c, chunk: chunk, historyCheck: historyCheck{c: c, recordType: checkType(*recordType, "activate")}}
			args2["chunk"] = chunk
		} else {
			k := &ebuyStatus{c: c, typ: ebuy.UpdateType(typ), partial: partial, historyCheck: historyCheck{c: c, recordType: checkType(*recordType, typ)}}
			switch k.typ {
			case ebuy.UpdateFreeze, ebuy.UpdateUnfreeze, ebuy.UpdateInvalid:
			case ebuy.UpdateDelay:
				t, err := time.ParseInLocation("2006-01-02 15:04:05", validEnd, time.FixedZone("CST", 8*3600))
				if err != nil {
					return usageErr("--valid-end: %v", err)
				}
				k.validEnd = t
			default:
				return usageErr("--type must be freeze, unfreeze, invalid or delay")
			}
			kind = k
			args2["type"], args2["validEnd"] = typ, validEnd
		}
	case "zvcms redeem":
		c, err := s.zvcms()
		if err != nil {
			return err
		}
		defer c.Close()
		kind = &zvcmsRedeem{c: c, channel: channel}
		args2["channel"] = channel
	case "zvcms reverse":
		c, err := s.zvcms()
		if err != nil {
			return err
		}
		defer c.Close()
		kind = &zvcmsReverse{c: c}
	case "zvcms issue":
		c, err := s.zvcms()
		if err != nil {
			return err
		}
		defer c.Close()
		kind = &zvcmsIssue{c: c, keyed: keyed, thirdChannel: channel}
		args2["thirdChannel"], args2["keyed"] = channel, keyed
	case "ebuy make-codes":
		c, err := s.ebuy()
		if err != nil {
			return err
		}
		defer c.Close()
		kind = &ebuyMakeCodes{c: c}
	case "taobaofilm send-codes":
		c, err := s.taobao()
		if err != nil {
			return err
		}
		defer c.Close()
		kind = &taobaoSend{c: c, mixID: mixID, partnerCode: partnerCode}
		args2["mixId"], args2["partnerCode"] = mixID, partnerCode
	case "houcaller record-consumption":
		c, err := s.houcaller()
		if err != nil {
			return err
		}
		defer c.Close()
		kind = &houcallerConsumption{c: c, keyed: keyed}
		args2["keyed"] = keyed
	}
	o := jobs.Options{Concurrency: jf.concurrency, StopOnError: jf.stopOnError, DryRun: jf.dryRun, Out: s.out,
		Progress: s.errw, TTY: progress.IsTerminal(env.Stderr), Redact: s.red.String, Args: args2}
	if jf.dryRun && jf.resume != 0 {
		return usageErr("--dry-run and --resume do not go together")
	}
	ctx, stop := signalContext()
	defer stop()
	var sum *jobs.Summary
	if jf.dryRun {
		in, err := openInput(jf.from, env)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = jobs.Run(ctx, nil, kind, in, o)
		return err
	}
	j, err := journal.Open(jf.journal)
	if err != nil {
		return err
	}
	defer j.Close()
	if jf.resume != 0 {
		jb, jerr := j.Job(ctx, jf.resume)
		if jerr != nil {
			return jerr
		}
		var recorded struct {
			Keyed bool `json:"keyed"`
		}
		json.Unmarshal(jb.Args, &recorded)
		if (vendor+" "+call == "zvcms issue" || vendor+" "+call == "houcaller record-consumption") && recorded.Keyed != keyed {
			return usageErr("job %d was run with --keyed=%t; resume it the same way", jf.resume, recorded.Keyed)
		}
		switch k := kind.(type) {
		case *ebuyActivate:
			k.since = jb.Created
		case *ebuyStatus:
			k.since = jb.Created
		}
		sum, err = jobs.Resume(ctx, j, kind, jf.resume, o)
	} else {
		in, oerr := openInput(jf.from, env)
		if oerr != nil {
			return oerr
		}
		defer in.Close()
		sum, err = jobs.Run(ctx, j, kind, in, o)
	}
	if err != nil {
		return errors.New(s.red.String(err.Error()))
	}
	if !sum.OK() {
		return &exitErr{1}
	}
	return nil
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
	h, err := c.CodeHistory(context.Background(), *code)
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

// ---- reconcile

func cmdReconcile(args []string, env Env) error {
	fs := newFlags("reconcile", "couponkit reconcile --orders orders.csv --redemptions export.csv [--csv]\n\nLists redemptions without an order, orders without a redemption and amounts\nthat differ (compared exactly, in fen).\n\n"+reconcile.Columns, env)
	orders := fs.String("orders", "", "orders CSV `file`")
	reds := fs.String("redemptions", "", "redemptions CSV `file`")
	asCSV := fs.Bool("csv", false, "write CSV instead of a table")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if *orders == "" || *reds == "" {
		return usageErr("reconcile needs --orders and --redemptions")
	}
	load := func(p string) (map[string]*reconcileEntry, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		m, bad, err := reconcile.Load(f, p)
		for _, b := range bad {
			fmt.Fprintf(env.Stderr, "malformed: %v\n", b)
		}
		return m, err
	}
	om, err := load(*orders)
	if err != nil {
		return err
	}
	rm, err := load(*reds)
	if err != nil {
		return err
	}
	fsd := reconcile.Compare(om, rm)
	if *asCSV {
		err = reconcile.WriteCSV(env.Stdout, fsd)
	} else {
		err = reconcile.WriteTable(env.Stdout, fsd)
	}
	if err != nil {
		return err
	}
	if len(fsd) > 0 {
		return &exitErr{1}
	}
	return nil
}

type reconcileEntry = reconcile.Entry

// ---- journal

func cmdJournal(args []string, env Env) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("journal needs show, unknown or export")
	}
	sub := args[0]
	syn := map[string]string{
		"show":    "couponkit journal show [--job N]\n\nLists the jobs, or one job's items with their states and keys.",
		"unknown": "couponkit journal unknown [--job N]\n\nLists the items whose outcome is not known (state sent or unknown) with their\nidempotency keys.",
		"export":  "couponkit journal export [--job N]\n\nWrites the items as CSV: job,seq,state,key,lines,error,input,result.",
	}[sub]
	if syn == "" {
		return usageErr("unknown journal command %q", sub)
	}
	fs := newFlags("journal "+sub, syn, env)
	path := fs.String("journal", journal.DefaultPath, "journal `file` (SQLite)")
	job := fs.Int64("job", 0, "the job (default: every job)")
	if err := parse(fs, args[1:], env); err != nil {
		return err
	}
	if _, err := os.Stat(*path); err != nil {
		return err
	}
	j, err := journal.Open(*path)
	if err != nil {
		return err
	}
	defer j.Close()
	ctx := context.Background()
	all, err := j.Jobs(ctx)
	if err != nil {
		return err
	}
	var sel []journal.Job
	for _, jb := range all {
		if *job == 0 || jb.ID == *job {
			sel = append(sel, jb)
		}
	}
	if *job != 0 && len(sel) == 0 {
		return fmt.Errorf("no job %d in %s", *job, *path)
	}
	switch sub {
	case "show":
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		if *job == 0 {
			fmt.Fprintln(tw, "JOB\tVENDOR\tKIND\tCREATED\tITEMS\tSTATES")
			for _, jb := range sel {
				c, err := j.Counts(ctx, jb.ID)
				if err != nil {
					return err
				}
				n, st := states(c)
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", jb.ID, jb.Vendor, jb.Kind, jb.Created.Local().Format("2006-01-02 15:04:05"), n, st)
			}
			return tw.Flush()
		}
		items, err := j.Items(ctx, *job)
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "SEQ\tSTATE\tKEY\tLINES\tERROR")
		for _, it := range items {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", it.Seq, it.State, it.Key, lines(it.Input), it.Error)
		}
		return tw.Flush()
	case "unknown":
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "JOB\tSEQ\tSTATE\tKEY\tLINES\tERROR")
		for _, jb := range sel {
			items, err := j.Items(ctx, jb.ID, journal.Sent, journal.Unknown)
			if err != nil {
				return err
			}
			for _, it := range items {
				fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\n", jb.ID, it.Seq, it.State, it.Key, lines(it.Input), it.Error)
			}
		}
		return tw.Flush()
	default:
		w := csv.NewWriter(env.Stdout)
		w.Write([]string{"job", "seq", "state", "key", "lines", "error", "input", "result"})
		for _, jb := range sel {
			items, err := j.Items(ctx, jb.ID)
			if err != nil {
				return err
			}
			for _, it := range items {
				w.Write([]string{strconv.FormatInt(jb.ID, 10), strconv.FormatInt(it.Seq, 10), it.State, it.Key, lines(it.Input), it.Error, string(it.Input), string(it.Result)})
			}
		}
		w.Flush()
		return w.Error()
	}
}

func states(c map[string]int) (int, string) {
	keys := make([]string, 0, len(c))
	n := 0
	for k, v := range c {
		keys = append(keys, k)
		n += v
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, c[k])
	}
	return n, strings.Join(parts, " ")
}

func lines(in json.RawMessage) string {
	var x struct {
		Lines []int `json:"lines"`
	}
	json.Unmarshal(in, &x)
	if len(x.Lines) == 0 {
		return ""
	}
	if len(x.Lines) == 1 {
		return strconv.Itoa(x.Lines[0])
	}
	return fmt.Sprintf("%d-%d", x.Lines[0], x.Lines[len(x.Lines)-1])
}
