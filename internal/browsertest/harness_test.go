//go:build browser

// Package browsertest drives the real socmap server in Debian's chromium.
// It is built only with -tags browser (make test always sets it) because it
// needs the built UI and a browser.
package browsertest

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/socmap/socmap/frontend"
	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/controls"
)

// server is the real socmap server on a free loopback port with a
// temporary data directory.
type server struct {
	base    string
	app     *app.Server
	dataDir string
}

// startServer runs the server until the test ends.
func startServer(t *testing.T) *server {
	t.Helper()
	if _, err := fs.Stat(frontend.Dist(), "index.html"); err != nil {
		t.Fatal("the web UI is not built into this test binary: run `make build` (or `make test`)")
	}
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Organisation = "Larkspur Payroll Ltd"
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := app.New(ctx, cfg, logger, frontend.Dist())
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	base := "http://" + ln.Addr().String()
	waitReady(t, base)
	return &server{base: base, app: srv, dataDir: cfg.DataDir}
}

const password = "browser-test-passphrase"

// addUser creates an account directly in the store.
func (s *server) addUser(t *testing.T, email, role string) {
	t.Helper()
	in := auth.NewUser{Email: email, Role: role, Password: password}
	if role == "auditor" {
		in.AccessUntil = "2099-12-31"
	}
	if _, err := auth.NewService(s.app.DB, auth.DefaultSettings(), nil).CreateUser(context.Background(), auth.Trusted, in); err != nil {
		t.Fatal(err)
	}
}

// addControl creates a control mapped to one requirement ("framework/ref").
func (s *server) addControl(t *testing.T, ref, frequency, requirement string) {
	t.Helper()
	ctx := context.Background()
	svc := controls.NewService(s.app.DB)
	title, nature, typ := "Control "+ref, "manual", "detective"
	c, err := svc.Create(ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &frequency, Nature: &nature, Type: &typ})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.ApplyMappings(ctx, []controls.MappingChange{{ControlID: c.ID, Requirement: requirement}}, nil); err != nil {
		t.Fatal(err)
	}
}

// signIn opens the app signed out and signs in through the login form.
func (b *browser) signIn(base, email string) {
	b.t.Helper()
	b.run("sign in as "+email,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		chromedp.SendKeys(chromedp.CSS(`#login-email`), email),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), password),
		chromedp.SendKeys(chromedp.CSS(`#login-email`), kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#user-menu`)),
	)
}

func waitReady(t *testing.T, base string) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server did not become ready")
}

func chromiumPath(t *testing.T) string {
	if p := os.Getenv("SOCMAP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: install Debian's chromium package or set SOCMAP_CHROMIUM")
	return ""
}

// browser is one headless chromium tab plus the problems the page reported
// (uncaught exceptions, console errors, CSP violations and other browser
// log errors): a page that logs an error fails its test even if it looks
// right.
type browser struct {
	ctx context.Context
	t   *testing.T

	mu       sync.Mutex
	problems []string
}

type step = chromedp.Action[chromedp.Void]

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &browser{ctx: ctx, t: t}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !expectedHTTPError(m) {
				b.mu.Lock()
				b.problems = append(b.problems, m.String())
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// expectedHTTPError tells a 4xx answer the page asked for and handles (a
// signed-out session check, a refused form) from a real problem; the
// browser logs both as errors. A 5xx is always a problem.
func expectedHTTPError(m chromedp.ConsoleMessage) bool {
	if m.Source != "network" {
		return false
	}
	_, status, found := strings.Cut(m.Text, "status of ")
	return found && strings.HasPrefix(status, "4")
}

// stepTimeout bounds one named step, so a missing element fails the test
// with a screenshot instead of hanging it.
const stepTimeout = 20 * time.Second

// run performs the steps; on failure it saves a screenshot and fails the test.
func (b *browser) run(name string, steps ...step) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.screenshot(name)
		b.t.Fatalf("%s: %v", name, err)
	}
}

// text returns the visible text of the first element matching a CSS selector.
func (b *browser) text(css string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		b.screenshot("text")
		b.t.Fatalf("read %s: %v", css, err)
	}
	return s
}

// location returns the current URL.
func (b *browser) location() string {
	b.t.Helper()
	u, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

// checkNoProblems fails the test if the page reported any error so far.
func (b *browser) checkNoProblems() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) > 0 {
		b.screenshot("page-errors")
		b.t.Fatalf("the page reported errors:\n  %s", strings.Join(b.problems, "\n  "))
	}
}

// screenshot saves the current page under SOCMAP_ARTIFACTS (default: a
// socmap-browser folder in the system temp directory).
func (b *browser) screenshot(name string) {
	dir := os.Getenv("SOCMAP_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "socmap-browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot: %v", err)
		return
	}
	file := filepath.Join(dir, safeName(b.t.Name()+"-"+name)+".png")
	if err := os.WriteFile(file, png, 0o644); err == nil {
		b.t.Logf("screenshot saved to %s", file)
	}
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, s)
}
