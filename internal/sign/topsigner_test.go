package sign

import (
	"errors"
	"testing"

	"github.com/couponkit/couponkit/internal/benchkit"
)

// The signer gives the vectors' signatures (computed with Python) for
// their signed strings, however the string is cut into parts, with a
// prefix in dst kept, and again when its hash is reused.
func TestTOPSignerVectors(t *testing.T) {
	var vectors []struct {
		Name   string
		Method string
		Secret string
		String string
		Sign   string
	}
	loadVectors(t, "top.json", &vectors)
	seen := map[TOPMethod]bool{}
	for _, v := range vectors {
		s, err := NewTOPSigner(TOPMethod(v.Method), v.Secret)
		if err != nil {
			t.Fatal(err)
		}
		str := []byte(v.String)
		for _, cut := range [][2]int{{0, 0}, {len(str) / 3, 2 * len(str) / 3}, {len(str), len(str)}} {
			for range 2 {
				got := s.AppendSign([]byte("sign="), str[:cut[0]], str[cut[0]:cut[1]], str[cut[1]:])
				if want := "sign=" + v.Sign; string(got) != want {
					t.Errorf("%s, cut at %v: %s, want %s", v.Name, cut, got, want)
				}
			}
		}
		seen[TOPMethod(v.Method)] = true
	}
	for _, m := range []TOPMethod{TOPMD5, TOPHMACMD5, TOPHMACSHA256} {
		if !seen[m] {
			t.Errorf("no vector for method %q", m)
		}
	}
	if _, err := NewTOPSigner("sha1", "k"); !errors.Is(err, errUnknownTOPMethod) {
		t.Errorf("sha1: %v", err)
	}
}

// A signature costs no allocation once the hash is pooled and dst has room.
func TestTOPSignerAllocations(t *testing.T) {
	s, err := NewTOPSigner(TOPHMACSHA256, "secret")
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, 0, 128)
	part := []byte("app_key12345678formatjson")
	s.AppendSign(dst, part)
	// None (the race detector's pool drops some, within its slack).
	n := testing.AllocsPerRun(100, func() { s.AppendSign(dst, part) })
	benchkit.Budget(t, "TOPSigner.AppendSign", n, 0, 0)
}
