package auth

import (
	"sync/atomic"
	"testing"
)

// Tests elsewhere create and sign in accounts by the thousand; at the
// OWASP cost each one hashes 19 MiB twice, which was most of their CPU.
// The cheap cost below is for them alone.
const (
	testArgonMemory = 64 // KiB
	testArgonTime   = 1
)

var testCost atomic.Bool

// UseTestHashCost makes the rest of this test process hash new passwords at
// a token cost. It does nothing outside a test binary, so the server always
// hashes at the OWASP cost. Hashes record their cost, so they still verify
// after the process ends.
func UseTestHashCost() {
	if testing.Testing() {
		testCost.Store(true)
	}
}

// hashCost is the memory (KiB) and passes new hashes are made with.
func hashCost() (memory, passes uint32) {
	if testCost.Load() {
		return testArgonMemory, testArgonTime
	}
	return argonMemory, argonTime
}
