package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
)

// Credentials from --profile: a profiles file with one profile per vendor
// account; the environment is not read, and no secret is ever printed.
func TestProfileLoading(t *testing.T) {
	f, fenv := startFake(t, "ebuy", ebuySeed(5))
	zf, zenv := startFake(t, "zvcms", &fakeserve.Seed{Count: 1})
	codes := writeCodes(t, f, "")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "profiles.json")
	wrong := map[string]string{}
	for k, v := range fenv {
		wrong[k] = v
	}
	wrong["EBUY_APP_SECRET"] = "wrong-secret-9876543210"
	b, _ := json.Marshal(map[string]map[string]string{"shop-ebuy": fenv, "shop-zvcms": zenv, "shop-ebuy-wrong": wrong})
	os.WriteFile(cfg, b, 0o600)
	secrets := []string{fenv["EBUY_APP_SECRET"], zenv["ZVCMS_OPEN_KEY"], zenv["ZVCMS_GRANT_CODE"], wrong["EBUY_APP_SECRET"]}
	jp := filepath.Join(dir, "j.db")

	// Empty environment: every credential comes from the profile.
	r := run(t, nil, "ebuy", "activate", "--from", codes, "--journal", jp, "--profile", "shop-ebuy", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.out, "done 1") {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	runs := []result{r,
		run(t, nil, "zvcms", "get-customer-coupons", "--customer-id", zf.Seeded[1][0], "--profile", "shop-zvcms", "--config", cfg, "--json"),
		run(t, nil, "ebuy", "activate", "--from", codes, "--journal", jp, "--profile", "shop-ebuy-wrong", "--config", cfg),
		run(t, nil, "ebuy", "code-history", "--code", "x", "--profile", "nope", "--config", cfg),
		run(t, nil, "ebuy", "code-history", "--code", "x", "--profile", "shop-zvcms", "--config", cfg),
	}
	if runs[1].code != 0 {
		t.Errorf("zvcms profile: exit %d: %s %s", runs[1].code, runs[1].out, runs[1].err)
	}
	if runs[2].code == 0 {
		t.Errorf("a wrong secret succeeded: %s", runs[2].out)
	}
	if !strings.Contains(runs[3].err, `no profile "nope" (has shop-ebuy, shop-ebuy-wrong, shop-zvcms)`) {
		t.Errorf("unknown profile: %s", runs[3].err)
	}
	if !strings.Contains(runs[4].err, "missing credential(s) in the profile shop-zvcms: EBUY_GATEWAY, EBUY_APP_ID, EBUY_APP_SECRET") {
		t.Errorf("missing credentials: %s", runs[4].err)
	}
	for i, r := range runs {
		for _, s := range secrets {
			if strings.Contains(r.out+r.err, s) {
				t.Errorf("run %d printed a secret:\n%s\n%s", i, r.out, r.err)
			}
		}
	}
	raw, _ := os.ReadFile(jp)
	wal, _ := os.ReadFile(jp + "-wal")
	for _, s := range secrets {
		if strings.Contains(string(raw)+string(wal), s) {
			t.Errorf("the journal holds a secret")
		}
	}
}
