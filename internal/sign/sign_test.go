package sign

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// loadVectors decodes testdata/name into v.
func loadVectors(t testing.TB, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// pairs converts the [[key, value], ...] form of the vector files.
func pairs(t testing.TB, raw [][]string) []Param {
	t.Helper()
	ps := make([]Param, len(raw))
	for i, kv := range raw {
		if len(kv) != 2 {
			t.Fatalf("param %d: want [key, value], got %q", i, kv)
		}
		ps[i] = Param{kv[0], kv[1]}
	}
	return ps
}

func TestSortParams(t *testing.T) {
	p := []Param{
		{"b", "1"}, {"ab", ""}, {"a_b", ""}, {"B", ""}, {"a", "first"},
		{"中", ""}, {"a", "second"}, {"Z", ""}, {"", "empty key"}, {"a", "third"},
	}
	SortParams(p)
	want := []Param{
		{"", "empty key"}, {"B", ""}, {"Z", ""}, {"a", "first"}, {"a", "second"},
		{"a", "third"}, {"a_b", ""}, {"ab", ""}, {"b", "1"}, {"中", ""},
	}
	if !slices.Equal(p, want) {
		t.Fatalf("SortParams:\n got %q\nwant %q", p, want)
	}
	SortParams(nil) // must not panic
}

func TestSortedViewDoesNotModify(t *testing.T) {
	in := []Param{{"b", "2"}, {"a", "1"}}
	orig := slices.Clone(in)
	got := sortedView(in)
	if !slices.Equal(in, orig) {
		t.Fatalf("input modified: %q", in)
	}
	if !slices.Equal(got, []Param{{"a", "1"}, {"b", "2"}}) {
		t.Fatalf("sortedView = %q", got)
	}
	sorted := []Param{{"a", "1"}, {"b", "2"}}
	if v := sortedView(sorted); &v[0] != &sorted[0] {
		t.Fatal("an already sorted slice should be used without copying")
	}
}
