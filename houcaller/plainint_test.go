package houcaller

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit/internal/jsonx"
)

// TestPlainIntAgreesWithTheGeneralPath: the allocation-free reading of
// integers and times gives what the general path (jsonx.Flex, then parseInt
// or parseStamp) gives, and leaves to it every form it does not know.
func TestPlainIntAgreesWithTheGeneralPath(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`0`, `7`, `"7"`, `-12`, `"-12"`, `1623893916291`, `"1623893916291"`, `"007"`, `999999999999999999`} {
		n, ok := plainInt([]byte(in))
		assert.True(t, ok, in)
		want, err := strconv.ParseInt(unquote(in), 10, 64)
		assert.NoError(t, err)
		assert.Equal(t, want, n, in)
	}
	for _, in := range []string{`null`, `""`, `"-"`, `-`, `12.0`, `1e3`, `"1\u0032"`, `"2021-06-16 16:02:15"`, `1000000000000000000`, `true`, `"+1"`, `" 1"`} {
		_, ok := plainInt([]byte(in))
		assert.False(t, ok, in)
	}
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// FuzzIntAndStampForms compares flexInt and stamp on any JSON value with the
// general path alone.
func FuzzIntAndStampForms(f *testing.F) {
	for _, s := range []string{`0`, `"12"`, `12.0`, `null`, `""`, `1623893916291`, `"2021-06-16 16:02:15"`, `-5`, `"x"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		b := []byte(in)
		if !json.Valid(b) || len(bytes.TrimSpace(b)) != len(b) {
			return // encoding/json hands decoders only valid, trimmed values
		}
		var n flexInt
		errFast := n.UnmarshalJSON(b)
		var fl jsonx.Flex
		errFlex := fl.UnmarshalJSON(b)
		var want int64
		var errSlow error = errFlex
		if errFlex == nil {
			want, errSlow = parseInt(string(fl))
		}
		if (errFast == nil) != (errSlow == nil) || errFast == nil && int64(n) != want {
			t.Fatalf("flexInt(%s) = %d, %v; the general path gives %d, %v", in, n, errFast, want, errSlow)
		}
		var st stamp
		errFast = st.UnmarshalJSON(b)
		if errFlex == nil {
			var tm time.Time
			tm, errSlow = parseStamp(string(fl))
			if errFast == nil && errSlow == nil && !time.Time(st).Equal(tm) {
				t.Fatalf("stamp(%s) = %v; the general path gives %v", in, time.Time(st), tm)
			}
		}
		if (errFast == nil) != (errSlow == nil) {
			t.Fatalf("stamp(%s): error %v; the general path gives %v", in, errFast, errSlow)
		}
	})
}
