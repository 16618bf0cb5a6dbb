package soc1

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/store"
)

// ActivityPick is a suggested control activity to turn into a control,
// with the control's ref (empty: the objective's ref and the next number,
// e.g. CO-04.1).
type ActivityPick struct {
	Ref        string
	ControlRef string
}

// AdoptActivities turns control activities suggested beneath one of the
// organisation's objectives into draft controls mapped to that objective,
// all in one transaction. The drafts carry the activity's wording,
// frequency, nature and type, for the control owner to make their own.
func (s *Service) AdoptActivities(ctx context.Context, objectiveRef string, picks []ActivityPick) ([]store.Control, error) {
	if len(picks) == 0 || len(picks) > 50 {
		return nil, apperr.Invalid("name 1 to 50 activities", map[string]string{"activities": "1 to 50 entries"})
	}
	r, err := s.db.GetRequirement(ctx, store.OrgSOC1, objectiveRef)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.NotFound("objective %s not found", objectiveRef)
	} else if err != nil {
		return nil, err
	}
	templates, err := s.Templates(ctx)
	if err != nil {
		return nil, err
	}
	suggested := describe(r, templates).Activities
	prefix := r.Ref + "."
	taken, err := s.db.ControlRefsLike(ctx, prefix)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	fields := apperr.Fields{}
	drafts := make([]store.Control, len(picks))
	rationales := make([]string, len(picks))
	for i, p := range picks {
		key := fmt.Sprintf("activities[%d]", i)
		a := slices.IndexFunc(suggested, func(a store.TemplateActivity) bool { return a.Ref == strings.TrimSpace(p.Ref) })
		if a < 0 {
			fields[key+".ref"] = fmt.Sprintf("%q is not suggested beneath %s", p.Ref, r.Ref)
			continue
		}
		ref := strings.TrimSpace(p.ControlRef)
		switch {
		case ref == "":
			ref = nextControlRef(prefix, taken)
		case !controls.ValidRef(ref):
			fields[key+".control_ref"] = "1 to 32 letters, digits, dots, dashes or underscores"
		case containsFold(taken, ref):
			fields[key+".control_ref"] = ref + " is taken"
		}
		taken = append(taken, ref)
		act := suggested[a]
		rationales[i] = "From the suggested control activity " + act.Ref
		drafts[i] = store.Control{Ref: ref, Title: act.Title, Description: act.Description, Frequency: act.Frequency,
			Nature: act.Nature, ControlType: act.ControlType, Status: "draft", CreatedAt: now, UpdatedAt: now}
	}
	if len(fields) > 0 {
		return nil, fields.Err("no control was created: fix these entries")
	}
	requirement := store.OrgSOC1 + "/" + r.Ref
	err = s.db.CreateMappedControls(ctx, drafts, r.ID, rationales,
		func(ctx context.Context, mappings []store.Mapping) error {
			var events []auditlog.Event
			for i, c := range drafts {
				events = append(events, controls.CreatedEvents(c, mappings[i:i+1], []string{requirement})...)
			}
			return auditlog.AppendIn(ctx, s.db, events...)
		})
	if errors.Is(err, store.ErrDuplicate) {
		return nil, apperr.Invalid("a control ref is taken: reload and try again", nil)
	} else if err != nil {
		return nil, err
	}
	ids := make([]int64, len(drafts))
	for i, c := range drafts {
		ids[i] = c.ID
	}
	s.Changed.Notify(ctx, nil, ids)
	return drafts, nil
}

// nextControlRef is prefix followed by the lowest number from 1 that no
// taken ref has.
func nextControlRef(prefix string, taken []string) string {
	for n := 1; ; n++ {
		if ref := fmt.Sprintf("%s%d", prefix, n); !containsFold(taken, ref) {
			return ref
		}
	}
}
