package store

import "gorm.io/gorm"

// The store is where SQL lives.
const q = "SELECT id FROM controls WHERE status <> 'retired'"

var _ *gorm.DB
