package wiretype

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestAppendLayoutMatchesAppendFormat holds the two layouts Time and
// CompactTime write without parsing them to time.AppendFormat, in Beijing
// time, over the years they can write.
func TestAppendLayoutMatchesAppendFormat(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	lo, hi := time.Date(0, 1, 1, 0, 0, 0, 0, beijing).Unix(), time.Date(9999, 12, 31, 23, 59, 59, 0, beijing).Unix()
	times := []time.Time{time.Unix(lo, 0), time.Unix(hi, 999999999), time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC),
		time.Date(999, 1, 2, 3, 4, 5, 0, beijing), time.Date(2026, 12, 1, 2, 3, 4, 5e8, time.FixedZone("EST", -5*3600))}
	for range 10000 {
		times = append(times, time.Unix(lo+rng.Int64N(hi-lo+1), rng.Int64N(1e9)))
	}
	for _, at := range times {
		for _, layout := range []string{"2006-01-02 15:04:05", "20060102150405"} {
			got, err := appendLayout([]byte("x"), at, layout)
			if want := at.In(beijing).AppendFormat([]byte("x"), layout); err != nil || string(got) != string(want) {
				t.Fatalf("%v in %s: %q (%v), want %q", at, layout, got, err, want)
			}
		}
	}
}
