// Package cli is the couponkit command: a small subcommand dispatcher over
// the fakes, the bulk jobs, the journal, export and reconcile.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
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
  couponkit zvcms takings --from-date DAY --to-date DAY --csv out.csv [--store-code CODE] [--resume JOB]
  couponkit ebuy make-codes --from orders.csv [job flags]
  couponkit taobaofilm send-codes --from sends.csv [--mix-id ID] [--partner-code CODE] [job flags]
  couponkit houcaller record-consumption --from consumptions.csv [--keyed] [job flags]
  couponkit taobaofilm export --mix-id ID --partner-code CODE --operate ALL|CONSUME --csv out.csv [--resume JOB]
  couponkit houcaller coupons --from members.csv --csv out.csv [--resume JOB]
  couponkit houcaller points (--member ID | --from members.csv) --from-month 2006-01 [--to-month 2006-01] --csv out.csv [--resume JOB]
  couponkit <vendor> <call> [request flags] [--input request.json] [--json]
  couponkit probe <ebuy|houcaller|suning|taobaofilm|zvcms> [--input NAME=VALUE …] [--writes] [--json] [--transcript FILE]
  couponkit reconcile --orders orders.csv --redemptions export.csv [--csv]
  couponkit reconcile --takings takings.csv --totals totals.csv [--csv]
  couponkit journal show|unknown|export [--job N]
  couponkit journal settle --job N --item SEQ --state done|failed --note TEXT

Single calls (couponkit <vendor> <call> -h lists a call's request flags):
` + callList + `
Job flags: --from FILE --dry-run --concurrency N --rate R --stop-on-error --resume JOB
           --skip-repeats --new-job --journal FILE (default ./couponkit-journal.db)
           --profile NAME --config FILE

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
	case "probe":
		err = cmdProbe(args[1:], env)
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
