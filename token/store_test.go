package token

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestFileStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "top.json")
	fs := NewFileStore(path)
	_, err := fs.Load(context.Background())
	assert.ErrorIs(t, err, ErrNoToken, "no file yet")

	exp := time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)
	require.NoError(t, fs.Save(context.Background(), &oauth2.Token{AccessToken: "a1", TokenType: "Bearer", RefreshToken: "r1", Expiry: exp}))
	require.NoError(t, fs.Save(context.Background(), &oauth2.Token{AccessToken: "a2", TokenType: "Bearer", RefreshToken: "r2", Expiry: exp.Add(time.Hour)}))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.JSONEq(t, `{"access_token":"a2","token_type":"Bearer","refresh_token":"r2","expiry":"2026-12-06T12:00:00Z"}`, string(b))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left beside it")

	tok, err := NewFileStore(path).Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "a2", tok.AccessToken)
	assert.Equal(t, "r2", tok.RefreshToken)
	assert.True(t, tok.Expiry.Equal(exp.Add(time.Hour)))

	require.NoError(t, os.WriteFile(path, []byte(`{"access_token":"s3cret-acc`), 0o600))
	_, err = fs.Load(context.Background())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cret", "the file's text is not quoted")

	bad := NewFileStore(filepath.Join(dir, "missing-dir", "t.json"))
	assert.Error(t, bad.Save(context.Background(), &oauth2.Token{AccessToken: "x"}))
}

// An existing file with a looser mode is replaced by one with mode 0600.
func TestFileStoreTightensTheMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.json")
	require.NoError(t, os.WriteFile(path, []byte(`{}`), 0o644))
	require.NoError(t, NewFileStore(path).Save(context.Background(), &oauth2.Token{AccessToken: "a"}))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}

func TestMemoryStoreKeepsACopy(t *testing.T) {
	var m MemoryStore
	tok := &oauth2.Token{AccessToken: "a"}
	require.NoError(t, m.Save(context.Background(), tok))
	tok.AccessToken = "changed"
	got, err := m.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "a", got.AccessToken)
}
