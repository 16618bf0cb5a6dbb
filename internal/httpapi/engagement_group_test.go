package httpapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// Every route about one engagement is registered in the engagement group,
// whose middleware resolves the engagement and checks the caller may open
// it. A route registered beside the group, with the full
// "/engagements/:id/…" path, would skip that check: this test reads the
// package's sources and fails on any such registration.
func TestEngagementRoutesAreRegisteredInTheirGroup(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	groups := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			for _, arg := range call.Args {
				lit, ok := arg.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				path, err := strconv.Unquote(lit.Value)
				if err != nil || !strings.HasPrefix(strings.TrimPrefix(path, "/api/v1"), "/engagements/:id") {
					continue
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Group" && path == "/engagements/:id" {
					groups++
					continue
				}
				t.Errorf("%s: %q is registered outside the engagement group (register it on the group with a path relative to /engagements/:id)", fset.Position(lit.Pos()), path)
			}
			return true
		})
	}
	if groups != 1 {
		t.Errorf("found %d engagement groups, want exactly one", groups)
	}
}

// The group's middleware resolves the engagement for everyone, not only
// auditors: every route of an engagement that does not exist is "not
// found" before its handler runs, whatever the body.
func TestEveryEngagementRouteResolvesItsEngagement(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	for _, r := range p.h.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/engagements/:id") {
			continue
		}
		path := strings.Replace(r.Path, ":id", "987654", 1)
		for _, param := range []string{":control", ":window", ":evidence", ":exception", ":sample", ":seq", ":cuec", ":org", ":review", ":ref", ":request", ":file", ":job", ":framework"} {
			path = strings.ReplaceAll(path, param, "1")
		}
		w := send(p.h, r.Method, path, "{}", p.admin.headers())
		if w.Code != 404 || !strings.Contains(w.Body.String(), "engagement 987654 not found") {
			t.Errorf("%s %s: %d %s, want 404 engagement not found", r.Method, r.Path, w.Code, w.Body)
		}
	}
}
