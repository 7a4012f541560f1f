package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/probe"
)

// inputFlags is the repeatable --input NAME=VALUE flag.
type inputFlags map[string]string

func (f inputFlags) String() string { return "" }
func (f inputFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	f[k] = val
	return nil
}

// probeHelp lists vendor's points and the inputs each needs.
func probeHelp(vendor string) string {
	var b strings.Builder
	b.WriteString("\nPoints (--only ID,…):\n")
	for _, p := range probe.Points(vendor) {
		fmt.Fprintf(&b, "  %-22s [%s]", p.ID, p.Mark)
		switch {
		case p.NoReversal != "":
			b.WriteString(" never run: no reversal")
		case p.Writes && p.TestOnly:
			b.WriteString(" writes, test gateway only")
		case p.Writes:
			b.WriteString(" writes")
		}
		if len(p.Inputs) > 0 {
			fmt.Fprintf(&b, "; --input %s", strings.Join(p.Inputs, "=… --input "))
			b.WriteString("=…")
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func cmdProbe(args []string, env Env) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("probe needs a vendor (%s)", strings.Join(probe.Vendors(), ", "))
	}
	vendor := args[0]
	if probe.Points(vendor) == nil {
		return usageErr("no probe for %q (have %s)", vendor, strings.Join(probe.Vendors(), ", "))
	}
	fs := newFlags("probe "+vendor, "couponkit probe "+vendor+" [flags]\n\n"+
		"Reports, per open or likely point of the "+vendor+" package's docs, what the gateway\n"+
		"does: known (with the request and answer), contradicted, or still open. Reads only,\n"+
		"unless --writes: then only writes the probe takes back itself, listed before they\n"+
		"run. Credentials as for the other commands (environment or --profile). Exit 1 when\n"+
		"a point is contradicted.\n"+probeHelp(vendor), env)
	profile := fs.String("profile", "", "credentials profile `name` from the config file (default: the environment)")
	config := fs.String("config", "", "config `file` of profiles (default ~/.config/couponkit/profiles.json)")
	inputs := inputFlags{}
	fs.Var(inputs, "input", "a check's input as `NAME=VALUE` (repeatable; the points above name them)")
	writes := fs.Bool("writes", false, "run the checks that write (each taken back; the repeated-key checks only on a test gateway)")
	testGW := fs.Bool("test-gateway", false, "declare the gateway a test gateway (the vendor's published one and loopback always are)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	transcript := fs.String("transcript", "", "write the redacted transcript (every request and answer, JSON) to this `file`")
	only := fs.String("only", "", "run only these points (`IDs`, comma-separated)")
	if err := parse(fs, args[1:], env); err != nil {
		return err
	}
	s, err := newSession(vendor, *profile, *config, 0, env)
	if err != nil {
		return err
	}
	opts := probe.Options{Vendor: vendor, Get: s.src.Get, Inputs: inputs, Writes: *writes, TestGateway: *testGW, Log: s.errw}
	if *only != "" {
		opts.Only = strings.Split(*only, ",")
	}
	ctx, stop := signalContext()
	defer stop()
	rep, err := probe.Probe(ctx, opts)
	if err != nil {
		return fmt.Errorf("%s", s.red.String(err.Error()))
	}
	if *transcript != "" {
		if err := writeTranscript(*transcript, rep); err != nil {
			return err
		}
	}
	if *asJSON {
		err = rep.WriteJSON(s.out)
	} else {
		err = rep.WriteMarkdown(s.out)
	}
	if err != nil {
		return err
	}
	if rep.Counts()[probe.Contradicted] > 0 {
		return &exitErr{1}
	}
	return nil
}

func writeTranscript(path string, rep *probe.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.TranscriptOf().Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
