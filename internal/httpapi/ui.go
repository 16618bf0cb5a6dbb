package httpapi

import (
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// uiNotBuilt is shown when the binary was built without the web UI
// (frontend/dist held only its placeholder).
const uiNotBuilt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>socmap: UI not built</title></head>
<body><h1>The socmap web UI is not built</h1>
<p>This binary was compiled without the web interface. Run <code>make build</code>
(or <code>make run</code>) to build the UI and embed it, then start the server again.
The API under <code>/api/v1</code> works without it.</p></body></html>
`

// uiHandler serves the single-page app: files under assets/ carry a content
// hash in their name and are cached for good; every other path that is not
// a file gets index.html, never cached, so the app's router can handle it.
func uiHandler(dist fs.FS) gin.HandlerFunc {
	index, err := fs.ReadFile(dist, "index.html")
	built := err == nil
	return func(c *gin.Context) {
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
			writeError(c, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed", nil)
			return
		}
		if !built {
			c.Header("Cache-Control", "no-cache")
			c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(uiNotBuilt))
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+c.Request.URL.Path), "/")
		if name != "" && name != "index.html" && serveFile(c, dist, name) {
			return
		}
		if path.Ext(name) != "" && name != "index.html" {
			// A missing asset must not be answered with HTML.
			c.Data(http.StatusNotFound, "text/plain; charset=utf-8", []byte("not found\n"))
			return
		}
		c.Header("Cache-Control", "no-cache")
		c.Data(http.StatusOK, "text/html; charset=utf-8", index)
	}
}

func serveFile(c *gin.Context, dist fs.FS, name string) bool {
	f, err := dist.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		return false
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return false
	}
	if strings.HasPrefix(name, "assets/") {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	http.ServeContent(c.Writer, c.Request, name, time.Time{}, rs)
	return true
}
