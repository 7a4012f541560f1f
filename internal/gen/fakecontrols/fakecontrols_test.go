package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// root is the repository's root, from this package's directory.
var root = filepath.Join("..", "..", "..")

func TestGenerateForAFake(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	controls, err := os.ReadFile(filepath.Join(root, controlsFile))
	require.NoError(t, err)
	write := func(name, text string) {
		p := filepath.Join(tmp, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	write(controlsFile, string(controls))
	// A fake that declares its own Close, and a package that embeds nothing.
	write("fiction/fictiontest/server.go", `package fictiontest

import kit "github.com/couponkit/couponkit/couponkittest"

type Server struct {
	*kit.Controls
	n int
}

func (s *Server) Close() { s.Controls.Close() }
`)
	write("other/other.go", "package other\n\ntype Server struct{ n int }\n")
	require.NoError(t, Generate(tmp))

	b, err := os.ReadFile(filepath.Join(tmp, "fiction/fictiontest", genFile))
	require.NoError(t, err)
	got := string(b)
	assert.True(t, strings.HasPrefix(got, header+"package fictiontest\n"))
	assert.Contains(t, got, "func (s *Server) ClientOption() couponkit.Option { return s.Controls.ClientOption() }")
	assert.Contains(t, got, "func (s *Server) Inject(f ...couponkittest.Fault) { s.Controls.Inject(f...) }")
	assert.Contains(t, got, "func (s *Server) WaitRequests(ctx context.Context, n int) error {\n\treturn s.Controls.WaitRequests(ctx, n)\n}")
	assert.Contains(t, got, "(see [couponkittest.HandlerTransport])", "doc links name couponkittest")
	assert.NotContains(t, got, "func (s *Server) Close()", "the fake's own method is not declared again")
	assert.NotContains(t, got, "serveInProcess", "unexported methods stay unexported")
	_, err = os.Stat(filepath.Join(tmp, "other", genFile))
	assert.True(t, os.IsNotExist(err))

	// Again: the same bytes (and the file is not rewritten).
	info, err := os.Stat(filepath.Join(tmp, "fiction/fictiontest", genFile))
	require.NoError(t, err)
	require.NoError(t, Generate(tmp))
	again, err := os.Stat(filepath.Join(tmp, "fiction/fictiontest", genFile))
	require.NoError(t, err)
	assert.Equal(t, info.ModTime(), again.ModTime())
}

// TestFakesAreGenerated: the committed controls_gen.go of every fake is what
// the generator writes, as CI's go generate and git diff check.
func TestFakesAreGenerated(t *testing.T) {
	t.Parallel()
	methods, imports, err := controlsMethods(filepath.Join(root, controlsFile))
	require.NoError(t, err)
	n := 0
	for _, dir := range []string{"ebuy/ebuytest", "zvcms/zvcmstest", "taobaofilm/taobaofilmtest", "houcaller/houcallertest", "suning/suningtest"} {
		pkg, own, embeds, err := fakePackage(filepath.Join(root, dir))
		require.NoError(t, err)
		require.True(t, embeds, "%s's Server embeds *couponkittest.Controls", dir)
		want, err := render(pkg, methods, own, imports)
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(root, dir, genFile))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%s/%s is stale: run go generate ./...", dir, genFile)
		n++
	}
	assert.Equal(t, 5, n)
}
