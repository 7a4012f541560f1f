// Package probe is couponkit probe: it runs a vendor's gateway through the
// points that vendor's package documents as [open] or [likely] (or assumes
// without a mark) and reports, per point, what the gateway did: known (with
// the request and answer as evidence), contradicted (what the package says
// beside what was seen) or still open. Every exchange goes through a
// recording http.RoundTripper given to the SDK's client and is redacted with
// that client's own Redact before it is kept, so the report and the
// transcript hold no secret in any spelling the SDK's errors are cleaned of.
//
// Reads only, unless Options.Writes: then the writes the vendor can take
// back (each listed, with its take-back, before the first runs), and those
// that must only go to a test gateway only there. Writes without a
// reversal are never run; their points stay open and say so.
package probe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
)

// Status is what a probe found for a point.
type Status string

const (
	// Known: the gateway showed what the point asks; the package's default
	// agrees with it.
	Known Status = "known"
	// Contradicted: the gateway did otherwise than the package assumes.
	Contradicted Status = "contradicted"
	// Open: the probe could not tell (not run, no input, inconclusive).
	Open Status = "open"
)

// Point is one [open] or [likely] point of a vendor package's doc, and how
// the probe settles it.
type Point struct {
	// ID names the point in reports ("uuid-dedup").
	ID string
	// Mark is the doc's mark: "open", "likely", "known", or "assumed" for an
	// assumption the doc lists without a mark.
	Mark string
	// Claim is what the package's doc says.
	Claim string
	// Option is the Config option (or fake setting) the point concerns.
	Option string
	// Inputs are the probe inputs (--input NAME=VALUE) the check needs.
	Inputs []string
	// Writes says the check writes: it runs only with Options.Writes.
	Writes bool
	// TestOnly says the check runs only against a test gateway.
	TestOnly bool
	// NoReversal, when set, says why the point's write is never run (the
	// vendor has no way to take it back); the point stays open.
	NoReversal string
	// Plan lists the writes the check will send and how each is taken back,
	// printed before any write runs.
	Plan func(r *Run) []string
	// Check settles the point.
	Check func(ctx context.Context, r *Run) Finding
}

// Finding is what a check saw.
type Finding struct {
	Status Status
	// Seen says what the gateway did, in words.
	Seen string
}

// Options configure a probe run.
type Options struct {
	// Vendor is the vendor's name ("ebuy").
	Vendor string
	// Get looks a credential or setting up by its environment name
	// (EBUY_GATEWAY …): the command passes its profile or environment.
	Get func(name string) string
	// Inputs are the named inputs of the checks (a code, a customer id …).
	Inputs map[string]string
	// Writes allows the checks that write (each taken back).
	Writes bool
	// TestGateway declares the gateway a test gateway, besides the vendor's
	// published test gateway and loopback hosts, which always are.
	TestGateway bool
	// Skews are the client clock shifts tried by the clock-skew checks.
	// Default 2 and 15 minutes, each ahead and behind.
	Skews []time.Duration
	// Only, when not empty, runs only these points (by ID).
	Only []string
	// Transport is the round tripper under the recorder. Default
	// http.DefaultTransport.
	Transport http.RoundTripper
	// Clock is the client's clock the skews shift. Default
	// couponkit.SystemClock.
	Clock couponkit.Clock
	// Log gets the plan of writes, before they run, and one line a point.
	Log io.Writer
}

// Run is one probe run: what checks use.
type Run struct {
	opts   Options
	v      *vendor
	rec    *recorder
	point  string
	closer []func() error
	keys   map[string]string
}

// key returns the run's idempotency key called name, made by mk the first
// time: fresh for every run (a key of an earlier run could be answered
// from that run's write), the same for a check's plan and its writes.
func (r *Run) key(name string, mk func() string) string {
	if r.keys == nil {
		r.keys = map[string]string{}
	}
	if k, ok := r.keys[name]; ok {
		return k
	}
	k := mk()
	r.keys[name] = k
	return k
}

// randomHex returns n random bytes as lowercase hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Input returns the named input, or "".
func (r *Run) Input(name string) string { return r.opts.Inputs[name] }

// Get returns the named credential or setting.
func (r *Run) Get(name string) string { return r.opts.Get(name) }

// label names the calls that follow in the transcript.
func (r *Run) label(call string) { r.rec.setLabel(r.point, call) }

// options are the client options every probe client gets: the recorder,
// one attempt a call (each attempt is one exchange, and what the gateway
// did to it is what the check reads), and clock (nil: the run's).
func (r *Run) options(clock couponkit.Clock) []couponkit.Option {
	if clock == nil {
		clock = r.opts.Clock
	}
	return []couponkit.Option{couponkit.WithTransport(r.rec), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}), couponkit.WithClock(clock)}
}

// track closes c when the run ends.
func (r *Run) track(c io.Closer) { r.closer = append(r.closer, c.Close) }

// Vendors lists the vendors probe knows, sorted.
func Vendors() []string {
	out := make([]string, 0, len(vendors))
	for name := range vendors {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// Points returns the points of vendor, in report order.
func Points(vendorName string) []Point {
	v, ok := vendors[vendorName]
	if !ok {
		return nil
	}
	return v.points()
}

// vendor is what the probe knows of one vendor.
type vendor struct {
	// gatewayVar names the gateway's setting (EBUY_GATEWAY).
	gatewayVar string
	// testGateway is the vendor's published test gateway, or "".
	testGateway string
	// defaultGateway is used when gatewayVar is unset ("" : required).
	defaultGateway string
	// start builds the run's main client (checking the credentials) and
	// sets r.rec's redactor to its Redact.
	start func(r *Run) error
	// points are the vendor's points.
	points func() []Point
}

var vendors = map[string]*vendor{}

// Probe runs opts.Vendor's points and returns the report. An error is
// returned only when the run cannot start (unknown vendor, missing
// credentials); a check's failure is a finding.
func Probe(ctx context.Context, opts Options) (*Report, error) {
	v, ok := vendors[opts.Vendor]
	if !ok {
		return nil, fmt.Errorf("no probe for %q (have %s)", opts.Vendor, strings.Join(Vendors(), ", "))
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	if opts.Clock == nil {
		opts.Clock = couponkit.SystemClock{}
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if len(opts.Skews) == 0 {
		opts.Skews = []time.Duration{2 * time.Minute, -2 * time.Minute, 15 * time.Minute, -15 * time.Minute}
	}
	r := &Run{opts: opts, v: v, rec: &recorder{base: opts.Transport}}
	defer func() {
		for _, c := range r.closer {
			_ = c()
		}
	}()
	if err := v.start(r); err != nil {
		return nil, err
	}
	gw := cmpOr(opts.Get(v.gatewayVar), v.defaultGateway)
	host := gatewayHost(gw)
	test := opts.TestGateway || isLoopback(host) || (v.testGateway != "" && gatewayHost(v.testGateway) == host)
	rep := &Report{
		Version: couponkit.Version, Vendor: opts.Vendor, Gateway: host, TestGateway: test,
		Date: opts.Clock.Now().In(beijing).Format(time.RFC3339), Writes: opts.Writes,
	}
	points, err := only(opts, v.points())
	if err != nil {
		return nil, err
	}
	announceWrites(r, points, test, host)
	for _, p := range points {
		res := runPoint(ctx, r, p, test, host)
		fmt.Fprintf(opts.Log, "%s: %s: %s\n", p.ID, res.Status, res.Seen)
		rep.Points = append(rep.Points, res)
	}
	rep.Transcript = r.rec.all()
	return rep, nil
}

// only returns the points opts.Only names (all without it), in their
// order; a name the vendor has no point for is an error.
func only(opts Options, points []Point) ([]Point, error) {
	if len(opts.Only) == 0 {
		return points, nil
	}
	for _, id := range opts.Only {
		if !slices.ContainsFunc(points, func(p Point) bool { return p.ID == id }) {
			return nil, fmt.Errorf("%s has no point %q", opts.Vendor, id)
		}
	}
	return slices.DeleteFunc(points, func(p Point) bool { return !slices.Contains(opts.Only, p.ID) }), nil
}

// announceWrites lists on the log every write that will run, before the
// first one runs.
func announceWrites(r *Run, points []Point, test bool, host string) {
	var plan []string
	for _, p := range points {
		if p.Writes && p.NoReversal == "" && r.opts.Writes && (!p.TestOnly || test) && p.Plan != nil && missing(r, p) == nil {
			for _, line := range p.Plan(r) {
				plan = append(plan, p.ID+": "+line)
			}
		}
	}
	if len(plan) > 0 {
		fmt.Fprintf(r.opts.Log, "writes to %s (each taken back by the probe):\n", host)
		for _, line := range plan {
			fmt.Fprintf(r.opts.Log, "  %s\n", r.rec.redact(line))
		}
	}
}

// runPoint runs p's check, or says why it is not run: a write without a
// reversal, a write without --writes, a test-gateway check elsewhere, or
// an input missing.
func runPoint(ctx context.Context, r *Run, p Point, test bool, host string) Result {
	res := Result{ID: p.ID, Mark: p.Mark, Claim: p.Claim, Option: p.Option}
	switch {
	case p.NoReversal != "":
		res.Status, res.Seen = Open, "not run: "+p.NoReversal
	case p.Writes && !r.opts.Writes:
		res.Status, res.Seen = Open, "not run: it writes (run with --writes against a test gateway)"
	case p.TestOnly && !test:
		res.Status, res.Seen = Open, "not run: only against a test gateway ("+host+" is not one; --test-gateway declares it)"
	case missing(r, p) != nil:
		res.Status, res.Seen = Open, "not run: needs --input "+strings.Join(missing(r, p), " --input ")
	default:
		r.point = p.ID
		f := p.Check(ctx, r)
		res.Status, res.Seen = f.Status, r.rec.redact(f.Seen)
		res.Evidence = r.rec.of(p.ID)
	}
	return res
}

func missing(r *Run, p Point) []string {
	var out []string
	for _, in := range p.Inputs {
		if r.Input(in) == "" {
			out = append(out, in+"=…")
		}
	}
	return out
}

var beijing = time.FixedZone("CST", 8*3600)

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// gatewayHost is the host (and port) of a gateway URL, or the URL itself
// when it does not parse.
func gatewayHost(gw string) string {
	u, err := url.Parse(gw)
	if err != nil || u.Host == "" {
		return gw
	}
	return u.Host
}

func isLoopback(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
