package ids

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestShapes(t *testing.T) {
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{32}$`), Hex(16))
	assert.NotEqual(t, Hex(16), Hex(16))
	loc := time.FixedZone("CST", 8*3600)
	// 20:00 UTC on the 6th is the 7th in Beijing.
	got := DatedHex(time.Date(2021, 7, 6, 20, 0, 0, 0, time.UTC), loc)
	assert.Regexp(t, regexp.MustCompile(`^20210707-[0-9a-f]{32}$`), got)
	for i := 0; i < 100; i++ {
		assert.Positive(t, PositiveInt63())
	}
}
