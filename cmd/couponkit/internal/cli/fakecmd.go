package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
)

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
	fs := newFlags("fake "+vendor, "couponkit fake "+vendor+" [flags] [SETTING=value …]\n\nServes the vendor's stateful fake and prints the settings a client needs as\nKEY=value lines (source them with: set -a; . ./fake.env). Runs until SIGINT or SIGTERM.\n"+fakeSettingsHelp(vendor), env)
	listen, seedPath, codesCSV, dump, asJSON := addFakeFlags(fs)
	settings, err := parseFakeArgs(fs, args[1:], env)
	if err != nil {
		return err
	}
	var seed *fakeserve.Seed
	if *seedPath != "" {
		if seed, err = fakeserve.ReadSeed(*seedPath); err != nil {
			return err
		}
	}
	f, err := fakeserve.StartWith(vendor, *listen, seed, settings)
	if err != nil {
		return err
	}
	defer f.Close()
	if *codesCSV != "" {
		if err := f.WriteSeeded(*codesCSV); err != nil {
			return err
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
	serveUntilStopped(env, func() { writeDump(f, *dump, env) })
	return nil
}

// serveUntilStopped returns on SIGINT or SIGTERM (env.Signals when set),
// calling dump on each SIGUSR1 and once more before it returns.
func serveUntilStopped(env Env, dump func()) {
	sig := env.Signals
	if sig == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGUSR1)
		defer signal.Stop(ch)
		sig = ch
	}
	for s := range sig {
		if s == syscall.SIGUSR1 {
			dump()
			continue
		}
		break
	}
	dump()
}

// writeDump writes f's state to path (through path.tmp, renamed when
// complete), if a path is given and the fake has a state to write; an
// error is reported on standard error and serving goes on.
func writeDump(f *fakeserve.Fake, path string, env Env) {
	if path == "" || f.Dump == nil {
		return
	}
	file, err := os.Create(path + ".tmp")
	if err == nil {
		err = f.Dump(file)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = os.Rename(path+".tmp", path)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "couponkit: dump: %v\n", err)
	}
}

func addFakeFlags(fs *flag.FlagSet) (listen, seed, codesCSV, dump *string, asJSON *bool) {
	listen = fs.String("listen", "127.0.0.1:0", "`address` to serve on (port 0 picks a free port)")
	seed = fs.String("seed", "", "JSON `file` of state to start with (ebuy: {\"codes\":[{\"status\":\"03\",\"count\":N}]}; zvcms: {\"count\":N,\"coupons\":[…]}; taobaofilm: {\"batches\":[…]})")
	codesCSV = fs.String("codes-csv", "", "write the seeded codes to this CSV `file` (ready for --from)")
	dump = fs.String("dump", "", "write the fake's state as JSON to this `file` on SIGUSR1 and on exit (ebuy, zvcms)")
	asJSON = fs.Bool("json", false, "print the settings as one JSON object")
	return
}

// parseFakeArgs parses the fake's flags and its SETTING=value arguments,
// which may come before, between or after the flags.
func parseFakeArgs(fs *flag.FlagSet, args []string, env Env) (fakeserve.Settings, error) {
	var kv []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageErr("%v", err)
		}
		args = fs.Args()
		for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			if !strings.Contains(args[0], "=") {
				return nil, usageErr("unexpected argument %q (settings are SETTING=value)", args[0])
			}
			kv = append(kv, args[0])
			args = args[1:]
		}
		if len(args) == 0 {
			break
		}
	}
	set, err := fakeserve.ParseSettings(kv)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return set, nil
}

// fakeSettingsHelp lists the SETTING=value settings of vendor's fake.
func fakeSettingsHelp(vendor string) string {
	names := fakeserve.SettingNamesOf(vendor)
	if names == nil {
		return ""
	}
	return "\nSettings (fields of the fake's Config, SETTING=value):\n  " + strings.Join(names, "\n  ")
}
