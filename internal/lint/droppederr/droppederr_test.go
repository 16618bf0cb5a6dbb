package droppederr_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/socmap/socmap/internal/lint/droppederr"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), droppederr.Analyzer,
		"github.com/socmap/socmap/lintcase/wrap", "github.com/socmap/socmap/lintcase/a")
}
