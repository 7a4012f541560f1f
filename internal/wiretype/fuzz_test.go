package wiretype

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
)

// The round trips: whatever a wire type writes, encoding/json carries to
// the same type and it reads back the same value, at the precision of its
// form.

// epochRange is where an epoch is 10 digits in seconds and 13 in
// milliseconds: the range Millis and Unix read back by their digit count.
var epochRange = [2]int64{1_000_000_000, 9_999_999_999}

func FuzzRoundTrip(f *testing.F) {
	f.Add(int64(1122), int64(1571130602), int64(5e8), "383933091455959041", true)
	f.Add(int64(-5), int64(epochRange[0]), int64(0), "0", false)
	f.Add(int64(9999999999999999_99), int64(epochRange[1]), int64(999_999_999), "9", true)
	f.Fuzz(func(t *testing.T, fen, sec, nsec int64, digits string, flag bool) {
		if !utf8.ValidString(digits) {
			digits = "" // encoding/json writes invalid UTF-8 as U+FFFD: not this test's concern
		}
		sec = epochRange[0] + abs(sec)%(epochRange[1]-epochRange[0]+1)
		at := time.Unix(sec, abs(nsec)%1e9)
		if len(strconv.FormatInt(abs(fen)/100, 10)) > 16 {
			fen /= 1000 // keep within the 16 integer digits yuan can carry
		}
		in := request{Amount: Fen(fen), Price: Yuan(fen), Total: YuanNumber(fen), BeginAt: Time(at), EndAt: Time(at),
			Created: CompactTime(at), Updated: Millis(at), Stamp: Unix(at), Flag: Bool(flag), N: Int(fen), Code: Text(digits)}
		if validDigits(digits) {
			in.CustID = Digits(digits)
		}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("%+v does not encode: %v", in, err)
		}
		var out request
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s does not decode: %v", b, err)
		}
		for _, c := range []struct {
			name      string
			got, want time.Time
		}{
			{"Time", time.Time(out.BeginAt), at.Truncate(time.Second)},
			{"CompactTime", time.Time(out.Created), at.Truncate(time.Second)},
			{"Millis", time.Time(out.Updated), at.Truncate(time.Millisecond)},
			{"Unix", time.Time(out.Stamp), at.Truncate(time.Second)},
		} {
			if !c.got.Equal(c.want) {
				t.Fatalf("%s: wrote %s, read %v, want %v", c.name, b, c.got, c.want)
			}
		}
		out.BeginAt, out.EndAt, out.Created, out.Updated, out.Stamp = in.BeginAt, in.EndAt, in.Created, in.Updated, in.Stamp
		if out != in {
			t.Fatalf("wrote %+v as %s, read %+v", in, b, out)
		}
	})
}

func abs(n int64) int64 {
	if n < 0 {
		if n == -n {
			return 0
		}
		return -n
	}
	return n
}

// FuzzDecode: any JSON a type accepts, it writes back as a value that reads
// the same; and where encoding/json has a reading of its own (a number into
// an int64, a JSON bool, a yuan string through couponkit.ParseYuan), the
// wire type agrees with it.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`"11.22"`, `11.2`, `"1122"`, `-5`, `"true"`, `true`, `0`, `"0"`, `""`, `null`,
		`"2019-10-15 17:10:2"`, `1571130602000`, `"20191015171002"`, `383933091455959041`, `"12a"`, `1e3`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		var ref struct {
			n      int64
			nErr   error
			b      bool
			bErr   error
			s      string
			sErr   error
			number json.Number
		}
		ref.nErr = json.Unmarshal(data, &ref.n)
		ref.bErr = json.Unmarshal(data, &ref.b)
		ref.sErr = json.Unmarshal(data, &ref.s)

		var i Int
		if err := json.Unmarshal(data, &i); ref.nErr == nil && (err != nil || int64(i) != ref.n) {
			t.Fatalf("Int read %s as %d (%v); encoding/json reads %d", data, i, err, ref.n)
		}
		var fen Fen
		if err := json.Unmarshal(data, &fen); ref.nErr == nil && (err != nil || int64(fen) != ref.n) {
			t.Fatalf("Fen read %s as %d (%v); encoding/json reads %d", data, fen, err, ref.n)
		}
		var b Bool
		if err := json.Unmarshal(data, &b); ref.bErr == nil && (err != nil || bool(b) != ref.b) {
			t.Fatalf("Bool read %s as %v (%v); encoding/json reads %v", data, b, err, ref.b)
		}
		var y Yuan
		if err := json.Unmarshal(data, &y); ref.sErr == nil && ref.s != "" {
			want, perr := couponkit.ParseYuan(ref.s)
			if (err == nil) != (perr == nil) || (err == nil && couponkit.Fen(y) != want) {
				t.Fatalf("Yuan read %s as %d (%v); couponkit.ParseYuan reads %d (%v)", data, y, err, want, perr)
			}
		}
		var d Digits
		if err := json.Unmarshal(data, &d); err == nil && d != "" {
			if !allDigits([]byte(d)) {
				t.Fatalf("Digits read %s as %q", data, d)
			}
		}

		// Whatever reads, writes back to the same reading.
		again := func(name string, v, w interface{ UnmarshalJSON([]byte) error }, marshal func() ([]byte, error), equal func() bool) {
			if err := v.UnmarshalJSON(data); err != nil {
				return
			}
			out, err := marshal()
			if err != nil {
				if name == "Digits" || name == "Time" || name == "CompactTime" {
					return // a value read leniently may not be writable (a leading zero, a year past 9999)
				}
				t.Fatalf("%s read %s but does not write it: %v", name, data, err)
			}
			if err := w.UnmarshalJSON(out); err != nil || !equal() {
				t.Fatalf("%s read %s, wrote %s, which reads differently (%v)", name, data, out, err)
			}
		}
		var i1, i2 Int
		again("Int", &i1, &i2, func() ([]byte, error) { return i1.MarshalJSON() }, func() bool { return i1 == i2 })
		var y1, y2 Yuan
		again("Yuan", &y1, &y2, func() ([]byte, error) { return y1.MarshalJSON() }, func() bool { return y1 == y2 })
		var n1, n2 YuanNumber
		again("YuanNumber", &n1, &n2, func() ([]byte, error) { return n1.MarshalJSON() }, func() bool { return n1 == n2 })
		var b1, b2 Bool
		again("Bool", &b1, &b2, func() ([]byte, error) { return b1.MarshalJSON() }, func() bool { return b1 == b2 })
		var d1, d2 Digits
		again("Digits", &d1, &d2, func() ([]byte, error) { return d1.MarshalJSON() }, func() bool { return d1 == d2 })
		var t1, t2 Time
		again("Time", &t1, &t2, func() ([]byte, error) { return t1.MarshalJSON() }, func() bool {
			return time.Time(t1).Truncate(time.Second).Equal(time.Time(t2))
		})
		var c1, c2 CompactTime
		again("CompactTime", &c1, &c2, func() ([]byte, error) { return c1.MarshalJSON() }, func() bool {
			return time.Time(c1).Truncate(time.Second).Equal(time.Time(c2))
		})
	})
}

// FuzzParseTimeFastPath holds ParseTime's allocation-free readings of
// "yyyy-MM-dd HH:mm:ss" and "yyyy-MM-dd" to time.Parse's (layoutTime): the
// same instant, or an error from both.
func FuzzParseTimeFastPath(f *testing.F) {
	for _, s := range []string{"2021-06-16", "2021-06-16 16:02:15", "2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29",
		"0000-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "2021-06-16 24:00:00", "2021-06-16 23:60:00", "2021-6-16", "2021/06/16",
		"2021-06-16T16:02:15", "2021-06-16 16:02:15.5", "-021-06-16", "2021-06-1a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) != len("2006-01-02") && len(s) != len("2006-01-02 15:04:05") {
			return
		}
		fast, ok := fastTime([]byte(s))
		slow, err := layoutTime([]byte(s))
		if ok && (err != nil || !fast.Equal(slow)) {
			t.Fatalf("fastTime read %q as %v; time.Parse reads %v (%v)", s, fast, slow, err)
		}
		if !ok && err == nil && allASCIIDigitsAt(s) {
			t.Fatalf("fastTime refused %q, which time.Parse reads as %v", s, slow)
		}
	})
}

// allASCIIDigitsAt reports whether s is zero-padded digits in the shape of
// "2006-01-02" or "2006-01-02 15:04:05", the spellings fastTime must read.
func allASCIIDigitsAt(s string) bool {
	shape := "dddd-dd-dd dd:dd:dd"[:len(s)]
	for i := range len(s) {
		if (shape[i] == 'd') != (s[i] >= '0' && s[i] <= '9') || (shape[i] != 'd' && shape[i] != s[i]) {
			return false
		}
	}
	return true
}
