package sharedwrite_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/netbook/netbook/runner/analysis/sharedwrite"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), sharedwrite.Analyzer, "a")
}
