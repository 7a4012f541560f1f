package wire

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The published vector verifies.
func TestSignMatchesThePublishedVector(t *testing.T) {
	fields, err := Fields([]byte(publishedBody))
	require.NoError(t, err)
	ok, signed := Verify(fields, publishedKey)
	assert.True(t, signed)
	assert.True(t, ok)
}

// A signed text longer than the stack buffer, with an escaped string and a
// null field, is hashed as the plain text written out below.
func TestFieldsSignStreamsLongPayloads(t *testing.T) {
	pad := strings.Repeat("x", 600)
	body := `{"action":"x","content":{"pad":"` + pad + `"},"extra":null,"note":"a\"b","signType":"sha256","success":true,"uuid":"u1"}`
	fields, err := Fields([]byte(body))
	require.NoError(t, err)
	got, err := fieldsSign(fields, "K", nil)
	require.NoError(t, err)
	assert.Equal(t, sha256Hex(`action=x&content={"pad":"`+pad+`"}&note=a"b&signType=sha256&success=true&uuid=u1&K`), got)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
