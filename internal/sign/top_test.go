package sign

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// The vendor-published TOP vector (PROTOCOLS.md): the signed text is
// "test" + "app_keytestfieldsnick…v2.0" + "test".
func TestTOPPublishedVector(t *testing.T) {
	params := []Param{
		{"method", "taobao.user.seller.get"},
		{"timestamp", "2013-05-06 13:52:03"},
		{"format", "xml"},
		{"app_key", "test"},
		{"v", "2.0"},
		{"fields", "nick"},
		{"sign_method", "md5"},
		{"session", "test"},
	}
	orig := slices.Clone(params)
	got, err := TOPSign(TOPMD5, params, "test")
	if err != nil {
		t.Fatal(err)
	}
	if want := "72CB4D809B375A54502C09360D879C64"; got != want {
		t.Errorf("TOPSign = %s, want %s", got, want)
	}
	if !slices.Equal(params, orig) {
		t.Errorf("params modified: %q", params)
	}
}

func TestTOPVectors(t *testing.T) {
	var vectors []struct {
		Name   string
		Method string
		Params [][]string
		Secret string
		Sign   string
	}
	loadVectors(t, "top.json", &vectors)
	seen := map[TOPMethod]bool{}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			params := pairs(t, v.Params)
			orig := slices.Clone(params)
			got, err := TOPSign(TOPMethod(v.Method), params, v.Secret)
			if err != nil {
				t.Fatal(err)
			}
			if got != v.Sign {
				t.Errorf("TOPSign(%s) = %s, want %s", v.Method, got, v.Sign)
			}
			if !slices.Equal(params, orig) {
				t.Errorf("params modified: %q", params)
			}
			seen[TOPMethod(v.Method)] = true
		})
	}
	for _, m := range []TOPMethod{TOPMD5, TOPHMACMD5, TOPHMACSHA256} {
		if !seen[m] {
			t.Errorf("no vector for method %q", m)
		}
	}
}

func TestTOPSignSkipsSignParam(t *testing.T) {
	base := []Param{{"a", "1"}, {"z", "2"}}
	withSign := []Param{{"sign", "ABCDEF"}, {"a", "1"}, {"z", "2"}}
	for _, m := range []TOPMethod{TOPMD5, TOPHMACMD5, TOPHMACSHA256} {
		want, err1 := TOPSign(m, base, "k")
		got, err2 := TOPSign(m, withSign, "k")
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if got != want {
			t.Errorf("%s: sign param changed the signature: %s != %s", m, got, want)
		}
		if got != strings.ToUpper(got) {
			t.Errorf("%s: %s is not uppercase", m, got)
		}
	}
}

func TestTOPSignUnknownMethod(t *testing.T) {
	const secret = "very-secret-value"
	for _, m := range []TOPMethod{"", "MD5", "HMAC", "sha1", "hmac-sha1"} {
		got, err := TOPSign(m, []Param{{"a", "1"}}, secret)
		if err == nil || got != "" {
			t.Errorf("method %q: got %q, %v; want an error", m, got, err)
			continue
		}
		if !errors.Is(err, errUnknownTOPMethod) {
			t.Errorf("method %q: unexpected error %v", m, err)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error text leaks the secret: %v", err)
		}
	}
}

func BenchmarkTOPSign(b *testing.B) {
	params := []Param{
		{"app_key", "12345678"},
		{"format", "json"},
		{"method", "taobao.film.fcode.export.query"},
		{"params", `{"mix_id":"m-1","partner_code":"p","operate_type":"ALL"}`},
		{"session", "6100e23657fb0b2d0c78568e55a3031134be9a3a5d4b3a365753805479"},
		{"sign_method", "hmac-sha256"},
		{"timestamp", "2024-06-01 08:00:00"},
		{"v", "2.0"},
	}
	for _, m := range []TOPMethod{TOPMD5, TOPHMACMD5, TOPHMACSHA256} {
		b.Run(string(m), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := TOPSign(m, params, "secret"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
