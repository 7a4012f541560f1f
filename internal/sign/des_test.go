package sign

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

type desVector struct {
	Name      string
	Mode      string
	KeyHex    string `json:"keyHex"`
	IVHex     string `json:"ivHex"`
	Padding   string
	Plain     string
	CipherHex string `json:"cipherHex"`
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (v desVector) cipher(t testing.TB) *DESCipher {
	t.Helper()
	mode := map[string]DESMode{"ecb": DESECB, "cbc": DESCBC}[v.Mode]
	pad := map[string]Padding{"pkcs5": PKCS5, "zero": ZeroPadding}[v.Padding]
	var iv []byte
	if v.IVHex != "" {
		iv = mustHex(t, v.IVHex)
	}
	c, err := NewDES(mustHex(t, v.KeyHex), mode, iv, pad)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustDES(t testing.TB, key string, mode DESMode, iv string, pad Padding) *DESCipher {
	t.Helper()
	var ivb []byte
	if iv != "" {
		ivb = []byte(iv)
	}
	c, err := NewDES([]byte(key), mode, ivb, pad)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDESVectors(t *testing.T) {
	var vectors []desVector
	loadVectors(t, "des.json", &vectors)
	covered := map[string]bool{}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			c := v.cipher(t)
			plain := []byte(v.Plain)
			if got := c.EncryptHex(plain); got != v.CipherHex {
				t.Errorf("EncryptHex = %s, want %s", got, v.CipherHex)
			}
			prefix := []byte("param=")
			if got := c.AppendEncryptHex(prefix, plain); string(got) != "param="+v.CipherHex {
				t.Errorf("AppendEncryptHex = %s, want param=%s", got, v.CipherHex)
			}
			for _, in := range []string{v.CipherHex, strings.ToLower(v.CipherHex)} {
				got, err := c.DecryptHex(in)
				if err != nil {
					t.Fatalf("DecryptHex(%s): %v", in, err)
				}
				if string(got) != v.Plain {
					t.Errorf("DecryptHex(%s) = %q, want %q", in, got, v.Plain)
				}
			}
			covered[v.Mode+"/"+v.Padding+"/"+plainClass(v.Plain)] = true
		})
	}
	for _, mode := range []string{"ecb", "cbc"} {
		for _, class := range []string{"0", "7", "8", "9", "chinese"} {
			if key := mode + "/pkcs5/" + class; !covered[key] {
				t.Errorf("no DES vector for %s", key)
			}
		}
	}
}

func plainClass(s string) string {
	if len(s) > 9 {
		return "chinese"
	}
	return string(rune('0' + len(s)))
}

func TestDESCiphertextLength(t *testing.T) {
	ciphers := map[string]*DESCipher{
		"ecb": mustDES(t, "12345678", DESECB, "", PKCS5),
		"cbc": mustDES(t, "12345678", DESCBC, "abcdefgh", PKCS5),
	}
	for name, c := range ciphers {
		for n := 0; n <= 40; n++ {
			want := 2 * ((n/8 + 1) * 8) // next multiple of 8 strictly greater than n
			if got := len(c.EncryptHex(bytes.Repeat([]byte{'x'}, n))); got != want {
				t.Errorf("%s PKCS5: len(plain)=%d: hex length %d, want %d", name, n, got, want)
			}
		}
	}
	z := mustDES(t, "12345678", DESECB, "", ZeroPadding)
	for n := 0; n <= 40; n++ {
		want := 2 * ((n + 7) / 8 * 8)
		if got := len(z.EncryptHex(bytes.Repeat([]byte{'x'}, n))); got != want {
			t.Errorf("ZeroPadding: len(plain)=%d: hex length %d, want %d", n, got, want)
		}
	}
}

func TestDESFirstBlocks(t *testing.T) {
	a := []byte(`{"channel":"A","saleNo":"1"}`)
	b := []byte(`{"channel":"B","saleNo":"2"}`)
	if !bytes.Equal(a[:8], b[:8]) {
		t.Fatal("test plaintexts must share their first 8 bytes")
	}
	ecb := mustDES(t, "12345678", DESECB, "", PKCS5)
	if ea, eb := ecb.EncryptHex(a), ecb.EncryptHex(b); ea[:16] != eb[:16] {
		t.Errorf("ECB: equal first plaintext blocks gave different first ciphertext blocks: %s %s", ea[:16], eb[:16])
	} else if ea == eb {
		t.Error("ECB: different plaintexts gave equal ciphertexts")
	}
	cbc1 := mustDES(t, "12345678", DESCBC, "abcdefgh", PKCS5)
	cbc2 := mustDES(t, "12345678", DESCBC, "hgfedcba", PKCS5)
	if c1, c2 := cbc1.EncryptHex(a), cbc2.EncryptHex(b); c1[:16] == c2[:16] {
		t.Errorf("CBC with different IVs: first blocks are equal: %s", c1[:16])
	}
	if c1, c2 := cbc1.EncryptHex(a), cbc1.EncryptHex(b); c1[:16] != c2[:16] {
		t.Errorf("CBC with the same IV: first blocks differ: %s %s", c1[:16], c2[:16])
	}
}

func TestDESDecryptErrors(t *testing.T) {
	const key = "K3y!x9Qz"
	keyForms := []string{key, hex.EncodeToString([]byte(key)), strings.ToUpper(hex.EncodeToString([]byte(key)))}
	pkcs := mustDES(t, key, DESECB, "", PKCS5)
	cbc := mustDES(t, key, DESCBC, "abcdefgh", PKCS5)
	raw := mustDES(t, key, DESECB, "", ZeroPadding) // encrypts aligned input without padding
	rawCBC := mustDES(t, key, DESCBC, "abcdefgh", ZeroPadding)
	valid := pkcs.EncryptHex([]byte("abcdefgh"))

	tests := []struct {
		name   string
		c      *DESCipher
		in     string
		target error
	}{
		{"odd length", pkcs, valid[:15], errDESHex},
		{"non-hex", pkcs, strings.Repeat("zz", 8), errDESHex},
		{"non-hex tail", pkcs, valid[:30] + "G0", errDESHex},
		{"empty", pkcs, "", errDESLength},
		{"7 bytes", pkcs, valid[:14], errDESLength},
		{"12 bytes", pkcs, valid[:24], errDESLength},
		{"padding byte 0", pkcs, raw.EncryptHex([]byte("abcdefg\x00")), errDESPadding},
		{"padding byte 9", pkcs, raw.EncryptHex([]byte("abcdefg\x09")), errDESPadding},
		{"padding byte 0xff", pkcs, raw.EncryptHex([]byte("abcdefg\xff")), errDESPadding},
		{"inconsistent padding", pkcs, raw.EncryptHex([]byte("abcde\x03\x02\x03")), errDESPadding},
		{"padding longer than data", pkcs, raw.EncryptHex([]byte("abcdefgh\x10\x10\x10\x10\x10\x10\x10\x10")), errDESPadding},
		{"cbc bad padding", cbc, rawCBC.EncryptHex([]byte("abcdefg\x00")), errDESPadding},
		{"cbc wrong length", cbc, valid[:20], errDESLength},
		{"zero padding wrong length", raw, valid[:14], errDESLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.DecryptHex(tt.in)
			if err == nil {
				t.Fatalf("DecryptHex(%q) = %q, want an error", tt.in, got)
			}
			if !errors.Is(err, tt.target) {
				t.Errorf("error %q, want %q", err, tt.target)
			}
			for _, k := range keyForms {
				if strings.Contains(err.Error(), k) {
					t.Errorf("error text %q contains the key", err)
				}
			}
		})
	}
}

func TestNewDESErrors(t *testing.T) {
	for _, n := range []int{0, 1, 7, 9, 16, 24} {
		key := bytes.Repeat([]byte{'Q'}, n)
		c, err := NewDES(key, DESECB, nil, PKCS5)
		if err == nil || c != nil {
			t.Errorf("key of %d bytes: want an error", n)
			continue
		}
		if want := fmt.Sprintf("DES key must be 8 bytes, got %d", n); !strings.Contains(err.Error(), want) {
			t.Errorf("key of %d bytes: error %q, want it to contain %q", n, err, want)
		}
		if n > 0 && strings.Contains(err.Error(), string(key)) {
			t.Errorf("error text %q contains the key", err)
		}
	}
	key := []byte("12345678")
	bad := []struct {
		name string
		mode DESMode
		iv   []byte
		pad  Padding
	}{
		{"cbc nil iv", DESCBC, nil, PKCS5},
		{"cbc short iv", DESCBC, []byte("abcdefg"), PKCS5},
		{"cbc long iv", DESCBC, []byte("abcdefghi"), PKCS5},
		{"ecb with iv", DESECB, []byte("abcdefgh"), PKCS5},
		{"unknown mode", DESMode(7), nil, PKCS5},
		{"unknown padding", DESECB, nil, Padding(9)},
	}
	for _, tt := range bad {
		c, err := NewDES(key, tt.mode, tt.iv, tt.pad)
		if err == nil || c != nil {
			t.Errorf("%s: want an error", tt.name)
			continue
		}
		if strings.Contains(err.Error(), "12345678") || (len(tt.iv) > 0 && strings.Contains(err.Error(), string(tt.iv))) {
			t.Errorf("%s: error text %q contains key or IV", tt.name, err)
		}
	}
	if _, err := NewDES(key, DESECB, []byte{}, PKCS5); err != nil {
		t.Errorf("ECB with an empty IV: %v", err)
	}
}

func TestNewDESCopiesKeyAndIV(t *testing.T) {
	key, iv := []byte("12345678"), []byte("abcdefgh")
	c, err := NewDES(key, DESCBC, iv, PKCS5)
	if err != nil {
		t.Fatal(err)
	}
	want := c.EncryptHex([]byte("payload"))
	copy(key, "xxxxxxxx")
	copy(iv, "yyyyyyyy")
	if got := c.EncryptHex([]byte("payload")); got != want {
		t.Errorf("changing the caller's key/IV changed the cipher: %s != %s", got, want)
	}
}

func TestDESZeroPadding(t *testing.T) {
	c := mustDES(t, "12345678", DESECB, "", ZeroPadding)
	got, err := c.DecryptHex(c.EncryptHex([]byte("ab\x00c\x00\x00")))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "ab\x00c" {
		t.Errorf("trailing zeros not stripped (or inner zero lost): %q", got)
	}
	if got, err := c.DecryptHex(""); err != nil || len(got) != 0 {
		t.Errorf(`DecryptHex("") = %q, %v; want empty, nil`, got, err)
	}
}

func TestDESConcurrentUse(t *testing.T) {
	for _, c := range []*DESCipher{
		mustDES(t, "12345678", DESECB, "", PKCS5),
		mustDES(t, "12345678", DESCBC, "abcdefgh", PKCS5),
	} {
		want := c.EncryptHex([]byte(`{"memberId":"M1","num":1}`))
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 200 {
					if got := c.EncryptHex([]byte(`{"memberId":"M1","num":1}`)); got != want {
						t.Errorf("concurrent EncryptHex = %s, want %s", got, want)
						return
					}
					if p, err := c.DecryptHex(want); err != nil || string(p) != `{"memberId":"M1","num":1}` {
						t.Errorf("concurrent DecryptHex = %q, %v", p, err)
						return
					}
				}
			})
		}
		wg.Wait()
	}
}

func TestAppendEncryptHexNoAllocs(t *testing.T) {
	c := mustDES(t, "12345678", DESECB, "", PKCS5)
	plain := []byte(`{"cardInfoId":"1001","saleNo":"S1"}`)
	dst := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { dst = c.AppendEncryptHex(dst[:0], plain) }); n != 0 {
		t.Errorf("ECB AppendEncryptHex with spare capacity allocates %v times", n)
	}
}

func FuzzDESRoundTrip(f *testing.F) {
	f.Add([]byte(""), "")
	f.Add([]byte("abcdefg"), "FEB959B7D4642FCB")
	f.Add([]byte("abcdefgh"), "94d4436bc3b5b693feb959b7d4642fcb")
	f.Add([]byte("abcdefghi"), "zz")
	f.Add([]byte(`{"saleUser":"张三","payAmt":"99.00"}`), "0")
	f.Add([]byte("ends in zero\x00"), "0000000000000000")
	ciphers := []*DESCipher{
		mustDES(f, "12345678", DESECB, "", PKCS5),
		mustDES(f, "12345678", DESCBC, "abcdefgh", PKCS5),
		mustDES(f, "12345678", DESECB, "", ZeroPadding),
		mustDES(f, "12345678", DESCBC, "abcdefgh", ZeroPadding),
	}
	f.Fuzz(func(t *testing.T, plain []byte, junk string) {
		for i, c := range ciphers {
			enc := c.EncryptHex(plain)
			want := plain
			if c.pad == ZeroPadding {
				want = bytes.TrimRight(plain, "\x00")
			}
			for _, in := range []string{enc, strings.ToLower(enc)} {
				got, err := c.DecryptHex(in)
				if err != nil {
					t.Fatalf("cipher %d: DecryptHex(EncryptHex(%q)): %v", i, plain, err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("cipher %d: round trip of %q gave %q", i, plain, got)
				}
			}
			// Arbitrary input must never panic; a successful PKCS5 decryption
			// re-encrypts to the same ciphertext, since that padding is canonical.
			got, err := c.DecryptHex(junk)
			if err == nil && c.pad == PKCS5 {
				if again := c.EncryptHex(got); again != strings.ToUpper(junk) {
					t.Fatalf("cipher %d: DecryptHex(%q) = %q re-encrypts to %s", i, junk, got, again)
				}
			}
		}
	})
}

func BenchmarkDESEncryptHex(b *testing.B) {
	plain := []byte(`{"cardInfoId":"1001","saleTime":"2024-06-01 12:00:00","saleUser":"张三","saleOrgCode":"华南001","payAmt":"99.00","saleNo":"S20240601001","memberId":"M1","num":1}`)
	ecb := mustDES(b, "12345678", DESECB, "", PKCS5)
	cbc := mustDES(b, "12345678", DESCBC, "abcdefgh", PKCS5)
	b.Run("ECB", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(plain)))
		for b.Loop() {
			ecb.EncryptHex(plain)
		}
	})
	b.Run("CBC", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(plain)))
		for b.Loop() {
			cbc.EncryptHex(plain)
		}
	})
	b.Run("ECBAppend", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(plain)))
		dst := make([]byte, 0, 512)
		for b.Loop() {
			dst = ecb.AppendEncryptHex(dst[:0], plain)
		}
	})
}
