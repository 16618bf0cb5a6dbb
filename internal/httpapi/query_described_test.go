package httpapi

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
)

// A route takes the query parameters its description names and no others,
// and a handler that reads one the description leaves out fails loudly
// instead of answering as if it had not been sent.
func TestOpenAPIQueryIsTheDescribedOne(t *testing.T) {
	t.Parallel()
	var got struct {
		sort     string
		sortErr  error
		undocErr error
		unknownQ error
	}
	r := gin.New()
	r.GET("/api/v1/controls", func(c *gin.Context) {
		q := newQuery(c)
		got.sort = q.oneOf("sort", []string{"ref", "title"})
		got.sortErr = q.err()
		q.str("colour", 10)
		got.undocErr = q.err()
	})
	r.GET("/api/v1/evidence", func(c *gin.Context) { got.unknownQ = newQuery(c).err() })

	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/v1/controls?sort=title", nil))
	if got.sort != "title" || got.sortErr != nil {
		t.Errorf("described sort = %q, %v; want title, no error", got.sort, got.sortErr)
	}
	if _, isDomain := apperr.As(got.undocErr); got.undocErr == nil || isDomain || !strings.Contains(got.undocErr.Error(), "colour") {
		t.Errorf("reading an undescribed parameter = %v; want an internal error naming it", got.undocErr)
	}
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/v1/evidence?colour=red", nil))
	if e, ok := apperr.As(got.unknownQ); !ok || e.Fields["colour"] != "unknown parameter" {
		t.Errorf("an undescribed parameter sent = %v; want a 400 naming it", got.unknownQ)
	}
}

// Handlers read the query only through query.go, which holds them to the
// description: a direct read would take a parameter the description does
// not name.
func TestOpenAPIQueryIsReadInOnePlace(t *testing.T) {
	t.Parallel()
	direct := regexp.MustCompile(`\.(Query|DefaultQuery|GetQuery|QueryArray|GetQueryArray|QueryMap|GetQueryMap|ShouldBindQuery|BindQuery)\(|\.URL\.Query\(\)|\bq\.values\b`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f == "query.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if direct.MatchString(line) {
				t.Errorf("%s:%d reads the query directly; use newQuery: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
	if len(files) < 20 {
		t.Fatalf("found only %d source files", len(files))
	}
}
