package httpapi

import (
	"log/slog"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// proxyWarning notices requests that carry X-Forwarded-For from a peer
// that is not a trusted proxy, and says so in the log the first time after
// start-up and then at most once a day. Behind such a proxy every user
// shares the proxy's address, so the per-address sign-in limit locks them
// all out together.
type proxyWarning struct {
	log     *slog.Logger
	trusted []netip.Prefix
	now     func() time.Time
	last    atomic.Int64 // unix nanoseconds of the last warning; 0: none yet
}

func newProxyWarning(log *slog.Logger, trusted []string, now func() time.Time) *proxyWarning {
	w := &proxyWarning{log: log, now: now}
	for _, t := range trusted {
		if p, err := netip.ParsePrefix(t); err == nil {
			w.trusted = append(w.trusted, p)
		} else if a, err := netip.ParseAddr(t); err == nil {
			w.trusted = append(w.trusted, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return w
}

func (w *proxyWarning) handler() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.GetHeader("X-Forwarded-For") != "" {
			w.check(c.RemoteIP())
		}
		c.Next()
	}
}

func (w *proxyWarning) check(peer string) {
	addr, err := netip.ParseAddr(peer)
	if err != nil {
		return
	}
	addr = addr.Unmap()
	for _, p := range w.trusted {
		if p.Contains(addr) {
			return
		}
	}
	now, last := w.now(), w.last.Load()
	if last != 0 && now.Sub(time.Unix(0, last)) < 24*time.Hour {
		return
	}
	if !w.last.CompareAndSwap(last, now.UnixNano()) {
		return // another request is warning right now
	}
	setting := "--trusted-proxies is unset"
	if len(w.trusted) > 0 {
		setting = "--trusted-proxies (" + joinPrefixes(w.trusted) + ") does not include it"
	}
	w.log.Warn("requests carry X-Forwarded-For from a proxy that is not trusted: "+setting+
		", so every user behind it shares its address and the sign-in limit per address (20 failures) locks them all out; "+
		"list the proxy in --trusted-proxies", "proxy", addr.String())
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}
