package httpapi

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// Requests with X-Forwarded-For from an untrusted peer give one warning,
// then at most one a day; a trusted proxy gives none.
func TestUntrustedProxyWarning(t *testing.T) {
	t.Parallel()
	var logged bytes.Buffer
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	w := newProxyWarning(slog.New(slog.NewTextHandler(&logged, nil)), []string{"10.0.0.0/8", "192.0.2.1"}, func() time.Time { return now })
	count := func() int { return strings.Count(logged.String(), "X-Forwarded-For") }

	w.check("10.1.2.3")
	w.check("192.0.2.1")
	if count() != 0 {
		t.Fatalf("trusted proxies warned: %s", logged.String())
	}
	for i := 0; i < 100; i++ {
		w.check("203.0.113.9")
		now = now.Add(time.Minute)
	}
	if count() != 1 || !strings.Contains(logged.String(), "does not include it") || !strings.Contains(logged.String(), "proxy=203.0.113.9") {
		t.Fatalf("100 requests in 100 minutes: %d warnings: %s", count(), logged.String())
	}
	now = now.Add(24 * time.Hour)
	w.check("203.0.113.9")
	if count() != 2 {
		t.Fatalf("a day later: %d warnings", count())
	}

	logged.Reset()
	unset := newProxyWarning(slog.New(slog.NewTextHandler(&logged, nil)), nil, func() time.Time { return now })
	unset.check("::ffff:198.51.100.4")
	if !strings.Contains(logged.String(), "--trusted-proxies is unset") {
		t.Errorf("without --trusted-proxies: %s", logged.String())
	}
}
