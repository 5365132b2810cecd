package connclose_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/netbook/netbook/runner/analysis/connclose"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), connclose.Analyzer, "a")
}
