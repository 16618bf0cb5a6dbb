package engagement

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/socmap/socmap/internal/store"
)

// reach is how far one audit entry's change reaches into the scoped
// controls (their windows, samples and evidence flags).
type reach int

const (
	reachesAll      reach = iota // unknown: every control is computed again
	reachesNone                  // nothing, or only what is read again and compared
	reachesControl               // the control the entry names
	reachesEvidence              // the controls the evidence it names is linked to, before and after
)

// readAgain are the changes that write nothing the scoped controls are
// worked out from, or only the engagement's own records the recomputation
// reads again and compares control by control (its row, scope, windows
// marked or given summary evidence, sampling risks), or reads whole every
// time (results, samples, exceptions, evaluations, requirements).
var readAgain = map[string]bool{
	"login.success": true, "login.failure": true, "logout": true, "reauth.success": true, "reauth.failure": true,
	"token.create": true, "token.revoke": true, "calendar_feed.create": true, "calendar_feed.revoke": true,
	"user.create": true, "user.password_change": true,
	"task.create": true, "task.update": true, "task.reassign": true, "task.done": true, "task.not_applicable": true, "task.reopen": true,
	"request.create": true, "request.update": true, "request.delete": true, "request.submit": true,
	"request.accept": true, "request.return": true, "request.comment": true, "request.undo": true,
	"ingest.source.create": true, "ingest.source.update": true, "ingest.rule.create": true, "ingest.rule.delete": true,
	"ingest.run":                true, // the evidence a run files and relinks has entries of its own
	"requirement.applicability": true, "objective.create": true, "objective.update": true,
	"evidence.download": true,
	"engagement.create": true, "engagement.update": true, "engagement.roll_forward": true, "engagement.scope": true,
	"engagement.applicability": true, "engagement.auditors": true, "engagement.sample_policy": true,
	"engagement.window_attach": true, "engagement.window_detach": true,
	"engagement.window_expected": true, "engagement.window_not_expected": true,
	"engagement.result": true, "engagement.results_import": true, "engagement.walkthrough": true, "engagement.sign_off": true,
	"engagement.population": true, "engagement.sample": true, "engagement.sample_extension": true,
	"engagement.sample_result": true, "engagement.sample_retest": true, "engagement.sample_sign_off": true,
	"engagement.exception": true, "engagement.exception_restored": true, "engagement.exception_withdrawn": true,
	"engagement.exception_response": true, "engagement.exception_remediation": true,
	"engagement.exception_evaluation": true, "engagement.exception_evaluation_sign_off": true,
	"engagement.evaluation": true, "engagement.evaluation_delete": true, "engagement.evaluation_sign_off": true,
	"engagement.record": true, "engagement.record_superseded": true, "engagement.bridge_letter": true,
	"engagement.cuec_add": true, "engagement.cuec_update": true, "engagement.cuec_remove": true,
	"engagement.subservice_add": true, "engagement.subservice_update": true, "engagement.subservice_remove": true,
	"engagement.subservice_review_add": true, "engagement.subservice_review_update": true,
	"engagement.subservice_review_remove": true,
}

// reachOf says how far an entry's change reaches. A user's change may be
// their e-mail, which their controls show; settings hold the holidays and
// the sample table: both reach all.
func reachOf(e store.AuditEntry) reach {
	switch {
	case strings.HasSuffix(e.Action, ".export") || readAgain[e.Action]:
		return reachesNone
	case e.ObjectType == "evidence" && strings.HasPrefix(e.Action, "evidence."):
		return reachesEvidence
	case e.ObjectType == "control" && (strings.HasPrefix(e.Action, "control.") || strings.HasPrefix(e.Action, "mapping.")):
		return reachesControl
	}
	return reachesAll
}

// touchedSince reads the audit trail after version and names the
// controls the changes touched; whole is true when one may reach further
// than it can tell.
func (s *Service) touchedSince(ctx context.Context, version int64) (touched map[int64]bool, whole bool, err error) {
	entries, err := s.st.AuditEntriesAfter(ctx, version, changesBuiltOnAtMost+1)
	if err != nil || len(entries) > changesBuiltOnAtMost {
		return nil, true, err
	}
	touched = map[int64]bool{}
	for _, e := range entries {
		switch reachOf(e) {
		case reachesNone:
		case reachesControl:
			id, err := strconv.ParseInt(e.ObjectID, 10, 64)
			if err != nil {
				return nil, true, nil
			}
			touched[id] = true
		case reachesEvidence:
			if err := s.touchedByEvidence(ctx, e, touched); err != nil {
				return nil, true, ignoreMalformed(err)
			}
		default:
			return nil, true, nil
		}
	}
	return touched, false, nil
}

// errMalformed is an entry this package cannot read the reach of.
var errMalformed = errors.New("an audit entry whose reach cannot be read")

// ignoreMalformed drops errMalformed: such an entry only means computing
// whole, not a failure.
func ignoreMalformed(err error) error {
	if errors.Is(err, errMalformed) {
		return nil
	}
	return err
}

// touchedByEvidence adds the controls the evidence is linked to now and
// those the entry says it was linked to before (and after) the change.
func (s *Service) touchedByEvidence(ctx context.Context, e store.AuditEntry, touched map[int64]bool) error {
	id, err := strconv.ParseInt(e.ObjectID, 10, 64)
	if err != nil {
		return errMalformed
	}
	linked, err := s.st.ControlIDsOfEvidence(ctx, id)
	if err != nil {
		return err
	}
	for _, c := range linked {
		touched[c] = true
	}
	named, err := controlIDsNamed(e.Changes)
	if err != nil {
		return errMalformed
	}
	for _, c := range named {
		touched[c] = true
	}
	return nil
}

// controlIDsNamed reads the control IDs an evidence entry's changes name
// before and after, written as a list "[3 7 12]".
func controlIDsNamed(changes string) ([]int64, error) {
	if changes == "" {
		return nil, nil
	}
	var c map[string]struct {
		Before any `json:"before"`
		After  any `json:"after"`
	}
	if err := json.Unmarshal([]byte(changes), &c); err != nil {
		return nil, err
	}
	ch, ok := c["control_ids"]
	if !ok {
		return nil, nil
	}
	var out []int64
	for _, v := range []any{ch.Before, ch.After} {
		ids, err := idList(v)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	return out, nil
}

// idList parses "[3 7 12]" (nil is none).
func idList(v any) ([]int64, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok || !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return nil, fmt.Errorf("control IDs written as %v", v)
	}
	var out []int64
	for _, f := range strings.Fields(s[1 : len(s)-1]) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}
