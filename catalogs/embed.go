// Package catalogs holds the criteria catalog files shipped in the binary.
package catalogs

import "embed"

//go:embed *.yaml
var FS embed.FS

// Files lists the catalog files in display order: the first framework is the
// one the web UI opens by default.
var Files = []string{"soc2-tsc.yaml", "soc1-objectives.yaml"}

// Read returns the contents of every listed catalog file.
func Read() (map[string][]byte, error) {
	out := make(map[string][]byte, len(Files))
	for _, name := range Files {
		data, err := FS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out[name] = data
	}
	return out, nil
}
