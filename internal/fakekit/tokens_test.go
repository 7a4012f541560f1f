package fakekit

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var tokensAt = time.Date(2026, 1, 8, 2, 0, 0, 0, time.UTC)

func tokenNames(n int) (string, string) { return fmt.Sprintf("at%d", n), fmt.Sprintf("rt%d", n) }

// A code works once; codes and tokens share one counter for their names.
func TestTokensCodeWorksOnce(t *testing.T) {
	var tk Tokens
	code := tk.Code(func(n int) string { return fmt.Sprintf("code%d", n) })
	assert.Equal(t, "code1", code)
	access, refresh := tk.Issue(tokensAt, time.Hour, 2*time.Hour, tokenNames)
	assert.Equal(t, []string{"at2", "rt2"}, []string{access, refresh})
	assert.False(t, tk.Redeem(""), "no code")
	assert.False(t, tk.Redeem("code2"), "never made")
	assert.True(t, tk.Redeem(code))
	assert.False(t, tk.Redeem(code), "used")
	assert.Equal(t, TokenStats{Created: 1}, tk.Stats())
}

// A refresh token works once, before it expires.
func TestTokensRotateOnce(t *testing.T) {
	var tk Tokens
	assert.False(t, tk.Rotate("rt1", tokensAt), "before anything was issued")
	_, r1 := tk.Issue(tokensAt, time.Hour, 2*time.Hour, tokenNames)
	_, r2 := tk.Issue(tokensAt, time.Hour, 2*time.Hour, tokenNames)
	assert.True(t, tk.Rotate(r1, tokensAt.Add(2*time.Hour-time.Nanosecond)))
	assert.False(t, tk.Rotate(r1, tokensAt), "used")
	assert.False(t, tk.Rotate(r2, tokensAt.Add(2*time.Hour)), "expired at its expiry")
	assert.False(t, tk.Rotate("rt9", tokensAt), "unknown")
	assert.Equal(t, TokenStats{Refreshed: 1, RefreshRefused: 4}, tk.Stats())
}

// An access token is needed once the fake has a static one or issued one;
// it must be the static one, or an issued one before its expiry.
func TestTokensCheck(t *testing.T) {
	var tk Tokens
	assert.Equal(t, TokenAccepted, tk.Check("", "", tokensAt), "nothing issued, no static token")
	assert.Equal(t, TokenAccepted, tk.Check("any", "", tokensAt))
	assert.Equal(t, TokenMissing, tk.Check("", "static", tokensAt))
	assert.Equal(t, TokenAccepted, tk.Check("static", "static", tokensAt))
	assert.Equal(t, TokenUnknown, tk.Check("other", "static", tokensAt))
	assert.Equal(t, TokenStats{}, tk.Stats(), "the static token is not counted")

	access, refresh := tk.Issue(tokensAt, time.Hour, 2*time.Hour, tokenNames)
	assert.Equal(t, TokenMissing, tk.Check("", "", tokensAt))
	assert.Equal(t, TokenUnknown, tk.Check(refresh, "", tokensAt), "a refresh token is no access token")
	assert.Equal(t, TokenAccepted, tk.Check(access, "", tokensAt.Add(time.Hour-time.Nanosecond)))
	assert.Equal(t, TokenExpired, tk.Check(access, "", tokensAt.Add(time.Hour)))
	assert.Equal(t, TokenAccepted, tk.Check("static", "static", tokensAt.Add(time.Hour)))
	assert.Equal(t, TokenStats{Accepted: 1, Expired: 1}, tk.Stats())
}

// Concurrent refreshes of one refresh token: exactly one wins.
func TestTokensRotateRace(t *testing.T) {
	var tk Tokens
	_, refresh := tk.Issue(tokensAt, time.Hour, time.Hour, tokenNames)
	var wg sync.WaitGroup
	won := make(chan bool, 16)
	for range 16 {
		wg.Go(func() { won <- tk.Rotate(refresh, tokensAt) })
	}
	wg.Wait()
	close(won)
	n := 0
	for w := range won {
		if w {
			n++
		}
	}
	require.Equal(t, 1, n)
	assert.Equal(t, TokenStats{Refreshed: 1, RefreshRefused: 15}, tk.Stats())
}
