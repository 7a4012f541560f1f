// Package cntime formats and parses the Beijing-time (UTC+8) values the vendors
// use, without depending on time.Local.
package cntime

import (
	"strconv"
	"time"
)

// Layout is the vendors' "yyyy-MM-dd HH:mm:ss" layout.
const Layout = "2006-01-02 15:04:05"

// DateLayout is the vendors' "yyyy-MM-dd" layout.
const DateLayout = "2006-01-02"

var beijing = time.FixedZone("CST", 8*60*60)

// Location returns the fixed UTC+8 zone (China has no daylight saving time).
func Location() *time.Location { return beijing }

// Format returns t in Beijing time as "yyyy-MM-dd HH:mm:ss".
func Format(t time.Time) string { return t.In(beijing).Format(Layout) }

// AppendFormat appends t in Beijing time as "yyyy-MM-dd HH:mm:ss" to dst.
func AppendFormat(dst []byte, t time.Time) []byte { return t.In(beijing).AppendFormat(dst, Layout) }

// Parse reads "yyyy-MM-dd HH:mm:ss" as Beijing time.
func Parse(s string) (time.Time, error) { return time.ParseInLocation(Layout, s, beijing) }

// ParseDate reads "yyyy-MM-dd" as midnight Beijing time.
func ParseDate(s string) (time.Time, error) { return time.ParseInLocation(DateLayout, s, beijing) }

// FormatDate returns t's Beijing calendar date as "yyyy-MM-dd".
func FormatDate(t time.Time) string { return t.In(beijing).Format(DateLayout) }

// UnixMilli returns t as decimal milliseconds since the epoch (13 digits today).
func UnixMilli(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// Unix returns t as decimal seconds since the epoch (10 digits today).
func Unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// FromMilli returns the instant of ms milliseconds since the epoch, in Beijing time.
func FromMilli(ms int64) time.Time { return time.UnixMilli(ms).In(beijing) }

// Skew returns the absolute difference between a and b.
func Skew(a, b time.Time) time.Duration {
	d := a.Sub(b)
	if d < 0 {
		return -d
	}
	return d
}
