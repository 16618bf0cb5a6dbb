package storeonly_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/socmap/socmap/internal/lint/storeonly"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), storeonly.Analyzer,
		"github.com/socmap/socmap/lintcase/app", "github.com/socmap/socmap/internal/store")
}
