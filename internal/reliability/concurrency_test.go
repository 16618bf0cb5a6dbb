//go:build reliability

package reliability

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// lockedLog remembers every log line, to look for "database is locked".
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// 50 clients mix reads, writes and uploads against a SQLite server for a
// minute (SOCMAP_RELIABILITY_SECONDS): no answer is a 5xx, the log never
// says "database is locked", and everything acknowledged is there after.
func TestFiftyClientsOnSQLite(t *testing.T) {
	seconds := 60
	if v, err := strconv.Atoi(os.Getenv("SOCMAP_RELIABILITY_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	logs := &lockedLog{}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})), fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	token := adminToken(t, srv.DB)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	acks := &acknowledged{controls: map[string]int64{}, evidence: map[int64]string{}}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	counts := map[string]int{}
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(base, token)
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			var mine []int64
			for n := 0; time.Now().Before(deadline); n++ {
				op, err := step(c, rng, i, n, &mine, acks)
				mu.Lock()
				counts[op]++
				if err != nil {
					failures = append(failures, err.Error())
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Logf("requests by kind: %v", counts)
	if len(failures) > 0 {
		t.Errorf("%d requests failed, first: %s", len(failures), failures[0])
	}
	if strings.Contains(strings.ToLower(logs.String()), "database is locked") {
		t.Error("the server logged \"database is locked\"")
	}
	checkAcknowledged(t, cfg, acks)
}

// step performs one random request: mostly reads, some writes, a few uploads.
func step(c *client, rng *rand.Rand, client, n int, mine *[]int64, acks *acknowledged) (string, error) {
	switch r := rng.IntN(100); {
	case r < 30:
		_, err := c.do("GET", "/api/v1/controls?limit=50", "", nil, nil)
		return "list controls", err
	case r < 45:
		_, err := c.do("GET", "/api/v1/coverage", "", nil, nil)
		return "coverage", err
	case r < 55:
		_, err := c.do("GET", "/api/v1/dashboard", "", nil, nil)
		return "dashboard", err
	case r < 80 || len(*mine) == 0:
		ref := fmt.Sprintf("L%02d-%05d", client, n)
		id, code, err := c.createControl(ref)
		if err == nil && code == 201 {
			acks.mu.Lock()
			acks.controls[ref] = id
			acks.mu.Unlock()
			*mine = append(*mine, id)
		}
		return "create control", err
	case r < 90:
		id := (*mine)[rng.IntN(len(*mine))]
		_, err := c.do("PATCH", fmt.Sprintf("/api/v1/controls/%d", id), "application/json",
			strings.NewReader(fmt.Sprintf(`{"description":"edited %d"}`, n)), nil)
		return "update control", err
	default:
		content := []byte(fmt.Sprintf("evidence from client %d, request %d, %d", client, n, rng.Uint64()))
		content = append(content, bytes.Repeat([]byte("x"), rng.IntN(64<<10))...)
		id, sum, code, err := c.upload((*mine)[rng.IntN(len(*mine))], content)
		if err == nil && code == 201 {
			acks.mu.Lock()
			acks.evidence[id] = sum
			acks.mu.Unlock()
		}
		return "upload", err
	}
}

// checkAcknowledged reopens the installation and finds every control and
// evidence file the server acknowledged, with the bytes that were sent.
func checkAcknowledged(t *testing.T, cfg config.Config, acks *acknowledged) {
	t.Helper()
	db, err := store.Open(context.Background(), cfg.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var found int64
	storetest.Must(t, db.R.Table("controls").Where("ref LIKE 'L%'").Count(&found))
	if int(found) != len(acks.controls) || len(acks.controls) == 0 {
		t.Errorf("%d controls acknowledged, %d in the database", len(acks.controls), found)
	}
	blobs, err := blob.Open(cfg.EvidenceDir())
	if err != nil {
		t.Fatal(err)
	}
	acks.verify(t, db, blobs)
	t.Logf("verified %d controls and %d uploads", len(acks.controls), len(acks.evidence))
}
