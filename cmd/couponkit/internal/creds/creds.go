// Package creds loads vendor credentials from environment variables or from a
// profile of the config file, and redacts their secret values from any text.
// Credentials are never taken from flags: flags show in ps.
package creds

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Source looks credentials up by the environment variable names of the
// examples (EBUY_GATEWAY, EBUY_APP_SECRET, ZVCMS_OPEN_KEY …).
type Source struct {
	// Profile is the profile's name, or "" for the environment.
	Profile string
	vals    map[string]string
	env     func(string) string
}

// DefaultConfigPath returns ~/.config/couponkit/profiles.json (or the
// platform's user config directory).
func DefaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "profiles.json"
	}
	return filepath.Join(dir, "couponkit", "profiles.json")
}

// Load returns the source for profile (from the config file at path; "" for
// DefaultConfigPath), or the environment when profile is "". The file is a
// JSON object of profiles, each an object of the same names as the
// environment variables:
//
//	{"shop-uat": {"EBUY_GATEWAY": "https://…", "EBUY_APP_ID": "…", "EBUY_APP_SECRET": "…", "EBUY_BRAND_ID": "4339"}}
func Load(profile, path string, env func(string) string) (*Source, error) {
	if env == nil {
		env = os.Getenv
	}
	s := &Source{Profile: profile, env: env}
	if profile == "" {
		return s, nil
	}
	if path == "" {
		path = DefaultConfigPath()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", profile, err)
	}
	var all map[string]map[string]string
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, fmt.Errorf("config %s: not a JSON object of profiles: %v", path, err)
	}
	p, ok := all[profile]
	if !ok {
		names := make([]string, 0, len(all))
		for n := range all {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("config %s: no profile %q (has %s)", path, profile, strings.Join(names, ", "))
	}
	s.vals = p
	return s, nil
}

// Get returns the value of name: the profile's when a profile is used, else
// the environment's.
func (s *Source) Get(name string) string {
	if s.vals != nil {
		return s.vals[name]
	}
	return s.env(name)
}

// Require returns the values of names, or an error naming the missing ones.
func (s *Source) Require(names ...string) ([]string, error) {
	out := make([]string, len(names))
	var missing []string
	for i, n := range names {
		out[i] = s.Get(n)
		if out[i] == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		where := "environment"
		if s.Profile != "" {
			where = "profile " + s.Profile
		}
		return nil, fmt.Errorf("missing credential(s) in the %s: %s", where, strings.Join(missing, ", "))
	}
	return out, nil
}

// IsSecret reports whether a variable name holds a secret (its value is
// redacted everywhere).
func IsSecret(name string) bool {
	n := strings.ToUpper(name)
	for _, w := range []string{"SECRET", "KEY", "TOKEN", "SESSION", "GRANT", "PASSWORD"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// Secrets returns the secret values among names.
func (s *Source) Secrets(names ...string) []string {
	var out []string
	for _, n := range names {
		if IsSecret(n) {
			if v := s.Get(n); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// Redactor replaces secret values in text.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// Add registers secrets to redact (empty and very short values are ignored).
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) >= 4 {
			r.secrets = append(r.secrets, s)
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// Redacted is what a secret is replaced with.
const Redacted = "[redacted]"

// String returns s with every secret replaced.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	return s
}

// Writer returns a writer that redacts every Write. Each Write is redacted on
// its own, so a secret must not be split across writes (fmt writes a whole
// line at once).
func (r *Redactor) Writer(w io.Writer) io.Writer { return &redactWriter{r: r, w: w} }

type redactWriter struct {
	r *Redactor
	w io.Writer
}

func (rw *redactWriter) Write(p []byte) (int, error) {
	s := rw.r.String(string(p))
	if _, err := io.WriteString(rw.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}
