package sign

import (
	"slices"
	"testing"
)

// The vendor-published e-Buy vector (PROTOCOLS.md), checked with sha256sum.
func TestEbuyPublishedVector(t *testing.T) {
	params := []Param{
		{"uuid", "20210707-cd28bed6332846979cf012223c981a14"},
		{"action", "refund"},
		{"appId", "ebuyde43082858d1"},
		{"content", `{"outTradeNo":"202107071625649048080","refundTradeNo":"202107071625649048080"}`},
		{"lang", "zh_CN"},
		{"timestamp", "1625649048115"},
		{"signType", "sha256"},
	}
	const secret = "D6954F665B12A4318DF2DE43082858DE"
	const payload = `action=refund&appId=ebuyde43082858d1&content={"outTradeNo":"202107071625649048080","refundTradeNo":"202107071625649048080"}&lang=zh_CN&signType=sha256&timestamp=1625649048115&uuid=20210707-cd28bed6332846979cf012223c981a14&D6954F665B12A4318DF2DE43082858DE`
	const want = "cefb7347b73b2793a6d4a99993480500bd74752e7b983acedb9515166e22d271"
	orig := slices.Clone(params)

	if got := string(EbuyPayload(params, secret)); got != payload {
		t.Errorf("EbuyPayload:\n got %s\nwant %s", got, payload)
	}
	if got := EbuySign(params, secret); got != want {
		t.Errorf("EbuySign = %s, want %s", got, want)
	}
	if !slices.Equal(params, orig) {
		t.Errorf("params modified: %q", params)
	}
}

func TestEbuyVectors(t *testing.T) {
	var vectors []ebuyVector
	loadVectors(t, "ebuy.json", &vectors)
	if len(vectors) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			params := pairs(t, v.Params)
			orig := slices.Clone(params)
			if got := string(EbuyPayload(params, v.Secret)); got != v.Payload {
				t.Errorf("EbuyPayload:\n got %s\nwant %s", got, v.Payload)
			}
			if got := EbuySign(params, v.Secret); got != v.Sign {
				t.Errorf("EbuySign = %s, want %s", got, v.Sign)
			}
			if !slices.Equal(params, orig) {
				t.Errorf("params modified: %q", params)
			}
			// The same params fed to an EbuyDigest in key order, through
			// each of its three ways in: the published sign again.
			sorted := slices.Clone(params)
			SortParams(sorted)
			var byString, byBytes, byParts EbuyDigest
			for _, p := range sorted {
				byString.AddString(p.Key, p.Value)
				byBytes.Add(p.Key, []byte(p.Value))
				half := len(p.Value) / 2
				byParts.AddParts(p.Key, []byte(p.Value[:half]), p.Value[half:])
			}
			for name, d := range map[string]*EbuyDigest{"AddString": &byString, "Add": &byBytes, "AddParts": &byParts} {
				if got := d.Sum(v.Secret); got != v.Sign {
					t.Errorf("EbuyDigest via %s = %s, want %s", name, got, v.Sign)
				}
			}
		})
	}
}

// ebuyVector is one entry of testdata/ebuy.json.
type ebuyVector struct {
	Name    string
	Params  [][]string
	Secret  string
	Payload string
	Sign    string
}

// The vector longer than EbuyDigest's buffer, with each value in turn given
// in two parts, hashes to its sign.
func TestEbuyDigestAcrossItsBuffer(t *testing.T) {
	var vectors []ebuyVector
	loadVectors(t, "ebuy.json", &vectors)
	var long *ebuyVector
	for i := range vectors {
		if len(vectors[i].Payload) > ebuyStack {
			long = &vectors[i]
		}
	}
	if long == nil {
		t.Fatal("no vector longer than the buffer")
	}
	sorted := pairs(t, long.Params)
	SortParams(sorted)
	for _, p := range sorted {
		var d EbuyDigest
		for _, q := range sorted {
			if q == p {
				d.AddParts(q.Key, []byte(q.Value[:len(q.Value)/3]), q.Value[len(q.Value)/3:])
			} else {
				d.AddString(q.Key, q.Value)
			}
		}
		if got := d.Sum(long.Secret); got != long.Sign {
			t.Errorf("split in %s: %s, want %s", p.Key, got, long.Sign)
		}
	}
}

func TestEbuyPayloadEmptyValueAndNoParams(t *testing.T) {
	if got := string(EbuyPayload([]Param{{"b", ""}, {"a", "x"}}, "S")); got != "a=x&b=&S" {
		t.Errorf("got %q", got)
	}
	if got := string(EbuyPayload(nil, "S")); got != "&S" {
		t.Errorf("got %q", got)
	}
}

func BenchmarkEbuySign(b *testing.B) {
	params := []Param{
		{"action", "refund"},
		{"appId", "ebuyde43082858d1"},
		{"content", `{"outTradeNo":"202107071625649048080","refundTradeNo":"202107071625649048080"}`},
		{"lang", "zh_CN"},
		{"signType", "sha256"},
		{"timestamp", "1625649048115"},
		{"uuid", "20210707-cd28bed6332846979cf012223c981a14"},
	}
	b.ReportAllocs()
	for b.Loop() {
		EbuySign(params, "D6954F665B12A4318DF2DE43082858DE")
	}
}
