package calltest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Two files' rows, added as test files add them.
var (
	table Table[int]
	_     = table.Add(Call[int]{Method: "A"}, Call[int]{Method: "B"})
	_     = table.Add(Call[int]{Method: "C"})
)

func TestTableKeepsTheRowsInOrder(t *testing.T) {
	t.Parallel()
	var methods []string
	for _, c := range table.Rows() {
		methods = append(methods, c.Method)
	}
	assert.Equal(t, []string{"A", "B", "C"}, methods)
}
