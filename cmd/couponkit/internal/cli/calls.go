package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/zvcms"
)

// A single call is one typed call of a vendor package, run by its name in
// the package's registry: couponkit <vendor> <API.Name>. Its flags and help
// come from API.Request, its run from API.Run with the session's client, so
// a call added to a registry is a command without an edit here.

type closer interface{ Close() error }

// registry is a vendor's typed calls as the command runs them: the vendor
// package's list and the client a session builds for them.
type registry struct {
	apis   func() []couponkit.API
	client func(*session) (closer, error)
	// clientType is the client's type, such as *ebuy.Client.
	clientType reflect.Type
}

// registries are the vendors whose typed calls the command serves, by the
// vendor package's name. A vendor package that lists its calls (APIs) is
// served by its line here.
var registries = map[string]registry{
	"ebuy":       served(ebuy.APIs, (*session).ebuy),
	"houcaller":  served(houcaller.APIs, (*session).houcaller),
	"suning":     served(suning.APIs, (*session).suning),
	"taobaofilm": served(taobaofilm.APIs, (*session).taobao),
	"zvcms":      served(zvcms.APIs, (*session).zvcms),
}

// served is the registry of a vendor package's APIs, run on the client mk
// builds for a session.
func served[C closer](apis func() []couponkit.API, mk func(*session) (C, error)) registry {
	return registry{
		apis: apis,
		client: func(s *session) (closer, error) {
			c, err := mk(s)
			if err != nil {
				return nil, err
			}
			return c, nil
		},
		clientType: reflect.TypeFor[C](),
	}
}

// findCall returns vendor's typed call named name, or nil.
func findCall(vendor, name string) *couponkit.API {
	reg, ok := registries[vendor]
	if !ok {
		return nil
	}
	for _, a := range reg.apis() {
		if a.Name == name {
			return &a
		}
	}
	return nil
}

// callNames lists vendor's single calls, sorted.
func callNames(vendor string) []string {
	reg, ok := registries[vendor]
	if !ok {
		return nil
	}
	var out []string
	for _, a := range reg.apis() {
		out = append(out, a.Name)
	}
	slices.Sort(out)
	return out
}

func cmdCall(a *couponkit.API, args []string, env Env) error {
	fs := newFlags(a.Vendor+" "+a.Name, "", env)
	build, inputOnly := requestFlags(fs, a.Request)
	input := fs.String("input", "", "JSON `file` with the request's fields by Go name (case does not matter; times RFC 3339, amounts in fen); flags override it")
	asJSON := fs.Bool("json", false, "print the result as JSON instead of a table")
	rate := fs.Float64("rate", 0, "at most `R` requests a second (0: no limit)")
	profile := fs.String("profile", "", "credentials profile `name` from the config file (default: the environment)")
	config := fs.String("config", "", "config `file` of profiles (default ~/.config/couponkit/profiles.json)")
	syn := callSynopsis(a, inputOnly)
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: %s\n\nFlags:\n", syn)
		fs.PrintDefaults()
	}
	if err := parse(fs, args, env); err != nil {
		return err
	}
	req, err := build(*input)
	if err != nil {
		return err
	}
	s, err := newSession(a.Vendor, *profile, *config, *rate, env)
	if err != nil {
		return err
	}
	res, err := runCall(s, a, req)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return err
		}
		return errors.New(s.red.String(err.Error()))
	}
	if *asJSON {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(s.out, "%s\n", b)
		return err
	}
	return writeTable(s.out, res)
}

// runCall runs a with req on a client of s, closed when it returns; SIGINT
// and SIGTERM cancel it.
func runCall(s *session, a *couponkit.API, req any) (any, error) {
	c, err := registries[a.Vendor].client(s)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ctx, stop := signalContext()
	defer stop()
	return a.Run(ctx, c, req)
}

// callSynopsis is a single call's help: its command line, what it does and
// how it is retried, from its registry entry.
func callSynopsis(a *couponkit.API, inputOnly []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "couponkit %s %s [flags] [--input request.json] [--json]\n\n", a.Vendor, a.Name)
	fmt.Fprintf(&b, "One %s call (%s.Client.%s): %s.\n", a.Operation, a.Vendor, a.Method, strings.TrimSuffix(a.Summary, "."))
	fmt.Fprintf(&b, "With a default Config, %s. The request's fields come from the flags or --input.", a.ClassPhrase())
	switch a.Vendor + " " + a.Name {
	case "ebuy make-codes", "taobaofilm send-codes", "houcaller record-consumption":
		b.WriteString("\nWith --from FILE (or --resume JOB) it is a journaled bulk job: couponkit " + a.Vendor + " " + a.Name + " --from FILE -h.")
	}
	if len(inputOnly) > 0 {
		b.WriteString("\nOnly from --input: " + strings.Join(inputOnly, ", ") + ".")
	}
	return b.String()
}

// callList marks where usage lists the single calls.
const callList = "\x00calls\x00"

func usageText() string {
	var b strings.Builder
	for _, v := range slices.Sorted(maps.Keys(registries)) {
		line := "  " + v + ":"
		for _, n := range callNames(v) {
			if len(line)+len(n)+1 > 80 {
				b.WriteString(line + "\n")
				line = "   "
			}
			line += " " + n
		}
		b.WriteString(line + "\n")
	}
	return strings.Replace(usage, callList+"\n", b.String()+"\n", 1)
}
