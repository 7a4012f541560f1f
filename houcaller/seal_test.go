package houcaller

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHexLen: seal reserves exactly the room of the ciphertext's hex.
func TestHexLen(t *testing.T) {
	t.Parallel()
	for _, pad := range []Padding{PKCS5, ZeroPadding} {
		c, err := NewClient(Config{Gateway: TestGateway, Channel: "c", DESKey: "12345678", Padding: pad})
		require.NoError(t, err)
		for n := 0; n < 40; n++ {
			assert.Equal(t, len(c.cipher.EncryptHex(make([]byte, n))), c.hexLen(n), "padding %v, %d bytes", pad, n)
		}
	}
}
