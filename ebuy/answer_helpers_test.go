package ebuy_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// pageBody is an answer written by hand from a page's field table: pairs are
// keys and raw JSON values, written in the order given, followed by a sign
// computed with pageSign, a signer of the tests' own (not the package's).
func pageBody(t testing.TB, secret string, pairs ...string) []byte {
	t.Helper()
	require.Zero(t, len(pairs)%2, "pairs are keys and values")
	var b strings.Builder
	b.WriteByte('{')
	var signed [][2]string
	for i := 0; i < len(pairs); i += 2 {
		k, v := pairs[i], pairs[i+1]
		require.True(t, json.Valid([]byte(v)), "%s: %s is not JSON", k, v)
		b.WriteString(strconv.Quote(k) + ":" + v + ",")
		if v == "null" {
			continue
		}
		if v[0] == '"' {
			var s string
			require.NoError(t, json.Unmarshal([]byte(v), &s))
			v = s
		}
		signed = append(signed, [2]string{k, v})
	}
	b.WriteString(`"sign":"` + pageSign(signed, secret) + `"}`)
	return []byte(b.String())
}

// pageSign is e-Buy's sign as its page 57aee states it: the pairs sorted by
// key, joined as k=v with '&', then '&' and the secret, SHA-256, lowercase hex.
func pageSign(pairs [][2]string, secret string) string {
	sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
	var b strings.Builder
	for _, p := range pairs {
		b.WriteString(p[0] + "=" + p[1] + "&")
	}
	sum := sha256.Sum256([]byte(b.String() + secret))
	return hex.EncodeToString(sum[:])
}

// TestPageSignMatchesThePublishedVector checks pageSign against e-Buy's own
// vector (page 57aee, reproduced with sha256sum; see PROTOCOLS.md).
func TestPageSignMatchesThePublishedVector(t *testing.T) {
	t.Parallel()
	got := pageSign([][2]string{
		{"uuid", "20210707-cd28bed6332846979cf012223c981a14"}, {"timestamp", "1625649048115"}, {"signType", "sha256"},
		{"lang", "zh_CN"}, {"content", `{"outTradeNo":"202107071625649048080","refundTradeNo":"202107071625649048080"}`},
		{"appId", "ebuyde43082858d1"}, {"action", "refund"},
	}, "D6954F665B12A4318DF2DE43082858DE")
	require.Equal(t, "cefb7347b73b2793a6d4a99993480500bd74752e7b983acedb9515166e22d271", got)
}

// envelopeSuccess is a success answer to the request req in the envelope
// the pages of e-Buy's calls print (success, errorMessage, action,
// errorCode, signType, uuid, content, timestamp, sign), with content as
// given (raw JSON), or without content when it is "".
func envelopeSuccess(t testing.TB, req []byte, content string) []byte {
	t.Helper()
	pairs := []string{"success", "true", "errorMessage", `""`, "action", strconv.Quote(field(t, req, "action")),
		"errorCode", `""`, "signType", `"sha256"`, "uuid", strconv.Quote(field(t, req, "uuid"))}
	if content != "" {
		pairs = append(pairs, "content", content)
	}
	return pageBody(t, vecKey, append(pairs, "timestamp", "1715911200456")...)
}
