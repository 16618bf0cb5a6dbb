package controls

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// MappingChange names one control-requirement link. The requirement is
// given as "framework/ref", e.g. "soc2-tsc-2017/CC6.1" or "org-soc1/CO-01".
type MappingChange struct {
	ControlID   int64
	Requirement string
	Rationale   string
}

// ApplyMappings adds and removes links in one transaction: every change
// is checked first, and one bad entry changes nothing.
func (s *Service) ApplyMappings(ctx context.Context, add, remove []MappingChange) error {
	if len(add)+len(remove) == 0 {
		return apperr.Invalid("nothing to change: give mappings to add or remove", nil)
	}
	if len(add)+len(remove) > 5000 {
		return apperr.Invalid("at most 5000 mapping changes in one request", nil)
	}
	var touched []int64
	for _, ch := range append(slices.Clone(add), remove...) {
		touched = append(touched, ch.ControlID)
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		fields := map[string]string{}
		resolve := func(list string, changes []MappingChange) []store.Mapping {
			out := make([]store.Mapping, len(changes))
			for i, ch := range changes {
				key := fmt.Sprintf("%s[%d]", list, i)
				req, msg := s.resolveRequirement(ctx, ch.Requirement)
				if msg != "" {
					fields[key] = msg
				}
				if exists, err := s.db.ControlExists(ctx, ch.ControlID); err != nil || !exists {
					fields[key] = fmt.Sprintf("control %d not found", ch.ControlID)
				}
				if len([]rune(ch.Rationale)) > 2000 {
					fields[key] = "rationale: at most 2000 characters"
				}
				out[i] = store.Mapping{ControlID: ch.ControlID, RequirementID: req.ID,
					Rationale: strings.TrimSpace(ch.Rationale), CreatedAt: s.now()}
			}
			return out
		}
		adds, removes := resolve("add", add), resolve("remove", remove)
		if len(fields) > 0 {
			return apperr.Invalid("no mapping was changed: fix these entries", fields)
		}
		for i, m := range adds {
			if err := s.db.AddMapping(ctx, &m); err != nil {
				return err
			}
			if err := s.appendMapping(ctx, "mapping.add", m, add[i].Requirement); err != nil {
				return err
			}
		}
		for i, m := range removes {
			removed, err := s.db.RemoveMapping(ctx, m.ControlID, m.RequirementID)
			if err != nil {
				return err
			}
			if removed {
				if err := s.appendMapping(ctx, "mapping.remove", m, remove[i].Requirement); err != nil {
					return err
				}
			}
		}
		return nil
	})
	s.Changed.Notify(ctx, err, touched)
	return err
}

func (s *Service) appendMapping(ctx context.Context, action string, m store.Mapping, requirement string) error {
	return auditlog.AppendIn(ctx, s.db, mappingEvent(action, m, requirement))
}

func mappingEvent(action string, m store.Mapping, requirement string) auditlog.Event {
	return auditlog.Event{Action: action, ObjectType: "control", ObjectID: fmt.Sprint(m.ControlID),
		Changes: map[string]auditlog.Change{"requirement": {After: requirement}, "rationale": {After: m.Rationale}}}
}

// resolveRequirement finds a current requirement by "framework/ref".
func (s *Service) resolveRequirement(ctx context.Context, key string) (store.Requirement, string) {
	fw, ref, ok := strings.Cut(key, "/")
	if !ok || fw == "" || ref == "" {
		return store.Requirement{}, fmt.Sprintf("requirement %q: expected framework/ref, e.g. soc2-tsc-2017/CC6.1", key)
	}
	r, err := s.db.GetRequirement(ctx, fw, ref)
	if errors.Is(err, store.ErrNotFound) {
		return r, fmt.Sprintf("requirement %q not found", key)
	}
	if err != nil {
		return r, err.Error()
	}
	return r, ""
}

// SetApplicability marks a requirement as not applicable, with the reason
// the report will give, or back in scope.
func (s *Service) SetApplicability(ctx context.Context, requirement string, notApplicable bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if notApplicable && reason == "" {
		return apperr.Invalid("say why the requirement does not apply", map[string]string{"reason": "required when not applicable"})
	}
	if len([]rune(reason)) > 2000 {
		return apperr.Invalid("the reason is too long", map[string]string{"reason": "at most 2000 characters"})
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		r, msg := s.resolveRequirement(ctx, requirement)
		if msg != "" {
			return apperr.NotFound("%s", msg)
		}
		before, err := s.db.ApplicabilityOf(ctx, r.ID)
		if err != nil {
			return err
		}
		a := store.Applicability{RequirementID: r.ID, NotApplicable: notApplicable, Reason: reason, UpdatedAt: s.now()}
		if err := s.db.SaveApplicability(ctx, &a); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "requirement.applicability", ObjectType: "requirement",
			ObjectID: requirement, Changes: auditlog.Diff(
				map[string]any{"not_applicable": before.NotApplicable, "reason": before.Reason},
				map[string]any{"not_applicable": a.NotApplicable, "reason": a.Reason})})
	})
	s.Changed.Notify(ctx, err, nil)
	return err
}

// RequirementID resolves "framework/ref" to a requirement ID.
func (s *Service) RequirementID(ctx context.Context, key string) (int64, error) {
	r, msg := s.resolveRequirement(ctx, key)
	if msg != "" {
		return 0, apperr.Invalid(msg, map[string]string{"requirement": msg})
	}
	return r.ID, nil
}

// Mapped is one control-requirement link, named as "framework/ref".
type Mapped = store.MappingLink

// Mappings lists every link to a framework's requirements (all frameworks
// when framework is empty).
func (s *Service) Mappings(ctx context.Context, framework string) ([]Mapped, error) {
	return s.db.ListMappings(ctx, framework)
}
