package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/couponkit/couponkit"
)

// The files written, relative to the repository root, and the kind of block
// each holds.
const (
	readmeFile  = "README.md"
	commandFile = "cmd/couponkit/README.md"
	// kindCalls is README.md's table of a vendor's typed calls.
	kindCalls = "calls"
	// kindCommands is cmd/couponkit/README.md's line of a vendor's single
	// calls, by their command names.
	kindCommands = "commands"
)

// A block in a Markdown file is the lines between
//
//	<!-- couponkit:apis KIND VENDOR -->
//	<!-- couponkit:end -->
//
// which the generator owns; the marker lines themselves stay.
const (
	beginPrefix = "<!-- couponkit:apis "
	markerEnd   = "<!-- couponkit:end -->"
)

// docHeading starts the section of a vendor's doc.go that the generator
// owns: from it to the next heading or the end of the package comment.
const docHeading = "// # Calls"

// Generate rewrites, under root, every block and doc section of the vendors
// in regs (vendor package name → its APIs) and leaves every other vendor's
// alone. A vendor in regs must have a block of each kind and a "# Calls"
// section in its doc.go, so that no list of its calls is left to edit by
// hand; a file is written only when its text changes.
func Generate(root string, regs map[string][]couponkit.API) error {
	vendors := make([]string, 0, len(regs))
	var errs []error
	for v, apis := range regs {
		vendors = append(vendors, v)
		if err := couponkit.CheckAPIs(apis...); err != nil {
			errs = append(errs, fmt.Errorf("%s's APIs: %w", v, err))
		}
		for _, a := range apis {
			if a.Vendor != v {
				errs = append(errs, fmt.Errorf("%s's APIs list %s.%s of vendor %q", v, v, a.Method, a.Vendor))
			}
		}
	}
	sort.Strings(vendors)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if len(regs) == 0 {
		return nil // nothing is generated yet: leave every file as it is
	}
	render := map[string]func(vendor string, apis []couponkit.API) string{
		kindCalls:    callsTable,
		kindCommands: commandLine,
	}
	for _, f := range []struct{ path, kind string }{{readmeFile, kindCalls}, {commandFile, kindCommands}} {
		if err := rewrite(filepath.Join(root, f.path), func(text string) (string, error) {
			return replaceBlocks(f.path, text, f.kind, vendors, regs, render)
		}); err != nil {
			errs = append(errs, err)
		}
	}
	for _, v := range vendors {
		path := filepath.Join(v, "doc.go")
		if err := rewrite(filepath.Join(root, path), func(text string) (string, error) {
			return replaceDocSection(path, text, docSection(regs[v]))
		}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// rewrite applies edit to the file at path and writes the result if it changed.
func rewrite(path string, edit func(string) (string, error)) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := edit(string(b))
	if err != nil {
		return err
	}
	if out == string(b) {
		return nil
	}
	return os.WriteFile(path, []byte(out), 0o644)
}

// replaceBlocks replaces the body of every block of kind in text whose
// vendor is in regs. It fails on a block of another kind, a block without
// its end, or a vendor of regs without a block.
func replaceBlocks(name, text, kind string, vendors []string, regs map[string][]couponkit.API, render map[string]func(string, []couponkit.API) string) (string, error) {
	lines := strings.SplitAfter(text, "\n")
	var out strings.Builder
	found := map[string]bool{}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		out.WriteString(line)
		trimmed := strings.TrimSpace(line)
		if !strings.HasPrefix(trimmed, beginPrefix) {
			continue
		}
		fields := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(trimmed, beginPrefix), "-->"))
		if len(fields) != 2 || !strings.HasSuffix(trimmed, "-->") {
			return "", fmt.Errorf("%s:%d: a block starts with %sKIND VENDOR -->", name, i+1, beginPrefix)
		}
		k, vendor := fields[0], fields[1]
		if _, ok := render[k]; !ok || k != kind {
			return "", fmt.Errorf("%s:%d: a block of kind %q here; this file holds %q blocks", name, i+1, k, kind)
		}
		end := i + 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != markerEnd {
			if strings.HasPrefix(strings.TrimSpace(lines[end]), beginPrefix) {
				end = len(lines)
				break
			}
			end++
		}
		if end == len(lines) {
			return "", fmt.Errorf("%s:%d: the block of %s has no %s", name, i+1, vendor, markerEnd)
		}
		found[vendor] = true
		if apis, ok := regs[vendor]; ok {
			out.WriteString(render[k](vendor, apis))
		} else {
			for _, l := range lines[i+1 : end] {
				out.WriteString(l)
			}
		}
		i = end - 1
	}
	var missing []error
	for _, v := range vendors {
		if !found[v] {
			missing = append(missing, fmt.Errorf("%s has no block for %s: add the lines %s%s %s --> and %s", name, v, beginPrefix, kind, v, markerEnd))
		}
	}
	return out.String(), errors.Join(missing...)
}

// callsTable is README.md's table of a vendor's typed calls, in the
// registry's order.
func callsTable(vendor string, apis []couponkit.API) string {
	var b strings.Builder
	b.WriteString("| `" + vendor + "` call | vendor API | class | key | what it does |\n|---|---|---|---|---|\n")
	for _, a := range apis {
		key := ""
		if a.KeyName != "" {
			key = "`" + a.KeyName + "`"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s |\n", a.Method, a.Operation, a.Class, key, a.Summary)
	}
	return b.String()
}

// commandLine is cmd/couponkit/README.md's line of a vendor's single
// calls: their command names, sorted, as couponkit --help lists them.
func commandLine(vendor string, apis []couponkit.API) string {
	names := make([]string, len(apis))
	for i, a := range apis {
		names[i] = "`" + a.Name + "`"
	}
	slices.Sort(names)
	return "- " + vendor + ": " + strings.Join(names, " ") + "\n"
}

// docSection is the "# Calls" section of a vendor's doc.go, without its
// heading line: a list of the calls with doc links, in the registry's order.
// A call with Notes (its assumptions about the vendor) gets a second line:
// its default path, when it has one, and the notes.
func docSection(apis []couponkit.API) string {
	var b strings.Builder
	b.WriteString("//\n// The typed calls, as [APIs] lists them (go generate writes this section\n// from it; the couponkit command runs each by its name):\n//\n")
	for _, a := range apis {
		fmt.Fprintf(&b, "//   - [Client.%s] (%s, %s): %s.\n", a.Method, a.Operation, a.ClassPhrase(), strings.TrimSuffix(a.Summary, "."))
		if notes := strings.TrimSpace(a.Notes); notes != "" {
			if a.Path != "" {
				notes = "Path " + a.Path + ". " + notes
			}
			fmt.Fprintf(&b, "//     %s\n", notes)
		}
	}
	return b.String()
}

// replaceDocSection replaces the lines after the "# Calls" heading of the
// package comment in text, up to the next heading or the end of the comment,
// with section.
func replaceDocSection(name, text, section string) (string, error) {
	lines := strings.SplitAfter(text, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimRight(l, "\r\n") == docHeading {
			start = i
			break
		}
		if strings.HasPrefix(l, "package ") {
			break
		}
	}
	if start < 0 {
		return "", fmt.Errorf("%s has no %q section in its package comment: add the heading line where the calls belong", name, docHeading)
	}
	end := start + 1
	for end < len(lines) && strings.HasPrefix(lines[end], "//") && !strings.HasPrefix(lines[end], "// # ") {
		end++
	}
	var b bytes.Buffer
	for _, l := range lines[:start+1] {
		b.WriteString(l)
	}
	b.WriteString(section)
	if end < len(lines) && strings.HasPrefix(lines[end], "// # ") {
		b.WriteString("//\n") // a blank comment line before the next heading
	}
	for _, l := range lines[end:] {
		b.WriteString(l)
	}
	return b.String(), nil
}
