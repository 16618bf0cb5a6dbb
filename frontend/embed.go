// Package frontend embeds the built web UI. Only dist/.gitkeep is committed,
// so Go builds and tests work without Node; `make build` fills dist first.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built app, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a literal embedded above; this cannot fail
	}
	return sub
}
