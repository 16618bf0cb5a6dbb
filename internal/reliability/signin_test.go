//go:build reliability

package reliability

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// memory reads a process's peak and current resident memory, in KiB, from
// /proc/PID/status.
func memory(pid int) (hwm, rss int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), ":")
		if name != "VmHWM" && name != "VmRSS" {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/status: %s: %w", pid, sc.Text(), err)
		}
		if name == "VmHWM" {
			hwm = kb
		} else {
			rss = kb
		}
	}
	return hwm, rss, sc.Err()
}

// startServer runs the real binary on a fresh data directory with the
// given extra flags and stops it when the test ends.
func startServer(t *testing.T, bin string, flags ...string) (*exec.Cmd, string) {
	t.Helper()
	addr := freeAddr(t)
	server := exec.Command(bin, append([]string{"serve", "--data", t.TempDir(), "--addr", addr, "--log-level", "warn"}, flags...)...)
	server.Stdout, server.Stderr = os.Stderr, os.Stderr
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		server.Process.Kill()
		server.Wait()
	})
	base := "http://" + addr
	waitReady(t, base)
	return server, base
}

// 200 sign-ins arrive at once, each from its own address behind a trusted
// proxy, so no limit refuses them before the password is checked. The
// server hashes a few at a time and turns the rest away with 503 and
// Retry-After; its resident memory stays under 300 MiB throughout (one
// argon2id check holds 19 MiB, so unbounded hashing would need 3.8 GB).
func TestSignInBurstMemory(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	server, base := startServer(t, bin, "--trusted-proxies", "127.0.0.1")
	pid := server.Process.Pid
	_, idle, err := memory(pid)
	if err != nil {
		t.Fatal(err)
	}

	var peakRSS atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan error, 1)
	go func() { // sample while the burst runs
		for {
			select {
			case <-stop:
				sampled <- nil
				return
			case <-time.After(5 * time.Millisecond):
			}
			_, rss, err := memory(pid)
			if err != nil {
				sampled <- err
				return
			}
			peakRSS.Store(max(peakRSS.Load(), rss))
		}
	}()

	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: 200}}
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"email":"user%03d@example.com","password":"a-guess-that-is-wrong-%d"}`, i, i)
			req, _ := http.NewRequestWithContext(context.Background(), "POST", base+"/api/v1/auth/login", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.20.%d.%d", i/250, i%250+1))
			<-start
			resp, err := client.Do(req)
			code := -1
			if err == nil {
				code = resp.StatusCode
				if code == 503 && resp.Header.Get("Retry-After") == "" {
					t.Errorf("503 without Retry-After")
				}
				resp.Body.Close()
			}
			mu.Lock()
			statuses[code]++
			mu.Unlock()
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)
	close(stop)
	if err := <-sampled; err != nil {
		t.Fatal(err)
	}
	hwm, _, err := memory(pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("200 concurrent sign-ins in %v: answers %v; resident memory idle %d MiB, peak sampled %d MiB, VmHWM %d MiB",
		took.Round(time.Millisecond), statuses, idle>>10, peakRSS.Load()>>10, hwm>>10)
	for code, n := range statuses {
		if code != 401 && code != 503 {
			t.Errorf("%d answers were %d, want 401 (checked) or 503 (too busy)", n, code)
		}
	}
	if statuses[401] == 0 {
		t.Error("no password was checked at all")
	}
	if hwm > 300<<10 {
		t.Errorf("peak resident memory %d MiB, want under 300 MiB", hwm>>10)
	}
}
