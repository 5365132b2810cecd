package connclose_test

import (
	"testing"

	"github.com/netbook/netbook/runner/analysis/connclose"
	"github.com/netbook/netbook/runner/analysis/internal/netcodetest"
)

func TestAnalyzer(t *testing.T) {
	netcodetest.Run(t, connclose.Analyzer, "a")
}
