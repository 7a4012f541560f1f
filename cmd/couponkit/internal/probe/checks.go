package probe

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
)

// shiftedClock is a client clock off by d from base.
type shiftedClock struct {
	base couponkit.Clock
	d    time.Duration
}

// Now is base's time shifted by d.
func (c shiftedClock) Now() time.Time { return c.base.Now().Add(c.d) }

// Sleep waits on base.
func (c shiftedClock) Sleep(ctx context.Context, d time.Duration) error {
	return c.base.Sleep(ctx, d)
}

// describe says what an error of a call was, for a report: the vendor's
// code and message with the SDK's classification, or the error.
func describe(err error) string {
	if err == nil {
		return "accepted"
	}
	var e *couponkit.Error
	if errors.As(err, &e) {
		parts := []string{}
		if e.Code != "" {
			c := "code " + e.Code
			if e.SubCode != "" {
				c += " (" + e.SubCode + ")"
			}
			parts = append(parts, c)
		} else if e.HTTPStatus != 0 {
			parts = append(parts, fmt.Sprintf("HTTP %d", e.HTTPStatus))
		}
		if e.Message != "" {
			parts = append(parts, fmt.Sprintf("%q", e.Message))
		}
		parts = append(parts, "classified "+e.Fault.String())
		if errors.Is(err, couponkit.ErrUnknownOutcome) {
			parts = append(parts, "outcome unknown")
		}
		return strings.Join(parts, ", ")
	}
	return err.Error()
}

// passed reports whether a request got past the gateway's checks of the
// caller (signature, time, credentials): answered, or refused for its
// business content (an unknown record, say) rather than as an auth fault.
func passed(err error) bool {
	var e *couponkit.Error
	return err == nil || refusal(err) && errors.As(err, &e) && e.Fault != couponkit.FaultAuth
}

// refusal reports whether err is a definite refusal by the gateway (a
// vendor error that is not a network or server failure).
func refusal(err error) bool {
	var e *couponkit.Error
	return errors.As(err, &e) && !errors.Is(err, couponkit.ErrUnknownOutcome) && e.Code != "" && e.Fault != couponkit.FaultServer
}

// skewPoint checks which client clock shifts the gateway accepts on a read.
// window is the window the package documents (0: none documented, [open]).
// read must send one read with a client on clock.
func skewPoint(id, mark, claim, option string, window time.Duration, inputs []string, read func(ctx context.Context, r *Run, clock couponkit.Clock) error) Point {
	return Point{ID: id, Mark: mark, Claim: claim, Option: option, Inputs: inputs, Check: func(ctx context.Context, r *Run) Finding {
		r.label("read, clock right")
		if err := read(ctx, r, nil); !passed(err) {
			return Finding{Open, "the read with the clock right failed (" + describe(err) + "): nothing to compare the shifted clocks with"}
		}
		var seen []string
		agrees, settled := true, true
		for _, d := range r.opts.Skews {
			r.label(fmt.Sprintf("read, clock %s", signed(d)))
			err := read(ctx, r, shiftedClock{r.opts.Clock, d})
			switch {
			case passed(err):
				seen = append(seen, signed(d)+" accepted")
				if window > 0 && abs(d) > window {
					agrees = false
				}
			case refusal(err):
				seen = append(seen, signed(d)+" refused ("+describe(err)+")")
				if window > 0 && abs(d) <= window {
					agrees = false
				}
			default:
				seen = append(seen, signed(d)+": "+describe(err))
				settled = false
			}
		}
		st := Known
		switch {
		case !settled:
			st = Open
		case !agrees:
			st = Contradicted
		}
		return Finding{st, "a client clock " + strings.Join(seen, "; ")}
	}}
}

func signed(d time.Duration) string {
	if d >= 0 {
		return "+" + d.String()
	}
	return d.String()
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// authPoint checks what the gateway answers a read with a wrong credential
// and how the SDK classifies it: an auth fault is what a program needs to
// stop and fix its set-up; anything else contradicts the package's table.
// With wantAuth false the package documents no classification (every code
// unknown): the code seen is reported, whatever its fault.
func authPoint(id, mark, claim, option string, inputs []string, wantAuth bool, readWrong func(ctx context.Context, r *Run) error) Point {
	return Point{ID: id, Mark: mark, Claim: claim, Option: option, Inputs: inputs, Check: func(ctx context.Context, r *Run) Finding {
		r.label("read, wrong credential")
		err := readWrong(ctx, r)
		var e *couponkit.Error
		switch {
		case err == nil:
			return Finding{Contradicted, "a wrong credential was accepted"}
		case !errors.As(err, &e):
			return Finding{Open, "no vendor answer: " + describe(err)}
		case e.Fault == couponkit.FaultAuth, !wantAuth:
			return Finding{Known, "a wrong credential is refused with " + describe(err)}
		}
		return Finding{Contradicted, "a wrong credential is refused with " + describe(err) + ", not classified auth (Config.CodeFaults can say so)"}
	}}
}

// shapeCall is one read whose answer's shape is held to the fields the
// typed decoder reads.
type shapeCall struct {
	label string
	// reads returns the paths (see Shape) the typed decoder reads in an
	// answer of this shape (where the vendor has several layouts); a path
	// that is absent from the answer is missing.
	reads func(Shape) []string
	// send sends the read; its answer is the last exchange labelled label.
	send func(ctx context.Context, r *Run) error
}

// shapePoint sends each call and compares its answer's fields with those
// the typed decoder reads: missing ones contradict the package; extra ones
// (kept in Meta.Raw, not decoded) are listed.
func shapePoint(id, claim string, inputs []string, calls ...shapeCall) Point {
	return Point{ID: id, Mark: "likely", Claim: claim, Inputs: inputs, Check: func(ctx context.Context, r *Run) Finding {
		var seen []string
		st := Known
		for _, c := range calls {
			r.label("read: " + c.label)
			err := c.send(ctx, r)
			exs := r.rec.of(r.point)
			var body string
			for _, ex := range exs {
				if ex.Call == "read: "+c.label {
					body = ex.ResponseBody
				}
			}
			shape := ShapeOf(body)
			if err != nil || shape == nil {
				seen = append(seen, c.label+": no answer to compare ("+describe(err)+")")
				if st == Known {
					st = Open
				}
				continue
			}
			var miss, extra []string
			reads := c.reads(shape)
			for _, p := range reads {
				if _, ok := shape[p]; !ok && !emptyList(shape, p) {
					miss = append(miss, p)
				}
			}
			for _, p := range slices.Sorted(maps.Keys(shape)) {
				// Covered: read, or a container of a field read.
				if !slices.Contains(reads, p) && !slices.ContainsFunc(reads, func(r string) bool { return strings.HasPrefix(r, p+".") || strings.HasPrefix(r, p+"[]") }) {
					extra = append(extra, p)
				}
			}
			line := c.label + ": decodes"
			if len(miss) > 0 {
				line = c.label + ": missing " + strings.Join(miss, ", ")
				st = Contradicted
			}
			if len(extra) > 0 {
				line += "; beside them " + strings.Join(extra, ", ")
			}
			seen = append(seen, line)
		}
		return Finding{st, strings.Join(seen, "; ")}
	}}
}

// fixed is a reads function for a vendor with one answer layout.
func fixed(paths ...string) func(Shape) []string { return func(Shape) []string { return paths } }

// under prefixes each of fields with prefix + ".".
func under(prefix string, fields ...string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = prefix + "." + f
	}
	return out
}

// emptyList reports whether path lies in the elements of an array that is
// present and empty (nothing to miss there).
func emptyList(s Shape, path string) bool {
	i := strings.Index(path, "[]")
	if i < 0 || s[path[:i]] != "array" {
		return false
	}
	for p := range s {
		if strings.HasPrefix(p, path[:i]+"[]") {
			return false
		}
	}
	return true
}
