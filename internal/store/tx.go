package store

import (
	"context"

	"gorm.io/gorm"
)

type txKey struct{}

// InTx runs fn in one write transaction: store methods called with the
// context fn receives take part in it, so a domain package can make
// several writes (and their audit entries) all or nothing without
// handling the database itself.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx) // already in one: it commits with the outer one
	}
	return db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// Conn is the connection a query in ctx uses: the transaction InTx
// opened, else the write pool for writes and the read pool for reads.
// Reads inside a transaction go to the transaction, so they see its
// own writes.
func (db *DB) Conn(ctx context.Context, write bool) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	if write {
		return db.W.WithContext(ctx)
	}
	return db.R.WithContext(ctx)
}
