package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"
)

// ExportSlots limit how many heavy exports run at once across every
// instance sharing the database: a slot is a row leased with an expiry,
// so one a crashed instance held frees itself.
type ExportSlots struct {
	db    *DB
	Lease time.Duration // how long a slot is held without renewal
	Poll  time.Duration // how often a waiting export looks for a free slot
	// Log hears of releases and renewals that failed: nobody waits on
	// them, and the slot then frees itself when its lease runs out.
	Log *slog.Logger
}

// NewExportSlots uses the database's export_slots table.
func NewExportSlots(db *DB) *ExportSlots {
	return &ExportSlots{db: db, Lease: 2 * time.Minute, Poll: 200 * time.Millisecond, Log: slog.Default()}
}

// Acquire waits for a free slot until ctx ends, and returns a function
// that frees it. The lease is renewed while the slot is held.
func (s *ExportSlots) Acquire(ctx context.Context) (release func(), err error) {
	var b [12]byte
	_, _ = rand.Read(b[:])
	holder := hex.EncodeToString(b[:])
	for {
		ok, err := s.tryClaim(ctx, holder)
		if err != nil {
			return nil, err
		}
		if ok {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(s.Poll):
		}
	}
	stop := make(chan struct{})
	go s.renew(holder, stop)
	return func() {
		close(stop)
		if err := s.db.W.Exec("UPDATE export_slots SET holder = NULL, expires_at = NULL WHERE holder = ?", holder).Error; err != nil {
			s.Log.Warn("export slot not released; it frees itself when its lease ends", "lease", s.Lease, "err", err)
		}
	}, nil
}

// tryClaim takes one free or expired slot in a single UPDATE, so two
// instances can never take the same one.
func (s *ExportSlots) tryClaim(ctx context.Context, holder string) (bool, error) {
	now := time.Now().UTC()
	res := s.db.W.WithContext(ctx).Exec(`UPDATE export_slots SET holder = ?, expires_at = ?
		WHERE slot = (SELECT slot FROM export_slots WHERE holder IS NULL OR expires_at < ? ORDER BY slot LIMIT 1)
		AND (holder IS NULL OR expires_at < ?)`, holder, now.Add(s.Lease), now, now)
	return res.RowsAffected == 1, res.Error
}

func (s *ExportSlots) renew(holder string, stop <-chan struct{}) {
	tick := time.NewTicker(s.Lease / 3)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			if err := s.db.W.Exec("UPDATE export_slots SET expires_at = ? WHERE holder = ?", time.Now().UTC().Add(s.Lease), holder).Error; err != nil {
				s.Log.Warn("export slot lease not renewed; trying again", "err", err)
			}
		}
	}
}
