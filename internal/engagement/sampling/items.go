package sampling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// Attribute outcomes of a sampled item.
var attributeOutcomes = []string{"pass", "fail", "na"}

// ItemInput is the tester's record of one sampled item.
type ItemInput struct {
	Results  map[string]string // attribute: pass, fail or na
	Notes    string
	TestedOn *string // nil: today
	// EvidenceIDs are the control's evidence the item was tested on; nil
	// keeps the item's links as they are, an empty list removes them.
	EvidenceIDs *[]int64
}

type sampleItemEvidence = store.SampleItemEvidence

// RecordSampleItem stores the attribute results of one sampled item, with
// who tested it and when. A failed attribute makes the item an exception,
// recorded as one (its description can then be edited); once no attribute
// fails any more the exception is withdrawn.
func (s *Service) RecordSampleItem(ctx context.Context, id, sampleID int64, seq int, userID int64, in ItemInput) error {
	return s.st.InTx(ctx, func(ctx context.Context) error {
		smp, attrs, err := s.takeSample(ctx, id, sampleID)
		if err != nil {
			return err
		}
		if err := s.recordItem(ctx, smp, attrs, seq, userID, func(store.SampleItem) ItemInput { return in }); err != nil {
			return err
		}
		return s.refreshCounts(ctx, id, smp.ControlID)
	})
}

// PassSampleItems records every attribute of the given items of a sample
// as passed, tested today by userID, in one transaction: all of them or,
// when one cannot be, none. Each item keeps its notes and evidence; one
// that failed before stops being an exception.
func (s *Service) PassSampleItems(ctx context.Context, id, sampleID int64, seqs []int, userID int64) error {
	if len(seqs) == 0 || len(seqs) > 1000 {
		return apperr.Invalid("choose the items to mark passed", apperr.Fields{"seqs": "1 to 1000 item numbers"})
	}
	return s.st.InTx(ctx, func(ctx context.Context) error {
		smp, attrs, err := s.takeSample(ctx, id, sampleID)
		if err != nil {
			return err
		}
		passed := make(map[string]string, len(attrs))
		for _, a := range attrs {
			passed[a] = "pass"
		}
		for _, seq := range slices.Compact(slices.Sorted(slices.Values(seqs))) {
			err := s.recordItem(ctx, smp, attrs, seq, userID, func(item store.SampleItem) ItemInput {
				return ItemInput{Results: passed, Notes: item.Notes}
			})
			if err != nil {
				return err
			}
		}
		return s.refreshCounts(ctx, id, smp.ControlID)
	})
}

// takeSample reads a sample of an engagement and its attributes.
func (s *Service) takeSample(ctx context.Context, id, sampleID int64) (store.Sample, []string, error) {
	smp, err := s.st.SampleIn(ctx, id, sampleID)
	if errors.Is(err, store.ErrNotFound) {
		return smp, nil, apperr.NotFound("sample %d not found in engagement %d", sampleID, id)
	} else if err != nil {
		return smp, nil, err
	}
	var attrs []string
	if err := json.Unmarshal([]byte(smp.Attributes), &attrs); err != nil {
		return smp, nil, fmt.Errorf("sample %d attributes: %w", sampleID, err)
	}
	return smp, attrs, nil
}

// recordItem writes one item's results, as input makes them from the item
// as stored, audits the change and keeps its exception in step.
func (s *Service) recordItem(ctx context.Context, smp store.Sample, attrs []string, seq int, userID int64, input func(store.SampleItem) ItemInput) error {
	item, err := s.st.SampleItemAt(ctx, smp.ID, seq)
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("item %d is not in sample %d", seq, smp.ID)
	} else if err != nil {
		return err
	}
	in := input(item)
	failed, fields := checkOutcomes(attrs, in.Results)
	if len([]rune(in.Notes)) > 5000 {
		fields["notes"] = "at most 5000 characters"
	}
	testedOn := s.today()
	if in.TestedOn != nil && *in.TestedOn != "" {
		if d, err := engagement.Day(*in.TestedOn); err != nil {
			fields["tested_on"] = "must be a date such as 2026-03-31"
		} else if testedOn = d.Format(time.DateOnly); testedOn > s.today() {
			fields["tested_on"] = "the item cannot be tested in the future"
		}
	}
	evidence, err := s.itemEvidence(ctx, smp.ControlID, in.EvidenceIDs, fields)
	if err != nil {
		return err
	}
	if len(fields) > 0 {
		return apperr.Invalid("the item's results cannot be saved as given", fields)
	}
	before := map[string]any{"results": item.Results, "notes": item.Notes, "tested_on": item.TestedOn}
	encoded, err := json.Marshal(in.Results)
	if err != nil {
		return err
	}
	item.Results, item.Exception, item.Notes = string(encoded), len(failed) > 0, strings.TrimSpace(in.Notes)
	item.TestedBy, item.TestedOn = &userID, &testedOn
	if len(in.Results) == 0 {
		item.Results, item.TestedBy, item.TestedOn = "{}", nil, nil
	}
	item.Version++
	if err := s.st.SaveSampleItem(ctx, &item); err != nil {
		return err
	}
	changes := auditlog.Diff(before, map[string]any{"results": item.Results, "notes": item.Notes, "tested_on": item.TestedOn})
	if in.EvidenceIDs != nil {
		if err := s.linkItemEvidence(ctx, smp.ID, seq, evidence, changes); err != nil {
			return err
		}
	}
	if len(changes) > 0 { // the sample's results changed after their review
		if err := s.st.SampleResultsChanged(ctx, smp.ID); err != nil {
			return err
		}
	}
	changes["sample_item"] = auditlog.Change{After: fmt.Sprintf("sample %d item %d", smp.ID, seq)}
	if err := auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.sample_result", ObjectType: "engagement",
		ObjectID: fmt.Sprint(smp.EngagementID), Changes: changes}); err != nil {
		return err
	}
	return s.syncException(ctx, smp, seq, failed)
}

// itemEvidence checks the evidence given for an item: live evidence
// linked to the sample's control, returned sorted without repeats.
func (s *Service) itemEvidence(ctx context.Context, controlID int64, ids *[]int64, fields apperr.Fields) ([]int64, error) {
	if ids == nil || len(*ids) == 0 {
		return nil, nil
	}
	evidence := slices.Compact(slices.Sorted(slices.Values(*ids)))
	n, err := s.st.CountLinkedLiveEvidence(ctx, controlID, evidence)
	if err != nil {
		return nil, err
	}
	if n != len(evidence) {
		fields["evidence_ids"] = "each must be evidence linked to this control"
	}
	return evidence, nil
}

// linkItemEvidence replaces the evidence an item was tested on, noting the
// change for the audit trail.
func (s *Service) linkItemEvidence(ctx context.Context, sampleID int64, seq int, evidence []int64, changes map[string]auditlog.Change) error {
	old, err := s.st.ItemEvidence(ctx, sampleID, seq)
	if err != nil {
		return err
	}
	if slices.Equal(old, evidence) {
		return nil
	}
	if err := s.st.SetItemEvidence(ctx, sampleID, seq, evidence); err != nil {
		return err
	}
	changes["evidence_ids"] = auditlog.Change{Before: fmt.Sprint(old), After: fmt.Sprint(evidence)}
	return nil
}

// checkOutcomes reads an item's results: the attributes that failed, and
// what is wrong with the rest.
func checkOutcomes(attrs []string, results map[string]string) ([]string, apperr.Fields) {
	fields := apperr.Fields{}
	var failed []string
	for a, v := range results {
		switch {
		case !slices.Contains(attrs, a):
			fields[a] = "not an attribute of this sample"
		case !slices.Contains(attributeOutcomes, v):
			fields[a] = "must be pass, fail or na"
		case v == "fail":
			failed = append(failed, a)
		}
	}
	slices.Sort(failed)
	return failed, fields
}

// syncException keeps the exception of a sampled item in step with its
// results: created (or brought back) when an attribute fails, withdrawn
// when none does. A description someone edited is kept.
func (s *Service) syncException(ctx context.Context, smp store.Sample, seq int, failed []string) error {
	x, found, err := s.st.ExceptionOfItem(ctx, smp.ID, seq)
	if err != nil {
		return err
	}
	var action string
	switch {
	case len(failed) > 0 && !found:
		itemID, err := s.st.PopulationItemID(ctx, smp.PopulationID, seq)
		if err != nil {
			return err
		}
		x = store.Exception{EngagementID: smp.EngagementID, ControlID: smp.ControlID, SampleID: &smp.ID, SampleSeq: &seq,
			Description: fmt.Sprintf("%s: %s not met", itemID, strings.Join(failed, "; ")), CreatedAt: s.now(), UpdatedAt: s.now()}
		action = "engagement.exception"
	case len(failed) > 0 && x.WithdrawnAt != nil:
		x.WithdrawnAt, x.UpdatedAt, action = nil, s.now(), "engagement.exception_restored"
	case len(failed) == 0 && found && x.WithdrawnAt == nil:
		now := s.now()
		x.WithdrawnAt, x.UpdatedAt, action = &now, now, "engagement.exception_withdrawn"
	default:
		return nil
	}
	if err := s.st.SaveException(ctx, &x, nil); err != nil {
		return err
	}
	return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: action, ObjectType: "engagement", ObjectID: fmt.Sprint(smp.EngagementID),
		Changes: map[string]auditlog.Change{"exception_id": {After: x.ID}, "control_id": {After: smp.ControlID},
			"sample_item": {After: fmt.Sprintf("sample %d item %d", smp.ID, seq)}, "description": {After: x.Description}}})
}

// refreshCounts keeps a recorded result's n of m equal to its samples'.
func (s *Service) refreshCounts(ctx context.Context, id, controlID int64) error {
	e, err := s.eng.Find(ctx, id)
	if err != nil {
		return err
	}
	st, err := s.eng.SampleStatsOf(ctx, e, controlID)
	if err != nil {
		return err
	}
	// A changed count is a new version of the result: a conclusion saved
	// against the old one must be looked at again, and reviewed again.
	return s.st.SetTestedCounts(ctx, id, controlID, st.Failed, st.Tested)
}
