package auth

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
)

// argonBytes is the memory one argon2id computation holds while it runs.
const argonBytes = argonMemory * 1024

// HashSlots is how many passwords may be hashed or checked at once on a
// machine with this much memory and this many cores: an eighth of the
// memory for argon2id, no more than the cores (hashing is pure CPU, so
// more at once only holds more memory), between 1 and 4. Sixty concurrent
// checks would otherwise hold over a gigabyte.
func HashSlots(memory uint64, cpus int) int {
	return int(min(max(memory/8/argonBytes, 1), uint64(max(cpus, 1)), 4))
}

// SystemMemory is the memory this process may use: the cgroup limit when
// there is one, else the machine's total, else 1 GiB.
func SystemMemory() uint64 {
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil {
			return n
		}
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				if err == nil {
					return kb * 1024
				}
			}
		}
	}
	return 1 << 30
}

// gate bounds how many argon2id computations run at once across the
// server. A caller waits at most wait for a slot; past that the server is
// too busy and says so, rather than queueing without end.
type gate struct {
	slots chan struct{}
	wait  time.Duration
}

func newGate(slots int, wait time.Duration) *gate {
	return &gate{slots: make(chan struct{}, max(slots, 1)), wait: wait}
}

var errBusy = &apperr.Error{Kind: apperr.KindUnavailable, Code: "busy",
	Message: "the server is busy checking other passwords; try again in a moment", RetryAfter: 2 * time.Second}

// run calls fn in a slot, or returns errBusy when none frees up in time.
func (g *gate) run(ctx context.Context, fn func()) error {
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-timer.C:
		return errBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.slots }()
	fn()
	return nil
}
