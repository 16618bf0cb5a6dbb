// Package droppederr reports errors that are thrown away where throwing
// them away hides a real failure: a GORM call whose result (and so its
// .Error) is never looked at, and an error from parsing or from JSON that
// is assigned to the blank identifier or left unused.
//
// What it reports:
//
//   - a statement whose value is a *gorm.DB (`db.Create(&row)`,
//     `tx.Where(...).Updates(m)`): the query may have failed and nobody
//     knows; the same for `go` and `defer` statements, except a deferred
//     Rollback, which is meant to fail once the transaction has committed;
//   - `_ = chain` or `_ = chain.Error` for a *gorm.DB chain;
//   - a query's .Error taken straight from the chain and only compared
//     (`db.First(&x).Error == nil`, `errors.Is(db.Take(&x).Error, ...)`):
//     a failed query then reads the same as "no row";
//   - `_ =`, `x, _ :=`, `x, _ =`, `var x, _ =` or a bare call statement
//     that discards the error of a parser: everything in strconv, net/url,
//     net/netip, net/mail, mime, encoding/json, encoding/xml, encoding/csv,
//     encoding/base64, encoding/hex, gopkg.in/yaml.v3 and internal/civil;
//     time.Parse, time.ParseInLocation, time.ParseDuration and
//     time.LoadLocation; net.ParseCIDR; fmt.Sscan and friends; any function
//     or method whose name starts with Parse, Unmarshal, Marshal or Decode;
//     any error-returning method or function of package gorm
//     (Transaction, AutoMigrate, ...); and any function of this module that
//     returns such an error, or a GORM chain's .Error, as its own
//     (`func Day(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }`,
//     a store method ending in `return tx.Create(&row).Error`), found across
//     packages through analysis facts.
//
// Tests are checked like any other code: a fixture whose INSERT failed or
// a response body that did not decode makes a test pass or fail for the
// wrong reason, and the fix (t.Fatal on the error) is one line.
//
// The fix is never a blank assignment: return the error, or, where it
// truly cannot happen (a constant layout parsed from a constant), say why
// in a comment and still handle it (panic, or an explicit fallback).
package droppederr

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer is the dropped-error check.
var Analyzer = &analysis.Analyzer{
	Name:      "droppederr",
	Doc:       "report GORM results whose .Error is unused and discarded errors from parsing and JSON",
	URL:       "https://github.com/socmap/socmap/tree/main/internal/lint/droppederr",
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	FactTypes: []analysis.Fact{new(returnsCheckedError)},
	Run:       run,
}

// returnsCheckedError marks a function of this module that hands back the
// error of a parser or a GORM query as its own, so dropping its error is
// dropping that one.
type returnsCheckedError struct{}

func (*returnsCheckedError) AFact()         {}
func (*returnsCheckedError) String() string { return "returnsCheckedError" }

// parsePackages are packages every error-returning function of which parses or encodes.
var parsePackages = map[string]bool{
	"strconv": true, "net/url": true, "net/netip": true, "net/mail": true, "mime": true,
	"encoding/json": true, "encoding/xml": true, "encoding/csv": true, "encoding/base64": true,
	"encoding/hex": true, "gopkg.in/yaml.v3": true, "github.com/socmap/socmap/internal/civil": true,
}

// parseFuncs are the parsers of packages that also do other things.
var parseFuncs = map[string]bool{
	"time.Parse": true, "time.ParseInLocation": true, "time.ParseDuration": true, "time.LoadLocation": true,
	"net.ParseCIDR": true, "net.ParseMAC": true, "fmt.Sscan": true, "fmt.Sscanf": true, "fmt.Sscanln": true,
}

var parsePrefixes = []string{"Parse", "Unmarshal", "Marshal", "Decode"}

const (
	gormPath   = "gorm.io/gorm"
	modulePath = "github.com/socmap/socmap/"
)

var errorType = types.Universe.Lookup("error").Type()

func run(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	markWrappers(pass, ins)
	c := checker{pass: pass}
	nodes := []ast.Node{(*ast.ExprStmt)(nil), (*ast.DeferStmt)(nil), (*ast.GoStmt)(nil),
		(*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.BinaryExpr)(nil), (*ast.CallExpr)(nil)}
	ins.Preorder(nodes, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.ExprStmt:
			c.unused(n.X, "")
		case *ast.DeferStmt:
			if !isRollback(n.Call) {
				c.unused(n.Call, "deferred ")
			}
		case *ast.GoStmt:
			c.unused(n.Call, "")
		case *ast.AssignStmt:
			c.assigned(n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			c.assigned(lhs, n.Values)
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				c.onlyCompared(n.X)
				c.onlyCompared(n.Y)
			}
		case *ast.CallExpr:
			if fn := typeutil.StaticCallee(pass.TypesInfo, n); fn != nil && fn.FullName() == "errors.Is" && len(n.Args) > 0 {
				c.onlyCompared(n.Args[0])
			}
		}
	})
	return nil, nil
}

type checker struct{ pass *analysis.Pass }

// unused reports a call statement that drops a GORM result or a checked error.
func (c checker) unused(x ast.Expr, kind string) {
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok {
		return
	}
	if isGormDB(c.pass.TypesInfo.TypeOf(call)) {
		c.pass.ReportRangef(call, "%sresult of GORM call %s is dropped: check its .Error", kind, c.name(call))
		return
	}
	if c.checked(call) && hasErrorResult(c.pass.TypesInfo.TypeOf(call)) {
		c.pass.ReportRangef(call, "%serror of %s is dropped: handle it", kind, c.name(call))
	}
}

// assigned reports blank identifiers that receive a GORM result, its .Error,
// or the error of a checked call.
func (c checker) assigned(lhs, rhs []ast.Expr) {
	if len(rhs) == 1 && len(lhs) > 1 { // x, _ := f()
		call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr)
		tuple, isTuple := c.pass.TypesInfo.TypeOf(rhs[0]).(*types.Tuple)
		if !ok || !isTuple || tuple.Len() != len(lhs) || !c.checked(call) {
			return
		}
		for i, l := range lhs {
			if isBlank(l) && types.Identical(tuple.At(i).Type(), errorType) {
				c.pass.ReportRangef(l, "error of %s is assigned to _: handle it", c.name(call))
			}
		}
		return
	}
	for i, l := range lhs {
		if i >= len(rhs) || !isBlank(l) {
			continue
		}
		r := ast.Unparen(rhs[i])
		if sel, ok := r.(*ast.SelectorExpr); ok && sel.Sel.Name == "Error" && isGormDB(c.pass.TypesInfo.TypeOf(sel.X)) {
			c.pass.ReportRangef(r, "GORM .Error is assigned to _: handle it")
			continue
		}
		if isGormDB(c.pass.TypesInfo.TypeOf(r)) {
			c.pass.ReportRangef(r, "result of GORM call is assigned to _: check its .Error")
			continue
		}
		if call, ok := r.(*ast.CallExpr); ok && c.checked(call) && types.Identical(c.pass.TypesInfo.TypeOf(call), errorType) {
			c.pass.ReportRangef(l, "error of %s is assigned to _: handle it", c.name(call))
		}
	}
}

// onlyCompared reports chain.Error used only in a comparison, where the
// chain is a GORM call written in place (its error cannot be read later).
func (c checker) onlyCompared(x ast.Expr) {
	sel, ok := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Error" {
		return
	}
	call, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok || !isGormDB(c.pass.TypesInfo.TypeOf(call)) {
		return
	}
	c.pass.ReportRangef(sel, "the error of GORM call %s is only compared, so a failed query reads as no row: keep the error and return the unexpected ones", c.name(call))
}

// checked tells whether a call's error must not be dropped.
func (c checker) checked(call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	return ok && isChecked(c.pass, fn)
}

func isChecked(pass *analysis.Pass, fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	path := fn.Pkg().Path()
	switch {
	case parsePackages[path], path == gormPath, parseFuncs[path+"."+fn.Name()]:
		return true
	}
	for _, p := range parsePrefixes {
		if strings.HasPrefix(fn.Name(), p) {
			return true
		}
	}
	return pass.ImportObjectFact(fn.Origin(), new(returnsCheckedError))
}

// markWrappers finds the functions of this package that return a checked
// error as their own and exports a fact for each, repeating until no new
// one appears so that wrappers of wrappers count too.
func markWrappers(pass *analysis.Pass, ins *inspector.Inspector) {
	if !strings.HasPrefix(pass.Pkg.Path(), modulePath) {
		return // other modules' wrappers are not this module's contract
	}
	var decls []*ast.FuncDecl
	ins.Preorder([]ast.Node{(*ast.FuncDecl)(nil)}, func(n ast.Node) {
		if d := n.(*ast.FuncDecl); d.Body != nil && returnsError(pass.TypesInfo.Defs[d.Name]) {
			decls = append(decls, d)
		}
	})
	for changed := true; changed; {
		changed = false
		for _, d := range decls {
			fn := pass.TypesInfo.Defs[d.Name].(*types.Func)
			if !pass.ImportObjectFact(fn, new(returnsCheckedError)) && forwardsCheckedError(pass, d.Body) {
				pass.ExportObjectFact(fn, new(returnsCheckedError))
				changed = true
			}
		}
	}
}

// forwardsCheckedError tells whether a function body returns a checked
// call's results directly, a GORM chain's .Error, or a variable that holds
// one of them.
func forwardsCheckedError(pass *analysis.Pass, body *ast.BlockStmt) bool {
	holds := map[types.Object]bool{}
	var forwards bool
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if len(n.Rhs) != 1 || !givesCheckedError(pass, n.Rhs[0]) {
				return true
			}
			if id, ok := n.Lhs[len(n.Lhs)-1].(*ast.Ident); ok {
				if obj := pass.TypesInfo.ObjectOf(id); obj != nil && types.Identical(obj.Type(), errorType) {
					holds[obj] = true
				}
			}
		case *ast.ReturnStmt:
			if len(n.Results) == 0 {
				return true
			}
			last := ast.Unparen(n.Results[len(n.Results)-1])
			if id, ok := last.(*ast.Ident); ok && holds[pass.TypesInfo.ObjectOf(id)] {
				forwards = true
			} else if givesCheckedError(pass, last) {
				forwards = true
			}
		}
		return true
	})
	return forwards
}

// givesCheckedError tells whether an expression yields an error that must
// not be dropped: a checked call with an error result, or a GORM chain's .Error.
func givesCheckedError(pass *analysis.Pass, x ast.Expr) bool {
	switch x := ast.Unparen(x).(type) {
	case *ast.CallExpr:
		fn, ok := typeutil.Callee(pass.TypesInfo, x).(*types.Func)
		return ok && isChecked(pass, fn) && hasErrorResult(pass.TypesInfo.TypeOf(x))
	case *ast.SelectorExpr:
		return x.Sel.Name == "Error" && isGormDB(pass.TypesInfo.TypeOf(x.X))
	}
	return false
}

func returnsError(obj types.Object) bool {
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	res := fn.Type().(*types.Signature).Results()
	return res.Len() > 0 && types.Identical(res.At(res.Len()-1).Type(), errorType)
}

func hasErrorResult(t types.Type) bool {
	if tuple, ok := t.(*types.Tuple); ok {
		for i := range tuple.Len() {
			if types.Identical(tuple.At(i).Type(), errorType) {
				return true
			}
		}
		return false
	}
	return t != nil && types.Identical(t, errorType)
}

func isGormDB(t types.Type) bool {
	ptr, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := ptr.Elem().(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Name() == "DB" && obj.Pkg() != nil && obj.Pkg().Path() == gormPath
}

func isRollback(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Rollback"
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// name is how a call is shown in a finding: the called function or method.
func (c checker) name(call *ast.CallExpr) string {
	if fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func); ok {
		if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
			return fn.Name()
		}
		return fn.Pkg().Name() + "." + fn.Name()
	}
	return "call"
}
