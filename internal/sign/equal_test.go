package sign

import (
	"strings"
	"testing"
)

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "", true},
		{"abcdef0123", "abcdef0123", true},
		{"ABCDEF0123", "abcdef0123", true},
		{"72CB4D809B375A54502C09360D879C64", "72cb4d809b375a54502c09360d879c64", true},
		{"aBcD", "AbCd", true},
		{"abcd", "abce", false},
		{"abcd", "abc", false},
		{"abc", "abcd", false},
		{"", "a", false},
		{"@", "`", false}, // 0x40 and 0x60 differ by 0x20 but are not letters
		{"[", "{", false},
		{"\xc1", "\xe1", false}, // non-ASCII bytes are not folded
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	long := strings.Repeat("0123456789abcdef", 20) // longer than the stack buffer
	upper := strings.ToUpper(long)
	if !Equal(long, upper) {
		t.Error("long strings differing only in case should be equal")
	}
	if Equal(long, upper[:len(upper)-1]+"0") {
		t.Error("long strings with a different last byte should differ")
	}
}

func TestEqualNoAllocs(t *testing.T) {
	a := "1F534BA4F4D0ED34036C9E370D3863E8DD17345B1E58B4989C8432924DC4FAE1"
	b := "1f534ba4f4d0ed34036c9e370d3863e8dd17345b1e58b4989c8432924dc4fae1"
	if n := testing.AllocsPerRun(100, func() { Equal(a, b) }); n != 0 {
		t.Errorf("Equal allocates %v times for a 64-character signature", n)
	}
}

func refLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func FuzzEqual(f *testing.F) {
	f.Add("abcdef", "ABCDEF")
	f.Add("72CB4D809B375A54502C09360D879C64", "72cb4d809b375a54502c09360d879c64")
	f.Add("abc", "abcd")
	f.Add("@[`{", "`{@[")
	f.Fuzz(func(t *testing.T, a, b string) {
		want := len(a) == len(b)
		for i := 0; want && i < len(a); i++ {
			want = refLower(a[i]) == refLower(b[i])
		}
		if got := Equal(a, b); got != want {
			t.Fatalf("Equal(%q, %q) = %v, want %v", a, b, got, want)
		}
		if !Equal(a, a) {
			t.Fatalf("Equal(%q, itself) = false", a)
		}
	})
}
