//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// apiCounter is a proxy in front of the server that records every API
// request with the page that made it (its Referer).
type apiCounter struct {
	mu       sync.Mutex
	since    time.Time
	counting bool
	byPage   map[string][]string
}

func newAPICounter(t *testing.T, base string) (*apiCounter, string) {
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	c := &apiCounter{byPage: map[string][]string{}}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		if c.counting && len(r.URL.Path) > 4 && r.URL.Path[:5] == "/api/" {
			page := "?"
			if ref, err := url.Parse(r.Referer()); err == nil {
				page = ref.Path
			}
			c.byPage[page] = append(c.byPage[page], r.Method+" "+r.URL.RequestURI())
		}
		c.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return c, srv.URL
}

func (c *apiCounter) start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counting, c.byPage = true, map[string][]string{}
}

func (c *apiCounter) stop() map[string][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counting = false
	return c.byPage
}

// idleWindow is how long each page is left alone.
const idleWindow = 10 * time.Second

// On the demo, every page an administrator can open, left open and idle
// for ten seconds, makes at most one API request in that time: none polls
// in a loop. The pages are open side by side in tabs of one browser, so
// the ten seconds are the same for all of them.
func TestIdlePagesMakeAtMostOneRequestInTenSeconds(t *testing.T) {
	srv := startServer(t)
	loaded := srv.loadDemo(t)
	srv.addUser(t, "idle-admin@example.com", "admin")
	counter, base := newAPICounter(t, srv.base)
	b := newBrowser(t)
	b.signIn(base, "idle-admin@example.com")

	var controlID int64
	if err := srv.app.DB.R.Table("controls").Where("ref = ?", "AC-03").Pluck("id", &controlID).Error; err != nil {
		t.Fatal(err)
	}
	soc2 := loaded.Engagements[0]
	pages := []string{"/dashboard", "/tasks", "/team-tasks", "/engagements", fmt.Sprintf("/engagements/%d", soc2),
		fmt.Sprintf("/engagements/%d/controls/%d", soc2, controlID), fmt.Sprintf("/engagements/%d/requests", soc2), "/coverage", "/controls", fmt.Sprintf("/controls/%d", controlID),
		"/matrix", "/soc1-objectives", "/evidence", "/automated", "/catalog", "/users", "/audit", "/outbox", "/settings",
		"/tokens", "/account"}
	counter.start()
	for _, page := range pages {
		tab, cancel := chromedp.NewContext(b.ctx)
		t.Cleanup(cancel)
		ctx, stop := context.WithTimeout(tab, stepTimeout)
		if err := chromedp.Do(ctx, chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.CSS(`main h1`))); err != nil {
			stop()
			t.Fatalf("open %s: %v", page, err)
		}
		stop()
	}
	// Let the last page's first reads finish before the idle time starts.
	time.Sleep(2 * time.Second)
	// The count is by page: each page's own first reads are seen as its.
	loading := counter.stop()
	for _, page := range pages {
		if len(loading[page]) == 0 {
			t.Errorf("no request seen from %s while it loaded: the count by page is broken", page)
		}
	}
	counter.start()
	time.Sleep(idleWindow)
	seen := counter.stop()

	var report []string
	for page, reqs := range seen {
		if len(reqs) > 1 {
			report = append(report, fmt.Sprintf("%s made %d requests, e.g. %v", page, len(reqs), reqs[:min(3, len(reqs))]))
		}
	}
	sort.Strings(report)
	for _, r := range report {
		t.Error(r)
	}
	t.Logf("requests in %s of idling, by page: %v", idleWindow, seen)
	b.checkNoProblems()
}
