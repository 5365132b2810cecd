package verify

import (
	"cmp"
	"slices"
	"testing"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Go runs a package's tests in the order of their files, then of their
// lines. A lab's tasks must come in that order too: when a later task's
// test runs first and hangs (or panics, which stops the test binary), the
// earlier tasks never run, and netbook check counts work that passes as
// not done.
func TestTasksRunInTaskOrder(t *testing.T) {
	all, err := labs.LoadAll(testkit.Tree(t))
	require.NoError(t, err)
	for _, l := range all {
		run := slices.Clone(l.Tasks)
		slices.SortStableFunc(run, func(a, b labs.Task) int {
			return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
		})
		var order []int
		for _, task := range run {
			order = append(order, task.Number)
		}
		assert.True(t, slices.IsSorted(order), "%s's tasks run in the order %v (Go runs test files in name order): "+
			"give the test files names that sort in task order, such as task01_parse_test.go", l.Name, order)
	}
}
