package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

type rowCounts struct{ frameworks, categories, requirements int64 }

func count(t *testing.T, db *store.DB) rowCounts {
	t.Helper()
	var c rowCounts
	storetest.Must(t, db.R.Model(&store.Framework{}).Count(&c.frameworks))
	storetest.Must(t, db.R.Model(&store.Category{}).Count(&c.categories))
	storetest.Must(t, db.R.Model(&store.Requirement{}).Count(&c.requirements))
	return c
}

// Restarting never duplicates catalog rows.
func TestRestartsKeepRowCounts(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	var first rowCounts
	for i := 0; i < 3; i++ {
		db, err := OpenStore(context.Background(), cfg, quietLog())
		if err != nil {
			t.Fatal(err)
		}
		c := count(t, db)
		db.Close()
		if i == 0 {
			first = c
			if c.frameworks != 3 || c.requirements < 91 {
				t.Fatalf("first start: %+v", c)
			}
		} else if c != first {
			t.Fatalf("start %d: %+v, first start %+v", i+1, c, first)
		}
	}
}

// The server answers until its context ends, lets an in-flight request
// finish, then stops and returns nil.
func TestServeShutsDownGracefully(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := New(ctx, cfg, quietLog(), fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv.Handler.(*gin.Engine).GET("/slow", func(c *gin.Context) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		c.String(200, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	resp, err := http.Get(base + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/readyz: %v %v", resp, err)
	}
	resp.Body.Close()

	slow := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			slow <- err.Error()
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		slow <- string(body)
	}()
	<-started
	cancel()
	if got := <-slow; got != "finished" {
		t.Errorf("in-flight request during shutdown got %q, want it to finish", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve returned %v after shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestSampleTableFromConfig(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.SampleTable = "daily=40"
	srv, err := New(context.Background(), cfg, quietLog(), fstest.MapFS{})
	if err != nil {
		t.Fatalf("a valid sample table was refused: %v", err)
	}
	srv.DB.Close()
	cfg.SampleTable = "hourly=3"
	if _, err := New(context.Background(), cfg, quietLog(), fstest.MapFS{}); err == nil || !strings.Contains(err.Error(), "hourly=3") {
		t.Fatalf("a bad sample table: %v", err)
	}
}

// The first-run page can load the demo: the new administrator lands in a
// populated installation whose dashboard answers.
func TestFirstRunWithDemo(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	srv, err := New(context.Background(), cfg, quietLog(), fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.DB.Close()
	send := func(method, path, body string, cookies []*http.Cookie) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		w := httptest.NewRecorder()
		srv.Handler.ServeHTTP(w, req)
		return w
	}
	if w := send("GET", "/api/v1/setup", "", nil); !strings.Contains(w.Body.String(), `"demo":true`) {
		t.Fatalf("setup state: %s", w.Body)
	}
	w := send("POST", "/api/v1/setup", `{"email":"me@example.com","password":"first-run-passphrase","demo":true}`, nil)
	if w.Code != 201 || strings.Contains(w.Body.String(), "demo_error") {
		t.Fatalf("setup with the demo: %d %s", w.Code, w.Body)
	}
	var controls, admins int64
	storetest.Must(t, srv.DB.R.Table("controls").Count(&controls))
	storetest.Must(t, srv.DB.R.Table("users").Where("role = 'admin'").Count(&admins))
	if controls < 78 || admins != 1 {
		t.Errorf("%d controls, %d administrators (the demo must not add its own)", controls, admins)
	}
	if w := send("GET", "/api/v1/dashboard?engagement_id=1", "", w.Result().Cookies()); w.Code != 200 || !strings.Contains(w.Body.String(), `"heatmap"`) {
		t.Errorf("dashboard: %d %s", w.Code, w.Body.String()[:min(200, w.Body.Len())])
	}
}
