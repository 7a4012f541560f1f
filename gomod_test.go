package couponkit_test

import (
	"os"
	"strings"
	"testing"
)

// The SDK's go.mod lists only what the SDK needs: SQLite, Redis,
// PostgreSQL and OpenTelemetry belong to the modules that use them
// (cmd/couponkit, redis, postgres, otel), not to every program that imports
// a vendor package.
func TestGoModHasNoHeavyDependency(t *testing.T) {
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	heavy := []string{"modernc.org/", "github.com/redis/", "github.com/jackc/", "go.opentelemetry.io/"}
	required := 0
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) < 2 || !strings.Contains(f[0], ".") || !strings.HasPrefix(f[1], "v") {
			continue
		}
		required++
		for _, h := range heavy {
			if strings.HasPrefix(f[0], h) {
				t.Errorf("go.mod requires %s: it belongs to the module that uses it", f[0])
			}
		}
	}
	if required == 0 {
		t.Fatal("no requirement read from go.mod")
	}
}
