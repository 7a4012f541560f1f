package jsonx

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/internal/benchkit"
)

// Marshal's results are slices of their own, though its encoders are
// pooled: a later call does not change an earlier result, a value that does
// not encode returns encoding/json's error, and a huge one encodes whole.
func TestMarshalPooledResultsStand(t *testing.T) {
	first, err := Marshal(map[string]int{"a": 1})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", maxPooled+1)
	for _, v := range []any{map[string]string{"b": "中文<>"}, big, []int{1, 2, 3}} {
		got, err := Marshal(v)
		want, _ := json.Marshal(v)
		if err != nil || !bytes.Equal(bytes.ReplaceAll(got, []byte("<>"), []byte(`\u003c\u003e`)), want) {
			t.Errorf("%.20v: %.40s %v, want %.40s", v, got, err, want)
		}
	}
	if string(first) != `{"a":1}` {
		t.Errorf("an earlier result changed: %s", first)
	}
	if _, err := Marshal(make(chan int)); err == nil {
		t.Error("a channel encoded")
	}
	v := &struct {
		A string `json:"a"`
		N int    `json:"n"`
	}{"x", 1}
	// The result's only (the race detector's pool drops some, within its
	// slack).
	n := testing.AllocsPerRun(100, func() { _, _ = Marshal(v) })
	benchkit.Budget(t, "Marshal", n, 1, 1)
}
