package grant

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestSecret(t *testing.T) {
	for name, want := range map[string]bool{"code": true, "refresh_token": true, "grant_type": false, "uuid": false, "Code": false, "": false} {
		assert.Equal(t, want, Secret(name), name)
	}
}

func TestExpiry(t *testing.T) {
	now := time.Date(2026, 1, 8, 2, 59, 29, 0, time.UTC)
	assert.Equal(t, time.Date(2026, 1, 9, 2, 59, 29, 0, time.UTC), Expiry(now, 86400))
	assert.True(t, Expiry(now, 0).IsZero(), "no lifetime given")
	assert.True(t, Expiry(now, -5).IsZero())
}

type result struct{ access, refresh string }

func (r *result) Token() *oauth2.Token {
	return &oauth2.Token{AccessToken: r.access, RefreshToken: r.refresh}
}

func TestRefresher(t *testing.T) {
	var sent []string
	refused := errors.New("refused")
	f := Refresher(func(_ context.Context, rt string) (*result, error) {
		sent = append(sent, rt)
		if rt == "bad" {
			return nil, refused
		}
		return &result{access: "a-" + rt, refresh: "r-" + rt}, nil
	})
	tok, err := f(context.Background(), "r1")
	require.NoError(t, err)
	assert.Equal(t, &oauth2.Token{AccessToken: "a-r1", RefreshToken: "r-r1"}, tok)
	tok, err = f(context.Background(), "bad")
	assert.Same(t, refused, err)
	assert.Nil(t, tok)
	assert.Equal(t, []string{"r1", "bad"}, sent)
}
