package cli

import (
	"encoding"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/calltest"
)

// TestEveryRegistryCallRunsAsACommand runs every entry of every registry
// the command serves as couponkit <vendor> <name> against the vendor's
// fake, with a request whose every field is set (strings "1", numbers 1,
// one element per list), less the fields its validation refuses in turn.
// Each run must reach its own call: either the fake received the entry's
// operation and nothing else (answered with a success or a vendor refusal:
// exit 0 or 1), or the call refused the request before sending anything,
// with a ValidationError naming a field of the entry's request type that
// must be set. A new registry entry is covered without an edit here.
func TestEveryRegistryCallRunsAsACommand(t *testing.T) {
	for _, vendor := range slices.Sorted(maps.Keys(registries)) {
		f, env := startFake(t, vendor, nil)
		for _, a := range registries[vendor].apis() {
			t.Run(vendor+"/"+a.Name, func(t *testing.T) {
				req := sample(a.Request).(map[string]any)
				for {
					input := filepath.Join(t.TempDir(), "req.json")
					b, err := json.Marshal(req)
					if err != nil {
						t.Fatal(err)
					}
					os.WriteFile(input, b, 0o600)
					before := len(f.Controls.Requests())
					r := run(t, env, vendor, a.Name, "--input", input, "--json")
					sent := f.Controls.Requests()[before:]
					if len(sent) > 0 {
						for _, q := range sent {
							if q.API != a.Operation {
								t.Errorf("the fake received %q (%s), want %q", q.API, q.Path, a.Operation)
							}
						}
						if r.code == 0 && !json.Valid([]byte(r.out)) || r.code != 0 && r.code != 1 {
							t.Errorf("exit %d: %s %s", r.code, r.out, r.err)
						}
						t.Logf("sent, exit %d: %s", r.code, strings.TrimSpace(r.err))
						return
					}
					m := regexp.MustCompile(`couponkit: invalid ([A-Za-z]+)`).FindStringSubmatch(r.err)
					if r.code != 1 || m == nil {
						t.Fatalf("exit %d, nothing sent and no ValidationError: %s %s", r.code, r.out, r.err)
					}
					if _, ok := a.Request.FieldByName(m[1]); !ok {
						t.Fatalf("the ValidationError names %s, not a field of %s: %s", m[1], a.Request, r.err)
					}
					// A field the sample cannot fill right (an enum, a
					// field a call wants empty) is left out and the call
					// run again; a field it wants set ends the test here.
					if _, ok := req[m[1]]; !ok {
						t.Logf("refused before sending: %s", strings.TrimSpace(r.err))
						return
					}
					delete(req, m[1])
				}
			})
		}
	}
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// sample is a JSON value for type t, as --input reads it, with every field
// set: strings "1", numbers and amounts 1, times in Beijing time, one
// element per list. A field that reads text (an enum) is left out.
func sample(t reflect.Type) any {
	switch {
	case t == timeType:
		return time.Date(2026, 12, 1, 10, 0, 0, 0, beijing)
	case reflect.PointerTo(t).Implements(textUnmarshaler) && t.Kind() != reflect.Struct:
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return sample(t.Elem())
	case reflect.String:
		return "1000000001"
	case reflect.Bool:
		return false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return 1
	case reflect.Slice:
		if e := sample(t.Elem()); e != nil {
			return []any{e}
		}
		return nil
	case reflect.Struct:
		out := map[string]any{}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			if v := sample(f.Type); v != nil {
				out[f.Name] = v
			}
		}
		return out
	}
	return nil
}

// Every exported method of a served client that takes a context and a
// request is in its registry, so it runs as a command.
func TestEveryTypedMethodIsInItsRegistry(t *testing.T) {
	for vendor, reg := range registries {
		listed := map[string]bool{}
		for _, a := range reg.apis() {
			listed[a.Method] = true
		}
		for _, m := range calltest.TypedMethods(reg.clientType) {
			if !listed[m] {
				t.Errorf("%s.Client.%s takes a request but is not in the %s registry", vendor, m, vendor)
			}
		}
		if err := couponkit.CheckAPIs(reg.apis()...); err != nil {
			t.Errorf("%s: %v", vendor, err)
		}
	}
}

// The single calls cmd/couponkit/README.md lists for a vendor (the blocks
// go generate writes from the vendor's registry) are the calls the command
// serves for it.
func TestREADMEListsTheCommandsCalls(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile(`(?s)<!-- couponkit:apis commands (\w+) -->\n(.*?)<!-- couponkit:end -->`).FindAllStringSubmatch(string(b), -1)
	if len(blocks) == 0 {
		t.Fatal("no couponkit:apis commands block in the README")
	}
	for _, m := range blocks {
		vendor := m[1]
		var listed []string
		for _, n := range regexp.MustCompile("`([a-z0-9-]+)`").FindAllStringSubmatch(m[2], -1) {
			listed = append(listed, n[1])
		}
		slices.Sort(listed)
		if got := callNames(vendor); !slices.Equal(got, listed) {
			t.Errorf("README lists %s's calls %v; the command serves %v", vendor, listed, got)
		}
	}
}
