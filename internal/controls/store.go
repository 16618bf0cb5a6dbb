package controls

import (
	"context"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the controls need from the database; *store.DB has it.
type Store interface {
	auditlog.Transactor // the audit trail is written inside the store's transactions
	ControlByID(ctx context.Context, id int64) (store.Control, error)
	ControlExists(ctx context.Context, id int64) (bool, error)
	ControlRefOf(ctx context.Context, id int64) (string, error)
	AllControls(ctx context.Context) ([]store.Control, error)
	CreateControl(ctx context.Context, c *store.Control) error
	SaveControl(ctx context.Context, c *store.Control, expect *int64) error
	ControlBlockers(ctx context.Context, id int64) (store.ControlDeleteBlocker, error)
	DeleteControl(ctx context.Context, c store.Control) error
	ListControls(ctx context.Context, f store.ControlFilter) ([]store.ControlRow, int64, error)
	ControlRowByID(ctx context.Context, id int64) (store.ControlRow, error)
	RequirementsOfControl(ctx context.Context, id int64) ([]store.MappedRequirement, error)
	EvidenceOfControl(ctx context.Context, id int64) ([]store.ControlEvidence, error)
	UserByID(ctx context.Context, id int64) (store.User, error)
	UserByEmail(ctx context.Context, email string) (store.User, error)
	GetRequirement(ctx context.Context, frameworkID, ref string) (store.Requirement, error)
	AddMapping(ctx context.Context, m *store.Mapping) error
	RemoveMapping(ctx context.Context, controlID, requirementID int64) (bool, error)
	IsMapped(ctx context.Context, controlID, requirementID int64) (bool, error)
	InsertInBatches(ctx context.Context, rows any, size int) error
	ListMappings(ctx context.Context, framework string) ([]store.MappingLink, error)
	ApplicabilityOf(ctx context.Context, requirementID int64) (store.Applicability, error)
	SaveApplicability(ctx context.Context, a *store.Applicability) error
}
