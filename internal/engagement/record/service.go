// Package record keeps what a locked engagement's report rests on and
// builds its deliverables from it: the workbook and the evidence
// package's entries and populations. An engagement that is not locked
// gets them live. It builds on the engagement and workbook packages.
package record

import (
	"context"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/workbook"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the records and the package are read and written through.
type Store interface {
	auditlog.Transactor
	workbook.Store
	CreateRecord(ctx context.Context, rec *store.EngagementRecord, evidence []store.RecordEvidence) error
	CurrentRecord(ctx context.Context, engagementID int64) (store.EngagementRecord, error)
	PackageRows(ctx context.Context, engagementID int64, controlIDs []int64) ([]store.PackageRow, error)
	PopulationItemsOf(ctx context.Context, populationID int64) ([]store.PopulationItem, error)
	ControlRefOf(ctx context.Context, id int64) (string, error)
}

// Service keeps the records of engagements and writes their deliverables.
type Service struct {
	st       Store
	eng      *engagement.Service
	workbook *workbook.Service
}

// NewService builds the service on the engagements.
func NewService(st Store, eng *engagement.Service) *Service {
	return &Service{st: st, eng: eng, workbook: workbook.NewService(st, eng)}
}
