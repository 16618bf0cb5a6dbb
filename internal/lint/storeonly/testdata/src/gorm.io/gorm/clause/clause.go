package clause

type Expr struct{}
