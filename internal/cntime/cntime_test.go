package cntime

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatIgnoresHostZone(t *testing.T) {
	// 2021-07-07 09:10:48 UTC is 17:10:48 in Beijing, whatever time.Local is.
	utc := time.Date(2021, 7, 7, 9, 10, 48, 0, time.UTC)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	assert.Equal(t, "2021-07-07 17:10:48", Format(utc))
	assert.Equal(t, "2021-07-07 17:10:48", Format(utc.In(ny)))
	assert.Equal(t, "2021-07-07 17:10:48", string(AppendFormat(nil, utc.In(ny))))
	assert.Equal(t, "2021-07-07", FormatDate(utc))
	// 2021-07-07 20:00 UTC is already the 8th in Beijing.
	assert.Equal(t, "2021-07-08", FormatDate(time.Date(2021, 7, 7, 20, 0, 0, 0, time.UTC)))
}

func TestParseIsBeijing(t *testing.T) {
	got, err := Parse("2013-05-06 13:52:03")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2013, 5, 6, 5, 52, 3, 0, time.UTC), got.UTC())
	_, off := got.Zone()
	assert.Equal(t, 8*3600, off)
	d, err := ParseDate("2024-01-31")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 1, 30, 16, 0, 0, 0, time.UTC), d.UTC())
	_, err = Parse("2013/05/06 13:52:03")
	assert.Error(t, err)
}

func TestEpochStrings(t *testing.T) {
	ts := time.UnixMilli(1625649048115)
	assert.Equal(t, "1625649048115", UnixMilli(ts))
	assert.Equal(t, "1625649048", Unix(ts))
	assert.Equal(t, "2021-07-07 17:10:48", Format(FromMilli(1625649048115)))
	assert.Equal(t, 3*time.Second, Skew(ts, ts.Add(3*time.Second)))
	assert.Equal(t, 3*time.Second, Skew(ts.Add(3*time.Second), ts))
}
