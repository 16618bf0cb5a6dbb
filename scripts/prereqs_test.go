// Package scripts holds the tests of the shell scripts make runs.
package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// toolbox is a PATH holding only the tools the script itself uses and the
// stand-ins given: name -> the version the stand-in prints, whatever it is
// asked (go env GOVERSION, node --version).
func toolbox(t *testing.T, tools map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"bash", "awk", "sed", "sort", "head", "dirname", "env"} {
		real, err := exec.LookPath(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for name, version := range tools {
		script := "#!/bin/sh\necho '" + version + "'\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestPrereqs(t *testing.T) {
	good := map[string]string{"go": "go1.26.8", "gcc": "gcc 12", "node": "v20.19.0", "npm": "10.8.2"}
	with := func(changes map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range good {
			out[k] = v
		}
		for k, v := range changes {
			if v == "" {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		tools map[string]string
		want  []string // in the message; none means it passes
	}{
		{"everything there", good, nil},
		{"a newer Go and Node 22.12", with(map[string]string{"go": "go1.27.1", "node": "v22.12.0"}), nil},
		{"Node 24", with(map[string]string{"node": "v24.1.0"}), nil},
		{"an older Go", with(map[string]string{"go": "go1.26.2"}), []string{"Go 1.26.8 or newer", "found go1.26.2", "go.dev/dl"}},
		{"no Go", with(map[string]string{"go": ""}), []string{"'go' is not on PATH"}},
		{"no gcc", with(map[string]string{"gcc": ""}), []string{"C compiler (gcc)", "apt-get install gcc"}},
		{"Node 18", with(map[string]string{"node": "v18.19.1"}), []string{"found v18.19.1", "nodejs.org"}},
		{"Node 20.18", with(map[string]string{"node": "v20.18.3"}), []string{"found v20.18.3"}},
		{"Node 21", with(map[string]string{"node": "v21.7.3"}), []string{"found v21.7.3"}},
		{"Node 22.11, which Vite refuses", with(map[string]string{"node": "v22.11.0"}), []string{"found v22.11.0"}},
		{"no npm", with(map[string]string{"npm": ""}), []string{"npm is needed"}},
		{"nothing at all", map[string]string{}, []string{"'go' is not on PATH", "C compiler", "'node' is not on PATH", "npm is needed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command("bash", "prereqs")
			cmd.Env = []string{"PATH=" + toolbox(t, tc.tools)}
			out, err := cmd.CombinedOutput()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v\n%s", err, out)
				}
				return
			}
			if err == nil {
				t.Fatalf("passed, want a refusal naming %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("the message lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
