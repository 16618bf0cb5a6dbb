package engagement

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

// VersionColumn is the last column of the Control matrix and Samples
// sheets: the version of the row's conclusion or item when the workbook
// was exported, so a results sheet filled in outside socmap and imported
// back can tell what changed in socmap meanwhile.
const VersionColumn = "Row version"

// Result vocabularies.
var (
	DesignResults = []string{"not_assessed", "suitably_designed", "design_deficiency"}
	TestMethods   = []string{"inquiry", "observation", "inspection", "reperformance"}
	// Results of operating-effectiveness testing (Type II).
	TestResults = []string{"pending", "no_exceptions", "exceptions_noted", "not_tested_no_operation",
		"not_tested_other", "design_deficiency"}
)

// Result is the state of one control in one engagement.
type Result store.Result

func (Result) TableName() string { return "engagement_control_results" }

// ResultInput changes a control's result; nil fields stay as they are.
type ResultInput struct {
	DesignResult    *string
	DesignNotes     *string
	Implementation  *string
	ImplementedOn   *string  // "" clears it
	EvidenceIDs     *[]int64 // the evidence the conclusion relies on
	TestMethods     *[]string
	TestProcedure   *string
	Result          *string
	ResultNotes     *string
	SampleRisk      *string
	ShortfallReason *string
	// IfVersion, when set, is the version the writer read (If-Match): the
	// save is refused with apperr.KindStale unless the row is still at it.
	IfVersion *int64
}

// Label is a result as a report states it, e.g. "Exceptions noted (1 of
// 25)", with the reason when fewer items were tested than required.
func (r Result) Label() string {
	label := r.resultWords()
	if r.ShortfallReason != "" && (r.Result == "no_exceptions" || r.Result == "exceptions_noted") {
		label += "; fewer items tested than required: " + r.ShortfallReason
	}
	return label
}

func (r Result) resultWords() string {
	switch r.Result {
	case "no_exceptions":
		return "No exceptions noted"
	case "exceptions_noted":
		return fmt.Sprintf("Exceptions noted (%d of %d)", r.ExceptionsFound, r.TestedCount)
	case "not_tested_no_operation":
		return "Not tested: the control did not need to operate during the period"
	case "not_tested_other":
		return "Not tested"
	case "design_deficiency":
		return "Design deficiency"
	}
	return "Testing in progress"
}

func applyResult(r *Result, in ResultInput, typeII bool) apperr.Fields {
	fields := apperr.Fields{}
	fields.Text("design_notes", in.DesignNotes, &r.DesignNotes, 20000)
	fields.Text("test_procedure", in.TestProcedure, &r.TestProcedure, 20000)
	fields.Text("result_notes", in.ResultNotes, &r.ResultNotes, 20000)
	fields.Text("shortfall_reason", in.ShortfallReason, &r.ShortfallReason, 5000)
	if in.SampleRisk != nil {
		if !checkRisk(*in.SampleRisk) {
			fields["sample_risk"] = "lower, higher, or empty for the engagement's risk level"
		}
		r.SampleRisk = *in.SampleRisk
	}
	fields.Choice("design_result", in.DesignResult, &r.DesignResult, DesignResults)
	fields.Choice("implementation", in.Implementation, &r.Implementation, Implementations)
	fields.Date("implemented_on", in.ImplementedOn, &r.ImplementedOn)
	if typeII && (r.Implementation != "" || r.ImplementedOn != nil) {
		fields["implementation"] = "implementation as of a date is concluded in a Type I; a Type II tests operating effectiveness"
	}
	operating := in.TestMethods != nil || in.Result != nil || in.SampleRisk != nil || in.ShortfallReason != nil
	if operating && !typeII {
		fields["result"] = "a Type I engagement records design only; operating effectiveness is tested in a Type II"
		return fields
	}
	if in.TestMethods != nil {
		for _, m := range *in.TestMethods {
			if !slices.Contains(TestMethods, m) {
				fields["test_methods"] = "each must be one of " + strings.Join(TestMethods, ", ")
			}
		}
		methods := slices.Compact(slices.Sorted(slices.Values(*in.TestMethods)))
		if slices.Equal(methods, []string{"inquiry"}) {
			fields["test_methods"] = "inquiry alone is not enough: combine it with observation, inspection or reperformance"
		}
		r.TestMethods = strings.Join(methods, ",")
	}
	fields.Choice("result", in.Result, &r.Result, TestResults)
	if (r.Result == "no_exceptions" || r.Result == "exceptions_noted") && r.TestMethods == "" {
		fields["test_methods"] = "say how the control was tested"
	}
	return fields
}

func resultSnapshot(r Result, evidence []int64) map[string]any {
	return map[string]any{"design_result": r.DesignResult, "design_notes": r.DesignNotes,
		"implementation": r.Implementation, "implemented_on": deref(r.ImplementedOn), "evidence": fmt.Sprint(evidence), "test_methods": r.TestMethods, "test_procedure": r.TestProcedure,
		"result": r.Result, "exceptions_found": r.ExceptionsFound, "tested_count": r.TestedCount,
		"result_notes": r.ResultNotes, "sample_risk": r.SampleRisk, "shortfall_reason": r.ShortfallReason}
}

// SetResult records the design and test conclusions for a control in the
// engagement. The control must be in scope; relied-on evidence must be
// linked to the control.
func (s *Service) SetResult(ctx context.Context, id, controlID int64, in ResultInput) (Result, error) {
	var r Result
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.engagement(ctx, id)
		if err != nil {
			return err
		}
		if err := s.CheckInScope(ctx, id, controlID); err != nil {
			return err
		}
		if r, err = s.result(ctx, id, controlID); err != nil {
			return err
		}
		relied, err := s.st.ReliedEvidenceIDs(ctx, id, controlID)
		if err != nil {
			return err
		}
		before := resultSnapshot(r, relied)
		fields := applyResult(&r, in, e.ReportType == "type2")
		evidence := relied
		if in.EvidenceIDs != nil {
			evidence = slices.Compact(slices.Sorted(slices.Values(*in.EvidenceIDs)))
			if err := s.CheckLinked(ctx, controlID, evidence, fields); err != nil {
				return err
			}
		}
		if len(fields) == 0 {
			if fields, err = s.checkConclusion(ctx, e, &r, evidence); err != nil {
				return err
			}
		}
		if len(fields) > 0 {
			return apperr.Invalid("the result cannot be saved as given", fields)
		}
		r.UpdatedAt = s.now()
		if err := s.st.SaveResult(ctx, (*store.Result)(&r), in.IfVersion); err != nil {
			return err
		}
		if in.EvidenceIDs != nil {
			if err := s.st.PinEvidence(ctx, id, controlID, evidence); err != nil {
				return err
			}
		}
		if relied, err = s.st.ReliedEvidenceIDs(ctx, id, controlID); err != nil {
			return err
		}
		changes := auditlog.Diff(before, resultSnapshot(r, relied))
		if len(changes) == 0 {
			return nil
		}
		// A conclusion changed after its review is reviewed again.
		if err := s.st.MarkResultUnreviewed(ctx, id, controlID); err != nil {
			return err
		}
		changes["control_id"] = auditlog.Change{After: controlID}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.result", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	return r, err
}

// CheckLinked refuses relied-on evidence that is not linked to the control.
func (s *Service) CheckLinked(ctx context.Context, controlID int64, evidence []int64, fields apperr.Fields) error {
	if len(evidence) == 0 {
		return nil
	}
	n, err := s.st.CountLinkedLiveEvidence(ctx, controlID, evidence)
	if err == nil && n != len(evidence) {
		fields["evidence_ids"] = "only evidence linked to this control can be relied on"
	}
	return err
}

// checkConclusion checks a result against the facts of its engagement: a
// Type II's n of m from its samples, a Type I's implementation date and
// the recency of its evidence.
func (s *Service) checkConclusion(ctx context.Context, e Engagement, r *Result, evidence []int64) (apperr.Fields, error) {
	if e.ReportType == "type2" {
		return s.checkResult(ctx, e, r)
	}
	return s.checkTypeOne(ctx, e, *r, evidence)
}

// CheckInScope refuses a control outside the engagement's scope. It reads
// only the mappings and overrides, not the occurrence windows of every
// control, so it costs the same for one control as for a thousand.
func (s *Service) CheckInScope(ctx context.Context, id, controlID int64) error {
	d, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	in, err := s.InScope(ctx, d)
	if err != nil {
		return err
	}
	// A control retired during the period stays in it (it operated until
	// its retirement); one retired before it, or on an unknown day, is out.
	from := deref(d.AsOf)
	if d.ReportType == "type2" {
		from = deref(d.PeriodStart)
	}
	retired, err := s.st.RetiredBefore(ctx, controlID, from)
	if err != nil {
		return err
	}
	if !in[controlID] || retired {
		return apperr.Invalid("the control is not in this engagement's scope",
			map[string]string{"control_id": fmt.Sprintf("control %d is not in scope", controlID)})
	}
	return nil
}

// result is one control's result in an engagement: the defaults at
// version 0 when it has none yet.
func (s *Service) result(ctx context.Context, id, controlID int64) (Result, error) {
	row, err := s.st.ResultOf(ctx, id, controlID)
	if row.Version == 0 {
		row.DesignResult, row.Result = "not_assessed", "pending"
	}
	return Result(row), err
}

// Result returns one control's result in an engagement with the evidence
// it relies on; a control without one has the defaults at version 0.
func (s *Service) Result(ctx context.Context, id, controlID int64) (Result, []int64, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Result{}, nil, err
	}
	r, err := s.result(ctx, id, controlID)
	if err != nil {
		return r, nil, err
	}
	relied, err := s.st.ReliedEvidenceIDs(ctx, id, controlID)
	return r, relied, err
}

// Results returns every recorded result of an engagement by control, with
// the evidence each relies on.
func (s *Service) Results(ctx context.Context, id int64) (map[int64]Result, map[int64][]int64, error) {
	rows, err := s.st.ResultsOf(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	results := map[int64]Result{}
	for _, r := range rows {
		results[r.ControlID] = Result(r)
	}
	links, err := s.st.ReliedEvidenceOf(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	evidence := map[int64][]int64{}
	for _, l := range links {
		evidence[l.ControlID] = append(evidence[l.ControlID], l.EvidenceID)
	}
	return results, evidence, nil
}

// Exception is a deviation found in testing, with management's response.
type Exception = store.Exception

// ExceptionRow is an exception with its control's reference.
type ExceptionRow = store.ExceptionRow

// AddException records an exception found while testing a control.
func (s *Service) AddException(ctx context.Context, id, controlID int64, description, response string) (Exception, error) {
	x := Exception{EngagementID: id, ControlID: controlID, Description: strings.TrimSpace(description),
		ManagementResponse: strings.TrimSpace(response), CreatedAt: s.now(), UpdatedAt: s.now()}
	if x.Description == "" || len([]rune(x.Description)) > 20000 || len([]rune(x.ManagementResponse)) > 20000 {
		return x, apperr.Invalid("describe the exception", map[string]string{"description": "required, at most 20000 characters"})
	}
	if err := s.CheckInScope(ctx, id, controlID); err != nil {
		return x, err
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.CreateException(ctx, &x); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.exception", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"exception_id": x.ID,
				"control_id": controlID, "description": x.Description, "management_response": x.ManagementResponse})})
	})
	return x, err
}

// RespondToException records or changes management's response.
// ifVersion, when set, is the version the writer read (If-Match).
func (s *Service) RespondToException(ctx context.Context, id, exceptionID int64, response string, ifVersion *int64) (Exception, error) {
	return s.UpdateException(ctx, id, exceptionID, nil, &response, ifVersion)
}

// UpdateException changes an exception's description (one created from a
// failed attribute starts with the item and attribute) or management's
// response; nil leaves it as it is. A withdrawn exception is not found.
// ifVersion, when set, is the version the writer read (If-Match).
func (s *Service) UpdateException(ctx context.Context, id, exceptionID int64, description, response *string, ifVersion *int64) (Exception, error) {
	return s.ChangeException(ctx, id, exceptionID, ExceptionChange{Description: description, ManagementResponse: response, IfVersion: ifVersion})
}

// Exceptions lists an engagement's exceptions with their control refs.
func (s *Service) Exceptions(ctx context.Context, id int64) ([]ExceptionRow, error) {
	return s.st.ExceptionsOf(ctx, id)
}

// Exception returns one of an engagement's exceptions.
func (s *Service) Exception(ctx context.Context, id, exceptionID int64) (ExceptionRow, error) {
	x, err := s.st.ExceptionOf(ctx, id, exceptionID)
	if errors.Is(err, store.ErrNotFound) {
		return x, apperr.NotFound("exception %d not found in engagement %d", exceptionID, id)
	}
	return x, err
}

// Pinned gives, per control (all of them with controlID 0), the revision
// each piece of relied-on evidence with files is pinned to.
func (s *Service) Pinned(ctx context.Context, id, controlID int64) (map[int64]map[int64]int, error) {
	links, err := s.st.PinnedRevisions(ctx, id, controlID)
	if err != nil {
		return nil, err
	}
	out := map[int64]map[int64]int{}
	for _, l := range links {
		if out[l.ControlID] == nil {
			out[l.ControlID] = map[int64]int{}
		}
		out[l.ControlID][l.EvidenceID] = *l.Revision
	}
	return out, nil
}
