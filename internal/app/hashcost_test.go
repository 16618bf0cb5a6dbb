package app

import "github.com/socmap/socmap/internal/auth"

// These tests sign in accounts, not passwords: internal/auth's own tests
// hold the hashing to its real cost.
func init() { auth.UseTestHashCost() }
