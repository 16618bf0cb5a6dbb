//go:build reliability

package reliability

import (
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// 15 anonymous clients each send the headers of a sign-in and the start
// of its JSON body, then stall. The real server answers each with a 408
// and closes the connection once the 30-second body deadline passes: all
// 15 within 35 s of being opened.
func TestStalledSignInBodiesAreClosed(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	_, base := startServer(t, bin)
	addr := strings.TrimPrefix(base, "http://")
	closed := make([]time.Duration, 15)
	answers := make([]string, 15)
	var wg sync.WaitGroup
	for i := range closed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			start := time.Now()
			fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: socmap\r\nContent-Type: application/json\r\n"+
				"Content-Length: 4096\r\n\r\n{\"email\":\"someone@example.com\",")
			conn.SetReadDeadline(start.Add(60 * time.Second))
			answer, err := io.ReadAll(conn) // returns when the server closes
			if err != nil {
				t.Errorf("stalled sign-in %d: still open after a minute: %v", i, err)
				return
			}
			closed[i] = time.Since(start)
			answers[i], _, _ = strings.Cut(string(answer), "\r\n")
		}()
	}
	wg.Wait()
	sorted := append([]time.Duration(nil), closed...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a] < sorted[b] })
	t.Logf("15 stalled sign-in bodies closed after %v (fastest) to %v (slowest); first answer %q",
		sorted[0].Round(10*time.Millisecond), sorted[14].Round(10*time.Millisecond), answers[0])
	for i, d := range closed {
		if d == 0 || d > 35*time.Second {
			t.Errorf("stalled sign-in %d closed after %v, want within 35 s", i, d)
		}
		if !strings.Contains(answers[i], "408") {
			t.Errorf("stalled sign-in %d answered %q, want 408", i, answers[i])
		}
	}
}
