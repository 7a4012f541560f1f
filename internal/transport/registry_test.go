package transport

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit"
)

// registryClient is a fictional vendor's Client with two typed calls.
type registryClient struct{}

func (*registryClient) Detail(context.Context, *detailRequest) (*detailResult, error) {
	return nil, nil
}
func (*registryClient) Other(context.Context, *detailRequest) (*detailResult, error) { return nil, nil }

func TestRegistryKeepsTheOrderOfAdding(t *testing.T) {
	t.Parallel()
	var r Registry
	assert.Equal(t, struct{}{}, r.Add(Describe("fiction", opTypedRead, (*registryClient).Detail, "one detail")))
	r.Add(Describe("fiction", opTypedKeyed, (*registryClient).Other, "another"))
	apis := r.APIs()
	assert.Equal(t, []string{"Detail", "Other"}, []string{apis[0].Method, apis[1].Method})
	assert.Equal(t, []string{"detail", "redeem"}, []string{apis[0].Operation, apis[1].Operation})
	apis[0].Method = "Changed"
	assert.Equal(t, "Detail", r.APIs()[0].Method, "APIs returns a copy")
}

func TestRegistryRefusesAMethodAddedTwice(t *testing.T) {
	t.Parallel()
	var r Registry
	r.Add(Describe("fiction", opTypedRead, (*registryClient).Detail, "one detail"))
	assert.PanicsWithValue(t, "transport: fiction registers Detail twice", func() {
		r.Add(couponkit.API{Vendor: "fiction", Method: "Detail"})
	})
}
