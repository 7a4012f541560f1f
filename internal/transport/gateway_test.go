package transport

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

func TestGateway(t *testing.T) {
	got, err := Gateway("", "https://vendor.test/api", "https://vendor.test/api")
	require.NoError(t, err)
	assert.Equal(t, "https://vendor.test/api", got)
	got, err = Gateway("http://127.0.0.1:8080/openapi/v1/", "", "x")
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080/openapi/v1", got)
	for _, bad := range []string{"", "vendor.test/api", "ftp://vendor.test", "https://", "http://h/p?x=1", "http://h/p#f", "http://h\x7f"} {
		_, err := Gateway(bad, "", "https://example.test")
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, "%q", bad)
		assert.Equal(t, "Gateway", ve.Field)
		assert.Contains(t, ve.Reason, "https://example.test")
	}
}
