// Package gorm is the part of gorm.io/gorm's API the analyzer tests need.
package gorm

import "errors"

var ErrRecordNotFound = errors.New("record not found")

type DB struct {
	Error        error
	RowsAffected int64
}

func (db *DB) Where(query any, args ...any) *DB        { return db }
func (db *DB) Create(value any) *DB                    { return db }
func (db *DB) Find(dest any, conds ...any) *DB         { return db }
func (db *DB) Take(dest any, conds ...any) *DB         { return db }
func (db *DB) Count(n *int64) *DB                      { return db }
func (db *DB) Begin() *DB                              { return db }
func (db *DB) Commit() *DB                             { return db }
func (db *DB) Rollback() *DB                           { return db }
func (db *DB) Transaction(fc func(tx *DB) error) error { return fc(db) }
