package sleepwait_test

import (
	"testing"

	"github.com/netbook/netbook/runner/analysis/internal/netcodetest"
	"github.com/netbook/netbook/runner/analysis/sleepwait"
)

func TestAnalyzer(t *testing.T) {
	netcodetest.Run(t, sleepwait.Analyzer, "a")
}
