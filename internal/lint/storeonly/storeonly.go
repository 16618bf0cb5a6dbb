// Package storeonly keeps SQL in internal/store: outside it (tests and
// migrations aside) a package may not import gorm.io/gorm or any of its
// sub-packages, nor hold a string literal that reads as SQL — one that
// starts with SELECT, INSERT INTO, UPDATE … SET, DELETE FROM or WITH … AS,
// or that has an upper-case FROM followed by a table name. Keywords are
// matched in upper case only, so prose ("select a file") is never taken
// for a query.
package storeonly

import (
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Analyzer reports GORM imports and SQL literals outside the store.
var Analyzer = &analysis.Analyzer{
	Name: "storeonly",
	Doc:  "reports gorm imports and SQL string literals outside internal/store",
	Run:  run,
}

const module = "github.com/socmap/socmap/"

var sqlText = regexp.MustCompile(`^\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|WITH\s+(RECURSIVE\s+)?\w+\s+AS\s*\()|\sFROM\s+[a-z_][a-z0-9_]*`)

func run(pass *analysis.Pass) (any, error) {
	if !checked(pass.Pkg.Path()) {
		return nil, nil
	}
	for _, f := range pass.Files {
		if strings.HasSuffix(pass.Fset.Position(f.Pos()).Filename, "_test.go") {
			continue
		}
		checkFile(pass, f)
	}
	return nil, nil
}

// checked says whether a package must be free of SQL: this module's
// packages other than the store (its migrations included) and the lint
// test data.
func checked(path string) bool {
	rel, ok := strings.CutPrefix(path, module)
	if !ok {
		return false
	}
	rel = strings.TrimSuffix(rel, "_test")
	return rel != "internal/store" && !strings.HasPrefix(rel, "internal/store/") && !strings.Contains(rel, "/testdata/")
}

func checkFile(pass *analysis.Pass, f *ast.File) {
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err == nil && (p == "gorm.io/gorm" || strings.HasPrefix(p, "gorm.io/gorm/")) {
			pass.Reportf(imp.Pos(), "%s is imported outside internal/store: call a store method instead", p)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err == nil && sqlText.MatchString(s) {
			pass.Reportf(lit.Pos(), "SQL outside internal/store: move the query into a store method")
		}
		return true
	})
}
