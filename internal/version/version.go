// Package version tells which socmap this is; the Makefile sets Version at
// link time from git.
package version

// Version is overridden with -ldflags "-X github.com/socmap/socmap/internal/version.Version=…".
var Version = "dev"
