package token

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/oauth2"
)

// MemoryStore is a [Store] in this process's memory: a token saved there
// lives as long as the process. Its zero value is empty and ready to use.
type MemoryStore struct {
	mu  sync.Mutex
	tok *oauth2.Token
}

// Load implements [Store].
func (m *MemoryStore) Load(context.Context) (*oauth2.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil {
		return nil, ErrNoToken
	}
	return clone(m.tok), nil
}

// Save implements [Store].
func (m *MemoryStore) Save(_ context.Context, tok *oauth2.Token) error {
	m.mu.Lock()
	m.tok = clone(tok)
	m.mu.Unlock()
	return nil
}

// FileStore is a [Store] in one JSON file: oauth2.Token's own encoding
// (access_token, token_type, refresh_token, expiry in RFC 3339). A save
// writes a new file beside it (mode 0600) and renames it over the old one,
// so a crash leaves either the old token or the new one, never half of
// either; a reader in another process sees one of them too. FileStore has
// no lock: processes sharing a file should refresh under a [Locker] (or let
// one process refresh). It is safe for concurrent use.
type FileStore struct {
	path string
	mu   sync.Mutex // one save at a time from this process
}

// NewFileStore returns the store of the file at path. The file need not
// exist; its directory must.
func NewFileStore(path string) *FileStore { return &FileStore{path: path} }

// Path returns the file's path.
func (f *FileStore) Path() string { return f.path }

// Load implements [Store]: ErrNoToken when the file does not exist.
func (f *FileStore) Load(context.Context) (*oauth2.Token, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoToken
	}
	if err != nil {
		return nil, err
	}
	var tok oauth2.Token
	if err := json.Unmarshal(b, &tok); err != nil {
		// The file's text is not quoted: it holds the tokens.
		return nil, fmt.Errorf("couponkit/token: %s does not hold a token (%d bytes of JSON expected)", f.path, len(b))
	}
	return &tok, nil
}

// Save implements [Store]: a new file with mode 0600 in the same directory,
// flushed to disk, then renamed over the old one.
func (f *FileStore) Save(_ context.Context, tok *oauth2.Token) error {
	b, err := json.Marshal(tok)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	dir, base := filepath.Split(f.path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp") // mode 0600
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return err
	}
	done = true
	if d, err := os.Open(dir); err == nil { // the rename itself, on disk
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// clone returns a copy of tok without its extra fields (what a store
// keeps), or nil.
func clone(tok *oauth2.Token) *oauth2.Token {
	if tok == nil {
		return nil
	}
	return &oauth2.Token{AccessToken: tok.AccessToken, TokenType: tok.TokenType, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry, ExpiresIn: tok.ExpiresIn}
}
