package droppederr_test

import (
	"testing"

	"github.com/netbook/netbook/runner/analysis/droppederr"
	"github.com/netbook/netbook/runner/analysis/internal/netcodetest"
)

func TestAnalyzer(t *testing.T) {
	netcodetest.Run(t, droppederr.Analyzer, "a")
}
