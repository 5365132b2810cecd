package sharedwrite_test

import (
	"testing"

	"github.com/netbook/netbook/runner/analysis/internal/netcodetest"
	"github.com/netbook/netbook/runner/analysis/sharedwrite"
)

func TestAnalyzer(t *testing.T) {
	netcodetest.Run(t, sharedwrite.Analyzer, "a")
}
