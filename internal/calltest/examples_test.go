package calltest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/couponkit/couponkit"
)

// MissingExamples finds ExampleClient_<Method> and its suffixed forms in
// the test files only, and names every registry method without one.
func TestMissingExamples(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a_test.go", "package p_test\n\nfunc ExampleClient_Read() {}\nfunc ExampleClient_Write_unknownOutcome() {}\nfunc ExampleClient_Bad_Suffix() {}\n")
	write("b_test.go", "package p_test\n\nfunc ExampleClient_Iterate() {}\nfunc (x T) ExampleClient_Method() {}\n")
	write("c.go", "package p\n\nfunc ExampleClient_NotATest() {}\n")
	apis := []couponkit.API{{Method: "Read"}, {Method: "Write"}, {Method: "Iterate"}, {Method: "Bad"}, {Method: "NotATest"}, {Method: "Method"}}
	missing, err := MissingExamples(dir, apis)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Bad", "NotATest", "Method"}
	if len(missing) != len(want) {
		t.Fatalf("missing = %q, want %q", missing, want)
	}
	for i := range want {
		if missing[i] != want[i] {
			t.Fatalf("missing = %q, want %q", missing, want)
		}
	}
}
