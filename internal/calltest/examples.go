package calltest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
)

// MissingExamples returns the methods of apis (API.Method) that no godoc
// Example of the test files in dir shows: a function ExampleClient_<Method>,
// or one with a suffix, ExampleClient_<Method>_<suffix> (the suffix starting
// with a lower-case letter, as go doc requires). A package's test calls it
// with "." so that a call added to its registry without an Example fails.
func MissingExamples(dir string, apis []couponkit.API) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	shown := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil {
				if m, ok := exampleOf(fn.Name.Name); ok {
					shown[m] = true
				}
			}
		}
	}
	var missing []string
	for _, a := range apis {
		if !shown[a.Method] {
			missing = append(missing, a.Method)
		}
	}
	return missing, nil
}

// exampleOf returns the Client method an Example function shows, from its
// name ExampleClient_<Method>[_<suffix>].
func exampleOf(name string) (method string, ok bool) {
	rest, ok := strings.CutPrefix(name, "ExampleClient_")
	if !ok || rest == "" {
		return "", false
	}
	method, suffix, hasSuffix := strings.Cut(rest, "_")
	if hasSuffix {
		r, _ := utf8.DecodeRuneInString(suffix)
		if suffix == "" || !unicode.IsLower(r) {
			return "", false
		}
	}
	return method, method != ""
}
