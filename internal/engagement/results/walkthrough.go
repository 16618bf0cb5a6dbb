package results

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Walkthrough is the record of tracing one instance of a control from
// start to end, once per control in an engagement: the basis of a Type I's
// design and implementation conclusions.
type Walkthrough store.Walkthrough

func (Walkthrough) TableName() string { return "engagement_walkthroughs" }

// Evidence is the IDs of the evidence inspected.
func (w Walkthrough) Evidence() []int64 {
	out := []int64{}
	for _, s := range strings.Split(w.EvidenceIDs, ",") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// WalkthroughInput changes a walkthrough; nil fields stay as they are.
type WalkthroughInput struct {
	PerformedOn       *string
	Participants      *string
	InstanceTraced    *string
	EvidenceInspected *string
	EvidenceIDs       *[]int64
	IfVersion         *int64
}

// Walkthrough returns a control's walkthrough in an engagement; one not
// recorded yet is empty at version 0.
func (s *Service) Walkthrough(ctx context.Context, id, controlID int64) (Walkthrough, error) {
	if _, err := s.eng.Get(ctx, id); err != nil {
		return Walkthrough{}, err
	}
	w, err := s.st.WalkthroughOf(ctx, id, controlID)
	return Walkthrough(w), err
}

// Walkthroughs returns an engagement's walkthroughs by control.
func (s *Service) Walkthroughs(ctx context.Context, id int64) (map[int64]Walkthrough, error) {
	return WalkthroughsOf(ctx, s.st, id)
}

// WalkthroughReader reads an engagement's walkthroughs.
type WalkthroughReader interface {
	WalkthroughsOf(ctx context.Context, engagementID int64) ([]store.Walkthrough, error)
}

// WalkthroughsOf returns an engagement's walkthroughs by control, for
// whoever shows them without recording any (the workbook).
func WalkthroughsOf(ctx context.Context, st WalkthroughReader, id int64) (map[int64]Walkthrough, error) {
	rows, err := st.WalkthroughsOf(ctx, id)
	if err != nil {
		return nil, err
	}
	out := map[int64]Walkthrough{}
	for _, w := range rows {
		out[w.ControlID] = Walkthrough(w)
	}
	return out, nil
}

func walkthroughSnapshot(w Walkthrough) map[string]any {
	var by int64
	if w.PerformedBy != nil {
		by = *w.PerformedBy
	}
	return map[string]any{"performed_on": w.PerformedOn, "participants": w.Participants, "instance_traced": w.InstanceTraced,
		"evidence_inspected": w.EvidenceInspected, "evidence_ids": w.EvidenceIDs, "performed_by": by}
}

// SetWalkthrough records a control's walkthrough, performed by userID: the
// day (not in the future), who took part, the instance traced and the
// evidence inspected, in words or as evidence linked to the control.
func (s *Service) SetWalkthrough(ctx context.Context, id, controlID, userID int64, in WalkthroughInput) (Walkthrough, error) {
	var w Walkthrough
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.eng.Head(ctx, id); err != nil {
			return err
		}
		if err := s.eng.CheckInScope(ctx, id, controlID); err != nil {
			return err
		}
		row, err := s.st.WalkthroughOf(ctx, id, controlID)
		if err != nil {
			return err
		}
		w = Walkthrough(row)
		before := walkthroughSnapshot(w)
		fields := s.applyWalkthrough(&w, in)
		if in.EvidenceIDs != nil {
			ids := slices.Compact(slices.Sorted(slices.Values(*in.EvidenceIDs)))
			if err := s.eng.CheckLinked(ctx, controlID, ids, fields); err != nil {
				return err
			}
			parts := make([]string, len(ids))
			for i, ev := range ids {
				parts[i] = strconv.FormatInt(ev, 10)
			}
			w.EvidenceIDs = strings.Join(parts, ",")
		}
		if w.EvidenceInspected == "" && w.EvidenceIDs == "" && fields["evidence_ids"] == "" {
			fields["evidence_inspected"] = "say what evidence was inspected, or pick the control's evidence"
		}
		if err := fields.Err("the walkthrough cannot be saved as given"); err != nil {
			return err
		}
		w.PerformedBy = &userID
		w.UpdatedAt = s.eng.Now()
		if w.Version == 0 {
			w.CreatedAt = w.UpdatedAt
		}
		if err := s.st.SaveWalkthrough(ctx, (*store.Walkthrough)(&w), in.IfVersion); err != nil {
			return err
		}
		changes := auditlog.Diff(before, walkthroughSnapshot(w))
		changes["control_id"] = auditlog.Change{After: controlID}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.walkthrough", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	return w, err
}

func (s *Service) applyWalkthrough(w *Walkthrough, in WalkthroughInput) apperr.Fields {
	fields := apperr.Fields{}
	fields.Text("participants", in.Participants, &w.Participants, 2000)
	fields.Text("instance_traced", in.InstanceTraced, &w.InstanceTraced, 5000)
	fields.Text("evidence_inspected", in.EvidenceInspected, &w.EvidenceInspected, 5000)
	var on *string
	if w.PerformedOn != "" {
		on = &w.PerformedOn
	}
	fields.Date("performed_on", in.PerformedOn, &on)
	w.PerformedOn = deref(on)
	if w.PerformedOn > s.eng.Today().String() {
		fields["performed_on"] = "a walkthrough is recorded once it was performed: not a day in the future"
	}
	fields.Require("performed_on", w.PerformedOn)
	fields.Require("participants", w.Participants)
	fields.Require("instance_traced", w.InstanceTraced)
	return fields
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
