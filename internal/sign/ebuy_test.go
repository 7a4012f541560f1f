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
	var vectors []struct {
		Name    string
		Params  [][]string
		Secret  string
		Payload string
		Sign    string
	}
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
		})
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
