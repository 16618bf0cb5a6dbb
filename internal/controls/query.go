package controls

import (
	"context"
	"errors"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Filter narrows the control list.
type Filter = store.ControlFilter

// Row is a control in a list, with its counts.
type Row = store.ControlRow

// SortKeys lists the accepted sort values.
func SortKeys() []string { return store.ControlSortKeys() }

// List returns one page of controls and how many match.
func (s *Service) List(ctx context.Context, f Filter) ([]Row, int64, error) {
	return s.db.ListControls(ctx, f)
}

// MappedRequirement is a requirement a control serves.
type MappedRequirement = store.MappedRequirement

// EvidenceSummary is evidence linked to a control.
type EvidenceSummary = store.ControlEvidence

// Detail is a control with its mappings and evidence.
type Detail struct {
	Row
	Mappings []MappedRequirement
	Evidence []EvidenceSummary
}

// Get returns one control with everything linked to it.
func (s *Service) Get(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	var err error
	d.Row, err = s.db.ControlRowByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return d, apperr.NotFound("control %d not found", id)
	}
	if err != nil {
		return d, err
	}
	if d.Mappings, err = s.db.RequirementsOfControl(ctx, id); err != nil {
		return d, err
	}
	d.Evidence, err = s.db.EvidenceOfControl(ctx, id)
	return d, err
}
