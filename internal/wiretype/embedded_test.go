package wiretype

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type embeddedToken struct {
	AccessToken Text   `json:"access_token"`
	ExpiresIn   Int    `json:"expires_in"`
	ExpireTime  Millis `json:"expire_time"`
}

// The shape TOP prints: an object written as the text of a string, with
// escaped quotes (token_result of taobao.top.auth.token.create).
func TestEmbeddedReadsAStringHoldingJSON(t *testing.T) {
	var a struct {
		Result Embedded[embeddedToken] `json:"token_result"`
	}
	body := `{"token_result":"{\"expire_time\":1799377170000,\"access_token\":\"6201606e950601ZZ\",\"expires_in\":31525571}"}`
	require.NoError(t, json.Unmarshal([]byte(body), &a))
	assert.Equal(t, "6201606e950601ZZ", string(a.Result.V.AccessToken))
	assert.Equal(t, int64(31525571), int64(a.Result.V.ExpiresIn))
	assert.True(t, time.UnixMilli(1799377170000).Equal(time.Time(a.Result.V.ExpireTime)))

	var b struct {
		Result Embedded[embeddedToken] `json:"token_result"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"token_result":{"access_token":"x"}}`), &b), "an unquoted object is read too")
	assert.Equal(t, "x", string(b.Result.V.AccessToken))

	for _, empty := range []string{`null`, `""`} {
		var c struct {
			Result Embedded[embeddedToken] `json:"token_result"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"token_result":`+empty+`}`), &c), empty)
		assert.Empty(t, c.Result.V.AccessToken, empty)
	}
}

func TestEmbeddedRefusesAStringThatIsNotTheJSON(t *testing.T) {
	for _, body := range []string{`"not json"`, `"{\"access_token\":"`, `"[1,2]"`, `"{\"expire_time\":\"soon\"}"`} {
		var e Embedded[embeddedToken]
		assert.Error(t, json.Unmarshal([]byte(body), &e), body)
	}
}

func TestEmbeddedRoundTrips(t *testing.T) {
	in := Embedded[embeddedToken]{V: embeddedToken{AccessToken: "a\"b", ExpiresIn: 7}}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.Equal(t, `"{\"access_token\":\"a\\\"b\",\"expires_in\":7,\"expire_time\":0}"`, string(b))
	var out Embedded[embeddedToken]
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)
}
