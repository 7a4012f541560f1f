package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

// A tiny registry: the fictional vendor "fiction", whose package lists two
// calls, beside "other", which lists none yet.

type fictionClient struct{}

type DetailRequest struct{ CardID string }
type Detail struct{ Title string }
type RedeemRequest struct{ BizID string }
type Redemption struct{ Serial string }
type IssueRequest struct{ OrderNo string }
type Issue struct{ Codes []string }

func (fictionClient) GetCouponDetail(context.Context, *DetailRequest) (*Detail, error) {
	return nil, nil
}
func (fictionClient) WriteOffCoupon(context.Context, *RedeemRequest) (*Redemption, error) {
	return nil, nil
}
func (fictionClient) IssueCoupons(context.Context, *IssueRequest) (*Issue, error) { return nil, nil }

func fictionAPIs() []couponkit.API {
	return []couponkit.API{
		couponkit.NewAPI(fictionClient.WriteOffCoupon, couponkit.API{Vendor: "fiction", Operation: "writeOffCoupon", Class: couponkit.ClassKeyed, KeyName: "bizId", Summary: "redeems coupons"}),
		couponkit.NewAPI(fictionClient.GetCouponDetail, couponkit.API{Vendor: "fiction", Operation: "getCouponDetail", Class: couponkit.ClassRead, Summary: "one coupon by its code",
			Path: "/v3/coupon/getCouponDetail", Notes: "[likely]: params {userCouponCode}; what status numbers is [open]."}),
		couponkit.NewAPI(fictionClient.IssueCoupons, couponkit.API{Vendor: "fiction", Operation: "issueCouponsToCustomer", Class: couponkit.ClassUnsafe, KeyName: "orderNo", Summary: "issues coupons to a customer."}),
	}
}

const readmeIn = `# repo

## Typed calls

<!-- couponkit:apis calls fiction -->
| stale |
<!-- couponkit:end -->

<!-- couponkit:apis calls other -->
| other's hand-written table stays |
<!-- couponkit:end -->

The end.
`

const readmeOut = `# repo

## Typed calls

<!-- couponkit:apis calls fiction -->
| ` + "`fiction`" + ` call | vendor API | class | key | what it does |
|---|---|---|---|---|
| ` + "`WriteOffCoupon` | `writeOffCoupon` | keyed | `bizId` | redeems coupons |" + `
| ` + "`GetCouponDetail` | `getCouponDetail` | read |  | one coupon by its code |" + `
| ` + "`IssueCoupons` | `issueCouponsToCustomer` | unsafe | `orderNo` | issues coupons to a customer. |" + `
<!-- couponkit:end -->

<!-- couponkit:apis calls other -->
| other's hand-written table stays |
<!-- couponkit:end -->

The end.
`

const commandIn = `Single calls:

<!-- couponkit:apis commands fiction -->
<!-- couponkit:end -->
<!-- couponkit:apis commands other -->
- other: ` + "`by-hand`" + `
<!-- couponkit:end -->
`

const commandOut = `Single calls:

<!-- couponkit:apis commands fiction -->
- fiction: ` + "`get-coupon-detail` `issue-coupons` `write-off-coupon`" + `
<!-- couponkit:end -->
<!-- couponkit:apis commands other -->
- other: ` + "`by-hand`" + `
<!-- couponkit:end -->
`

const docIn = `// Package fiction is a client.
//
// # Calls
//
// Stale text.
//
// # Errors
//
// Errors are errors.
package fiction
`

const docOut = `// Package fiction is a client.
//
// # Calls
//
// The typed calls, as [APIs] lists them (go generate writes this section
// from it; the couponkit command runs each by its name):
//
//   - [Client.WriteOffCoupon] (writeOffCoupon, a keyed write on bizId): redeems coupons.
//   - [Client.GetCouponDetail] (getCouponDetail, a read): one coupon by its code.
//     Path /v3/coupon/getCouponDetail. [likely]: params {userCouponCode}; what status numbers is [open].
//   - [Client.IssueCoupons] (issueCouponsToCustomer, an unsafe write, key orderNo): issues coupons to a customer.
//
// # Errors
//
// Errors are errors.
package fiction
`

// repo writes a repository with the given files and returns its root.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	return root
}

func read(t *testing.T, root, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	require.NoError(t, err)
	return string(b)
}

func TestGenerateWritesEveryListOfAWiredVendor(t *testing.T) {
	t.Parallel()
	root := repo(t, map[string]string{readmeFile: readmeIn, commandFile: commandIn, "fiction/doc.go": docIn, "other/doc.go": docIn})
	regs := map[string][]couponkit.API{"fiction": fictionAPIs()}
	require.NoError(t, Generate(root, regs))
	assert.Equal(t, readmeOut, read(t, root, readmeFile))
	assert.Equal(t, commandOut, read(t, root, commandFile))
	assert.Equal(t, docOut, read(t, root, "fiction/doc.go"))
	assert.Equal(t, docIn, read(t, root, "other/doc.go"), "a vendor without a registry is left alone")

	// Generating again changes nothing: CI's diff check holds.
	require.NoError(t, Generate(root, regs))
	assert.Equal(t, readmeOut, read(t, root, readmeFile))
	assert.Equal(t, docOut, read(t, root, "fiction/doc.go"))
}

func TestGenerateDocSectionAtTheEndOfTheComment(t *testing.T) {
	t.Parallel()
	doc := "// Package fiction is a client.\n//\n// # Calls\npackage fiction\n"
	root := repo(t, map[string]string{readmeFile: readmeIn, commandFile: commandIn, "fiction/doc.go": doc})
	require.NoError(t, Generate(root, map[string][]couponkit.API{"fiction": fictionAPIs()[1:2]}))
	assert.Equal(t, "// Package fiction is a client.\n//\n// # Calls\n//\n// The typed calls, as [APIs] lists them (go generate writes this section\n// from it; the couponkit command runs each by its name):\n//\n//   - [Client.GetCouponDetail] (getCouponDetail, a read): one coupon by its code.\n//     Path /v3/coupon/getCouponDetail. [likely]: params {userCouponCode}; what status numbers is [open].\npackage fiction\n",
		read(t, root, "fiction/doc.go"))
}

func TestGenerateWithoutRegistriesChangesNothing(t *testing.T) {
	t.Parallel()
	root := repo(t, map[string]string{readmeFile: readmeIn, commandFile: commandIn})
	require.NoError(t, Generate(root, nil))
	assert.Equal(t, readmeIn, read(t, root, readmeFile))
	assert.Equal(t, commandIn, read(t, root, commandFile))
}

func TestGenerateRefuses(t *testing.T) {
	t.Parallel()
	regs := map[string][]couponkit.API{"fiction": fictionAPIs()}
	cases := []struct {
		name  string
		files map[string]string
		regs  map[string][]couponkit.API
		want  string
	}{
		{"a wired vendor without a block", map[string]string{readmeFile: "# repo\n", commandFile: commandIn, "fiction/doc.go": docIn}, regs,
			"README.md has no block for fiction: add the lines <!-- couponkit:apis calls fiction --> and <!-- couponkit:end -->"},
		{"a wired vendor without a doc section", map[string]string{readmeFile: readmeIn, commandFile: commandIn, "fiction/doc.go": "// Package fiction.\npackage fiction\n"}, regs,
			`fiction/doc.go has no "// # Calls" section`},
		{"a block without its end", map[string]string{readmeFile: "<!-- couponkit:apis calls fiction -->\n| x |\n", commandFile: commandIn, "fiction/doc.go": docIn}, regs,
			"README.md:1: the block of fiction has no <!-- couponkit:end -->"},
		{"a block of the other file's kind", map[string]string{readmeFile: readmeIn + "<!-- couponkit:apis commands fiction -->\n<!-- couponkit:end -->\n", commandFile: commandIn, "fiction/doc.go": docIn}, regs,
			`a block of kind "commands" here`},
		{"a registry that does not check", map[string]string{readmeFile: readmeIn, commandFile: commandIn, "fiction/doc.go": docIn},
			map[string][]couponkit.API{"fiction": {couponkit.NewAPI(fictionClient.GetCouponDetail, couponkit.API{Vendor: "fiction", Class: couponkit.ClassRead, Summary: "x"})}},
			"fiction's APIs: API 0 (fiction GetCouponDetail): no Operation"},
		{"an API of another vendor", map[string]string{readmeFile: readmeIn, commandFile: commandIn, "fiction/doc.go": docIn},
			map[string][]couponkit.API{"other": fictionAPIs()[:1]}, `other's APIs list other.WriteOffCoupon of vendor "fiction"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			root := repo(t, c.files)
			err := Generate(root, c.regs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// TestRepositoryIsGenerated runs the generator on copies of the
// repository's files with the registries main.go lists: they must come out
// unchanged, as CI's go generate and git diff check them.
func TestRepositoryIsGenerated(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	src := filepath.Join("..", "..", "..")
	names := []string{readmeFile, commandFile}
	for v := range registries {
		names = append(names, filepath.Join(v, "doc.go"))
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(src, n))
		require.NoError(t, err)
		files[n] = string(b)
	}
	root := repo(t, files)
	require.NoError(t, Generate(root, registries))
	for _, n := range names {
		assert.Equal(t, files[n], read(t, root, n), "%s is not as go generate writes it: run go generate ./...", n)
	}
}
