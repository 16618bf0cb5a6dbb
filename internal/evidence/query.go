package evidence

import (
	"context"
	"errors"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Status says whether evidence is still good on a day: current, expiring
// (within the warning window) or expired.
func Status(expiresOn *string, today string, warnUntil string) string {
	switch {
	case expiresOn == nil:
		return "current"
	case *expiresOn < today:
		return "expired"
	case *expiresOn <= warnUntil:
		return "expiring"
	}
	return "current"
}

// Filter narrows the evidence library.
type Filter struct {
	ControlID    int64
	Kind         string
	Text         string
	ExpiringDays int // with Expiring: only evidence expiring within this many days (or expired)
	Expiring     bool
	// Deleted lists instead the evidence deleted within RestoreDays, the
	// evidence that can still be restored.
	Deleted bool
	Sort    string // one of SortKeys; default newest first
	Limit   int
	Offset  int
}

// SortKeys lists the accepted sort values of List.
func SortKeys() []string { return store.EvidenceSortKeys() }

// Row is evidence in a list.
type Row = store.EvidenceRow

// List returns one page of live evidence, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Row, int64, error) {
	sf := store.EvidenceFilter{ControlID: f.ControlID, Kind: f.Kind, Text: f.Text, Sort: f.Sort, Limit: f.Limit, Offset: f.Offset}
	if f.Deleted {
		since := s.now().AddDate(0, 0, -RestoreDays)
		sf.DeletedSince = &since
	}
	if f.Expiring {
		sf.ExpiringBy = s.now().AddDate(0, 0, f.ExpiringDays).Format(time.DateOnly)
	}
	return s.db.ListEvidence(ctx, sf)
}

// LinkedControl is a control evidence supports.
type LinkedControl = store.LinkedControl

// Detail is evidence with its controls and every file revision.
type Detail struct {
	Row
	Controls  []LinkedControl
	Revisions []store.EvidenceFile
}

// Get returns one live evidence item with its controls and revisions.
func (s *Service) Get(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	var err error
	d.Row, err = s.db.LiveEvidenceRow(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return d, apperr.NotFound("evidence %d not found", id)
	}
	if err != nil {
		return d, err
	}
	if d.Controls, err = s.db.ControlsOfEvidence(ctx, id); err != nil {
		return d, err
	}
	d.Revisions, err = s.db.EvidenceFiles(ctx, id)
	return d, err
}

// Reliance is an engagement's conclusion on a control that relies on the
// evidence, pinned to a revision (nil for links and notes).
type Reliance = store.Reliance

// WindowUse is an occurrence window of an engagement the evidence was
// attached to as speaking for it.
type WindowUse = store.WindowUse

// Usage is where the engagements use one evidence item: the conclusions
// that rely on it and the windows it was attached to.
func (s *Service) Usage(ctx context.Context, id int64) ([]Reliance, []WindowUse, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, nil, err
	}
	relied, err := s.db.ReliancesOn(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	windows, err := s.db.WindowsUsing(ctx, id)
	return relied, windows, err
}
