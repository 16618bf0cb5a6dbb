package complementary

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// CUEC returns one of an engagement's CUECs.
func (s *Service) CUEC(ctx context.Context, id, cuecID int64) (CUEC, error) {
	c, err := s.st.CUECIn(ctx, id, cuecID)
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("CUEC %d not found in engagement %d", cuecID, id)
	}
	return c, err
}

// Subservice returns one of an engagement's subservice organisations with
// its CSOCs.
func (s *Service) Subservice(ctx context.Context, id, orgID int64) (Subservice, error) {
	sub, err := s.st.SubserviceIn(ctx, id, orgID)
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("subservice organisation %d not found in engagement %d", orgID, id)
	}
	return sub, err
}

// CUECChange rewords a CUEC; nil fields stay as they are.
type CUECChange struct {
	Text         *string
	Requirements *[]string
	// IfVersion, when set, is the version the writer read (If-Match).
	IfVersion *int64
}

// UpdateCUEC changes a CUEC's wording or the requirements it serves.
func (s *Service) UpdateCUEC(ctx context.Context, id, cuecID int64, ch CUECChange) (CUEC, error) {
	var c CUEC
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.CUEC(ctx, id, cuecID); err != nil {
			return err
		}
		e, err := s.eng.Find(ctx, id)
		if err != nil {
			return err
		}
		before := map[string]any{"text": c.Text, "requirements": c.Requirements}
		fields := map[string]string{}
		if ch.Text != nil {
			var ok bool
			if c.Text, ok = checkText(*ch.Text); !ok {
				fields["text"] = "required, at most 5000 characters"
			}
		}
		if ch.Requirements != nil {
			reqs, msg, err := s.checkRequirements(ctx, e, *ch.Requirements)
			if err != nil {
				return err
			}
			if msg == "" && e.Report == "soc1" && reqs == "" {
				msg = "name the control objective it serves (e.g. " + engagement.OrgSOC1 + "/CO-01)"
			}
			if msg != "" {
				fields["requirements"] = msg
			}
			c.Requirements = reqs
		}
		if len(fields) > 0 {
			return apperr.Invalid("the CUEC cannot be saved as given", fields)
		}
		if err := s.st.SaveCUEC(ctx, &c, ch.IfVersion); err != nil {
			return err
		}
		changes := auditlog.Diff(before, map[string]any{"text": c.Text, "requirements": c.Requirements})
		changes["cuec_id"] = auditlog.Change{After: c.ID}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.cuec_update", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	return c, err
}

// SubserviceChange changes a subservice organisation; nil fields stay as
// they are. Its CSOCs are changed by removing and adding the organisation.
type SubserviceChange struct {
	Name                *string
	Services            *string
	Method              *string
	MonitoringControlID *int64 // 0 removes it
	// ReviewDue false says its SOC report was reviewed for this period.
	ReviewDue *bool
	// IfVersion, when set, is the version the writer read (If-Match).
	IfVersion *int64
}

// UpdateSubservice changes a subservice organisation's name, services,
// presentation method or monitoring control.
func (s *Service) UpdateSubservice(ctx context.Context, id, orgID int64, ch SubserviceChange) (Subservice, error) {
	var sub Subservice
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if sub, err = s.Subservice(ctx, id, orgID); err != nil {
			return err
		}
		before := subserviceSnapshot(sub)
		fields, err := s.applySubservice(ctx, &sub, ch)
		if err != nil {
			return err
		}
		if len(fields) > 0 {
			return apperr.Invalid("the subservice organisation cannot be saved as given", fields)
		}
		if ch.ReviewDue != nil {
			sub.ReviewDue = *ch.ReviewDue
		}
		if err := s.st.SaveSubservice(ctx, &sub, ch.IfVersion); err != nil {
			return err
		}
		changes := auditlog.Diff(before, subserviceSnapshot(sub))
		changes["subservice_id"] = auditlog.Change{After: sub.ID}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.subservice_update", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	if err != nil {
		return sub, err
	}
	return s.Subservice(ctx, id, orgID)
}

func subserviceSnapshot(s Subservice) map[string]any {
	return map[string]any{"name": s.Name, "services": s.Services, "method": s.Method, "monitoring_control_id": s.MonitoringControlID,
		"review_due": s.ReviewDue}
}

// applySubservice copies the change onto sub and names every invalid field.
func (s *Service) applySubservice(ctx context.Context, sub *Subservice, ch SubserviceChange) (map[string]string, error) {
	f := apperr.Fields{}
	if ch.Name != nil && strings.TrimSpace(*ch.Name) == "" {
		f["name"] = "required, at most 200 characters"
	} else {
		f.Text("name", ch.Name, &sub.Name, 200)
	}
	f.Text("services", ch.Services, &sub.Services, 2000)
	f.Choice("method", ch.Method, &sub.Method, []string{"carve-out", "inclusive"})
	if ch.MonitoringControlID != nil {
		if *ch.MonitoringControlID == 0 {
			sub.MonitoringControlID = nil
		} else {
			if err := s.checkControlExists(ctx, *ch.MonitoringControlID, f); err != nil {
				return nil, err
			}
			sub.MonitoringControlID = ch.MonitoringControlID
		}
	}
	return f, nil
}
