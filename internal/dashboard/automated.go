package dashboard

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/ingest"
)

// Automated is the dashboard's view of scanner evidence: sources that
// stopped reporting and controls their latest scans fail.
type Automated struct {
	Sources int              `json:"sources"`
	Stale   []StaleSource    `json:"stale"`
	Failing []FailingControl `json:"failing"`
}

// StaleSource is a source that has not reported within its interval.
type StaleSource struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	OwnerEmail    string     `json:"owner_email"`
	LastScannedAt *time.Time `json:"last_scanned_at"`
	StaleSince    time.Time  `json:"stale_since"`
}

// FailingControl is a control the latest scan of a source failed.
type FailingControl struct {
	ControlRef
	Sources   []string  `json:"sources"`
	ScannedAt time.Time `json:"scanned_at"`
	Failed    int       `json:"failed"`
}

// AutomatedSource gives the dashboard its automated part.
type AutomatedSource interface {
	Overview(ctx context.Context, inScope func(controlID int64) bool) (ingest.Overview, error)
}

// automated fills the automated part, for the controls inScope accepts
// (nil: every control); a dashboard without a source has none.
func (s *Service) automated(ctx context.Context, d *Dashboard, inScope func(int64) bool) error {
	if s.Automated == nil {
		return nil
	}
	o, err := s.Automated.Overview(ctx, inScope)
	if err != nil || o.Sources == 0 {
		return err
	}
	a := &Automated{Sources: o.Sources, Stale: []StaleSource{}, Failing: []FailingControl{}}
	for _, src := range o.Stale {
		a.Stale = append(a.Stale, StaleSource{ID: src.ID, Name: src.Name, OwnerEmail: src.OwnerEmail,
			LastScannedAt: src.LastScannedAt, StaleSince: src.StaleSince})
	}
	for _, f := range o.Failing {
		a.Failing = append(a.Failing, FailingControl{ControlRef: ControlRef{ID: f.ID, Ref: f.Ref, Title: f.Title},
			Sources: f.Sources, ScannedAt: f.ScannedAt, Failed: f.Failed})
	}
	d.Automated = a
	return nil
}
