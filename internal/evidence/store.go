package evidence

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Store is what evidence needs from the database; *store.DB has it.
type Store interface {
	auditlog.Transactor // the audit trail is written inside the store's transactions
	ControlsByRef(ctx context.Context, ids []int64) ([]store.Control, error)
	EvidenceByID(ctx context.Context, id int64) (store.Evidence, error)
	LiveEvidenceByID(ctx context.Context, id int64) (store.Evidence, error)
	ControlIDsOfEvidence(ctx context.Context, evidenceID int64) ([]int64, error)
	CreateEvidence(ctx context.Context, e *store.Evidence) error
	SaveEvidence(ctx context.Context, e *store.Evidence, expect *int64) error
	LinkEvidence(ctx context.Context, evidenceID int64, controls []int64) error
	RelinkEvidence(ctx context.Context, evidenceID int64, controls []int64) error
	DeleteEvidence(ctx context.Context, e *store.Evidence, at time.Time) error
	RestoreEvidence(ctx context.Context, e *store.Evidence) error
	AddEvidenceFile(ctx context.Context, f *store.EvidenceFile) error
	AddEvidenceRevision(ctx context.Context, f *store.EvidenceFile) error
	LiveEvidenceFile(ctx context.Context, evidenceID int64, revision int) (store.EvidenceFile, error)
	EvidenceFiles(ctx context.Context, evidenceID int64) ([]store.EvidenceFile, error)
	EngagementRelyingOn(ctx context.Context, evidenceID int64, controls []int64) (engagement, controlRef string, err error)
	IsIngestEvidence(ctx context.Context, evidenceID int64) (bool, error)
	ListEvidence(ctx context.Context, f store.EvidenceFilter) ([]store.EvidenceRow, int64, error)
	LiveEvidenceRow(ctx context.Context, id int64) (store.EvidenceRow, error)
	ControlsOfEvidence(ctx context.Context, evidenceID int64) ([]store.LinkedControl, error)
	ReliancesOn(ctx context.Context, evidenceID int64) ([]store.Reliance, error)
	WindowsUsing(ctx context.Context, evidenceID int64) ([]store.WindowUse, error)
}
