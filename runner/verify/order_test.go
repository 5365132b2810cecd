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

// tasksOutOfOrder are the labs whose TestTaskN functions do not yet run in
// the order of their numbers. Take a lab off the list once its test files
// sort in task order.
var tasksOutOfOrder = map[string]bool{
	"03-hello-server": true,
}

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
		inOrder := slices.IsSorted(order)
		if tasksOutOfOrder[l.Name] {
			assert.False(t, inOrder, "%s's tasks now run in order: take it off tasksOutOfOrder", l.Name)
			continue
		}
		assert.True(t, inOrder, "%s's tasks run in the order %v (Go runs test files in name order): "+
			"give the test files names that sort in task order, such as task01_parse_test.go", l.Name, order)
	}
}
