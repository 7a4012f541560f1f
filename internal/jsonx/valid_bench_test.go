package jsonx

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// validBody is an answer of 200 coupons, about 30 KB.
func validBody() []byte {
	var b strings.Builder
	b.WriteString(`{"status":"true","code":"0","message":"成功","data":[`)
	for i := range 200 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"cardId":"3909134454982%05d","title":"满50减10","amount":"%d.%02d","useStatus":"0","beginAt":"2019-10-15 17:10:02","extra":{"a":[1,2.5e3,true,null]}}`, i, 10+i%50, i%100)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkCheck pairs Check with json.Valid on one body, by the MB/s each
// reaches.
func BenchmarkCheck(b *testing.B) {
	body := validBody()
	b.Run("jsonx.Check", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if Check(body) != nil {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if !json.Valid(body) {
				b.Fatal("invalid")
			}
		}
	})
}

// BenchmarkScanEnvelope compares the ways an Open finds the envelope of a
// 30 KB answer: Check then EachMember (the data read twice), Scan (once),
// and ScanDeferred (the data delimited only, for encoding/json to check).
func BenchmarkScanEnvelope(b *testing.B) {
	body := validBody()
	names := []string{"status", "code", "message", "data"}
	b.Run("Check+EachMember", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if Check(body) != nil {
				b.Fatal("invalid")
			}
			EachMember(body, func(name, value []byte) bool { _ = FieldIndex(name, names); return true })
		}
	})
	var v [4][]byte
	b.Run("Scan", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if Scan(body, names, v[:]) != nil {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("ScanDeferred", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if ScanDeferred(body, names, 3, v[:]) != nil {
				b.Fatal("invalid")
			}
		}
	})
}
