package droppederr_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/netbook/netbook/runner/analysis/droppederr"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), droppederr.Analyzer, "a")
}
