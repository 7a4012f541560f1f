package wiretype

import (
	"errors"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/internal/cntime"
)

// The time types differ only in how they are written; each reads every
// spelling ParseTime knows. The zero time.Time is written as the empty
// value of its form ("" or 0) and read back from it, so an optional time
// round-trips; use the omitzero option to leave it out instead.

// Time is an instant written in Beijing time as "yyyy-MM-dd HH:mm:ss".
type Time time.Time

// CompactTime is an instant written in Beijing time as "yyyyMMddHHmmss".
type CompactTime time.Time

// Millis is an instant written as a JSON number of milliseconds since the
// epoch (13 digits today).
type Millis time.Time

// Unix is an instant written as a JSON number of seconds since the epoch
// (10 digits today); a fraction of a second is dropped.
type Unix time.Time

// compactLayout is the yyyyMMddHHmmss layout.
const compactLayout = "20060102150405"

// IsZero reports whether t is the zero time, for the omitzero option.
func (t Time) IsZero() bool { return time.Time(t).IsZero() }

// IsZero reports whether t is the zero time, for the omitzero option.
func (t CompactTime) IsZero() bool { return time.Time(t).IsZero() }

// IsZero reports whether t is the zero time, for the omitzero option.
func (t Millis) IsZero() bool { return time.Time(t).IsZero() }

// IsZero reports whether t is the zero time, for the omitzero option.
func (t Unix) IsZero() bool { return time.Time(t).IsZero() }

// AppendText appends t as yyyy-MM-dd HH:mm:ss in Beijing time; the zero
// time appends nothing. A year outside 0000–9999 is an error.
func (t Time) AppendText(b []byte) ([]byte, error) {
	return appendLayout(b, time.Time(t), cntime.Layout)
}

// MarshalText returns t as AppendText writes it.
func (t Time) MarshalText() ([]byte, error) { return t.AppendText(nil) }

// MarshalJSON writes t as a JSON string, such as "2026-12-01 10:00:00".
func (t Time) MarshalJSON() ([]byte, error) { return quoted(t.AppendText) }

// UnmarshalJSON reads any spelling ParseTime knows; null leaves t as it is.
func (t *Time) UnmarshalJSON(b []byte) error { return timeJSON(b, (*time.Time)(t)) }

// UnmarshalText reads any spelling ParseTime knows.
func (t *Time) UnmarshalText(b []byte) error { return timeText(b, (*time.Time)(t)) }

// AppendText appends t as yyyyMMddHHmmss in Beijing time; the zero time
// appends nothing. A year outside 0000–9999 is an error.
func (t CompactTime) AppendText(b []byte) ([]byte, error) {
	return appendLayout(b, time.Time(t), compactLayout)
}

// MarshalText returns t as AppendText writes it.
func (t CompactTime) MarshalText() ([]byte, error) { return t.AppendText(nil) }

// MarshalJSON writes t as a JSON string, such as "20261201100000".
func (t CompactTime) MarshalJSON() ([]byte, error) { return quoted(t.AppendText) }

// UnmarshalJSON reads any spelling ParseTime knows; null leaves t as it is.
func (t *CompactTime) UnmarshalJSON(b []byte) error { return timeJSON(b, (*time.Time)(t)) }

// UnmarshalText reads any spelling ParseTime knows.
func (t *CompactTime) UnmarshalText(b []byte) error { return timeText(b, (*time.Time)(t)) }

// AppendText appends t in milliseconds since the epoch; the zero time is 0.
func (t Millis) AppendText(b []byte) ([]byte, error) {
	if time.Time(t).IsZero() {
		return append(b, '0'), nil
	}
	return strconv.AppendInt(b, time.Time(t).UnixMilli(), 10), nil
}

// MarshalText returns t as AppendText writes it.
func (t Millis) MarshalText() ([]byte, error) { return t.AppendText(nil) }

// MarshalJSON writes t as a JSON number of milliseconds.
func (t Millis) MarshalJSON() ([]byte, error) { return t.AppendText(nil) }

// UnmarshalJSON reads any spelling ParseTime knows (a number of 13 digits
// as milliseconds, 10 as seconds); 0 and null read as the zero time.
func (t *Millis) UnmarshalJSON(b []byte) error { return timeJSON(b, (*time.Time)(t)) }

// UnmarshalText reads any spelling ParseTime knows.
func (t *Millis) UnmarshalText(b []byte) error { return timeText(b, (*time.Time)(t)) }

// AppendText appends t in whole seconds since the epoch; the zero time is 0.
func (t Unix) AppendText(b []byte) ([]byte, error) {
	if time.Time(t).IsZero() {
		return append(b, '0'), nil
	}
	return strconv.AppendInt(b, time.Time(t).Unix(), 10), nil
}

// MarshalText returns t as AppendText writes it.
func (t Unix) MarshalText() ([]byte, error) { return t.AppendText(nil) }

// MarshalJSON writes t as a JSON number of seconds.
func (t Unix) MarshalJSON() ([]byte, error) { return t.AppendText(nil) }

// UnmarshalJSON reads any spelling ParseTime knows; 0 and null read as the
// zero time.
func (t *Unix) UnmarshalJSON(b []byte) error { return timeJSON(b, (*time.Time)(t)) }

// UnmarshalText reads any spelling ParseTime knows.
func (t *Unix) UnmarshalText(b []byte) error { return timeText(b, (*time.Time)(t)) }

func appendLayout(b []byte, t time.Time, layout string) ([]byte, error) {
	if t.IsZero() {
		return b, nil
	}
	t = t.In(cntime.Location())
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return nil, errors.New("year " + strconv.Itoa(y) + " cannot be written as " + layout + " (0000–9999 in Beijing time)")
	}
	if layout == cntime.Layout || layout == compactLayout {
		// The layouts of Time and CompactTime, written without parsing the
		// layout (most of AppendFormat's time).
		seps := "-- ::"
		if layout == compactLayout {
			seps = ""
		}
		h, mi, sec := t.Clock()
		b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
		for i, n := range [5]int{int(mo), d, h, mi, sec} {
			if seps != "" {
				b = append(b, seps[i])
			}
			b = append(b, byte('0'+n/10), byte('0'+n%10))
		}
		return b, nil
	}
	return t.AppendFormat(b, layout), nil
}

func quoted(appendText func([]byte) ([]byte, error)) ([]byte, error) {
	b := make([]byte, 1, 24)
	b[0] = '"'
	b, err := appendText(b)
	if err != nil {
		return nil, err
	}
	return append(b, '"'), nil
}

func timeJSON(b []byte, t *time.Time) error {
	text, _, null, err := scalar(b)
	if err != nil || null {
		return err
	}
	return timeText(text, t)
}

func timeText(b []byte, t *time.Time) error {
	v, err := ParseTime(b)
	if err == nil {
		*t = v
	}
	return err
}

// ParseTime reads a vendor time in Beijing time (UTC+8), in every spelling
// the vendors print:
//
//   - "yyyy-MM-dd HH:mm:ss", with or without zero padding ("2019-10-15
//     17:10:2", zvcms's own example) and with a fraction of a second
//     ("…17:10:02.0", as Java prints a Timestamp);
//   - "yyyy-MM-dd" (midnight);
//   - "yyyyMMddHHmmss" (14 digits) and "yyyyMMdd" (8 digits);
//   - epoch milliseconds (13 digits) and epoch seconds (10 digits);
//   - "" and 0: the zero time.
//
// Anything else is an error. The digits' count decides: 14 and 8 are
// layouts, 13 and 10 are epochs, so no spelling is read as another.
func ParseTime(b []byte) (time.Time, error) {
	switch {
	case len(b) == 0 || (len(b) == 1 && b[0] == '0'):
		return time.Time{}, nil
	case allDigits(b):
		return digitTime(b)
	}
	if t, ok := fastTime(b); ok {
		return t, nil
	}
	return layoutTime(b)
}

// layoutTime reads "yyyy-MM-dd HH:mm:ss" and "yyyy-MM-dd", with or without
// zero padding and with a fraction of a second, through time.Parse.
func layoutTime(b []byte) (time.Time, error) {
	s := string(b)
	layout := "2006-1-2 15:4:5"
	if len(s) <= len("2006-01-02") {
		layout = "2006-1-2"
	}
	t, err := time.ParseInLocation(layout, s, cntime.Location())
	if err != nil {
		return time.Time{}, errors.New("not a time: " + quote(b))
	}
	return t, nil
}

func digitTime(b []byte) (time.Time, error) {
	switch len(b) {
	case 13, 10:
		n, _ := parseInt(b)
		if len(b) == 10 {
			return time.Unix(n, 0).In(cntime.Location()), nil
		}
		return cntime.FromMilli(n), nil
	case 14, 8:
		layout := compactLayout
		if len(b) == 8 {
			layout = "20060102"
		}
		if t, err := time.ParseInLocation(layout, string(b), cntime.Location()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a time: " + quote(b))
}

// fastTime reads the usual zero-padded "yyyy-MM-dd HH:mm:ss" and
// "yyyy-MM-dd" without allocating, checking the ranges time.Parse checks;
// anything else is left to layoutTime (a differential fuzz test holds the
// two to the same readings).
func fastTime(b []byte) (time.Time, bool) {
	n := 3 // fields: year, month, day, and hour, minute, second for a time
	switch {
	case len(b) == len(cntime.Layout) && b[10] == ' ' && b[13] == ':' && b[16] == ':':
		n = 6
	case len(b) == len("2006-01-02"):
	default:
		return time.Time{}, false
	}
	if b[4] != '-' || b[7] != '-' {
		return time.Time{}, false
	}
	var v [6]int
	for k, at := range fieldStarts[:n] {
		w := 2
		if k == 0 {
			w = 4
		}
		for _, c := range b[at : at+w] {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			v[k] = v[k]*10 + int(c-'0')
		}
	}
	y, mo, d := v[0], time.Month(v[1]), v[2]
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || v[3] > 23 || v[4] > 59 || v[5] > 59 {
		return time.Time{}, false
	}
	return time.Date(y, mo, d, v[3], v[4], v[5], 0, cntime.Location()), true
}

// fieldStarts are where the fields of "yyyy-MM-dd HH:mm:ss" start.
var fieldStarts = [...]int{0, 5, 8, 11, 14, 17}

// daysIn returns the number of days of month m in year y (proleptic
// Gregorian, as time.Parse counts them).
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
