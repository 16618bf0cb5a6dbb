package workbook

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/results"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// workbookControl is a control with the attributes the control matrix shows.
type workbookControl = store.ControlWithOwner

// workbookEvidence is evidence of an in-scope control for the evidence index.
type workbookEvidence = store.EvidenceIndexRow

// Live is the workbook of the engagement as the database has it now: a
// function that writes its Summary (first, once the other sheets are
// written) and the other sheets, in the order a senior auditor expects.
func (s *Service) Live(ctx context.Context, id int64, version string) (func(exports.Written) exports.Table, []exports.Table, error) {
	d, err := s.eng.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	scoped, err := s.eng.Controls(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	results, _, err := s.eng.Results(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	rollup, ready, err := s.eng.RollUpOf(ctx, d, scoped, results)
	if err != nil {
		return nil, nil, err
	}
	exceptions, err := s.eng.Exceptions(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	cuecs, subs, err := s.st.ComplementaryOf(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var ids []int64
	for _, c := range scoped {
		if c.Included {
			ids = append(ids, c.ID)
		}
	}
	controls, err := s.st.ControlsByRefWithOwners(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	evidenceCount, err := s.st.LiveEvidenceCountOf(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	expected, err := s.expectedEvidence(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	work := map[int64]engagement.TestWork{}
	if d.ReportType == "type2" {
		for _, id := range ids {
			if work[id], err = s.eng.Work(ctx, d.ID, id); err != nil {
				return nil, nil, err
			}
		}
	}
	b := newSheetBuilder(d, scoped, results, controls, expected, work)
	b.graceDays = s.eng.GraceDays
	if b.signOffs, err = s.st.SignOffs(ctx, id); err != nil {
		return nil, nil, err
	}
	if b.evaluations, err = s.st.ExceptionEvaluations(ctx, id); err != nil {
		return nil, nil, err
	}
	if b.criterionEvaluations, err = s.eng.CriterionEvaluations(ctx, id); err != nil {
		return nil, nil, err
	}
	b.dependsOn = dependencies(rollup, scoped, cuecs, subs)
	if !b.typeII() {
		if b.walkthroughs, err = s.walkthroughs(ctx, id); err != nil {
			return nil, nil, err
		}
	}
	if b.users, err = s.eng.UserEmails(ctx); err != nil {
		return nil, nil, err
	}
	tables := []exports.Table{b.controlMatrix(), b.coverage(rollup), b.sectionIV(rollup, exceptions, cuecs, subs), s.evidenceIndex(ctx, id, ids)}
	if d.ReportType == "type2" {
		samples, err := b.samples()
		if err != nil {
			return nil, nil, err
		}
		tables = append(tables, b.operation(), b.occurrences(), b.populations(), samples, b.exceptions(exceptions))
	}
	b.releaseWindows()
	requests, err := s.RequestsTable(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	tables = append(tables, complementaryTable(cuecs, subs), requests)
	org, err := s.eng.OrganisationName(ctx)
	if err != nil {
		return nil, nil, err
	}
	counts := map[string]int{"controls": len(ids), "requirements": len(rollup), "evidence": evidenceCount, "exceptions": len(exceptions)}
	summary := func(w exports.Written) exports.Table {
		return summaryTable(org, d, counts, ready, version, w)
	}
	return summary, tables, nil
}

// expectedTitles is how many evidence titles the control matrix names per
// control; the rest are counted.
const expectedTitles = 3

// expected is the evidence a control has: its first titles and how many.
type expected struct {
	titles []string
	count  int
}

// expectedEvidence reads every control's evidence titles with a cursor,
// keeping a few per control, so memory does not grow with the evidence.
func (s *Service) expectedEvidence(ctx context.Context, ids []int64) (map[int64]*expected, error) {
	out := map[int64]*expected{}
	err := s.st.EachLiveEvidenceTitle(ctx, ids, func(controlID int64, title string) error {
		x := out[controlID]
		if x == nil {
			x = &expected{}
			out[controlID] = x
		}
		x.count++
		if len(x.titles) < expectedTitles {
			x.titles = append(x.titles, title)
		}
		return nil
	})
	return out, err
}

func (x *expected) String() string {
	if x == nil {
		return ""
	}
	s := strings.Join(x.titles, "; ")
	if more := x.count - len(x.titles); more > 0 {
		s += fmt.Sprintf("; and %d more", more)
	}
	return s
}

type sheetBuilder struct {
	d        engagement.Detail
	scoped   []engagement.ScopedControl
	byID     map[int64]engagement.ScopedControl
	results  map[int64]engagement.Result
	controls []workbookControl
	expected map[int64]*expected
	work     map[int64]engagement.TestWork
	// graceDays is how long after a window closes its evidence is due.
	graceDays   int
	signOffs    map[int64]store.SignOff
	evaluations map[int64]store.ExceptionEvaluation
	// dependsOn names, per control, the CUECs and CSOCs its requirements
	// depend on and the subservice organisations it monitors.
	dependsOn map[int64][]string
	users     map[int64]string // e-mail addresses by user ID
	// walkthroughs are a Type I's, by control.
	walkthroughs map[int64]results.Walkthrough
	// criterionEvaluations are the evaluations of criteria's deviations, by requirement.
	criterionEvaluations map[int64]engagement.CriterionEvaluation
}

func newSheetBuilder(d engagement.Detail, scoped []engagement.ScopedControl, results map[int64]engagement.Result, controls []workbookControl,
	expected map[int64]*expected, work map[int64]engagement.TestWork) sheetBuilder {
	b := sheetBuilder{d: d, scoped: scoped, results: results, controls: controls, expected: expected, work: work,
		byID: map[int64]engagement.ScopedControl{}}
	for _, c := range scoped {
		b.byID[c.ID] = c
	}
	return b
}

func (b sheetBuilder) typeII() bool { return b.d.ReportType == "type2" }

func (b sheetBuilder) scopedControl(id int64) engagement.ScopedControl { return b.byID[id] }

func yesNo(v bool) string {
	if v {
		return "Yes"
	}
	return "No"
}

func summaryTable(org string, d engagement.Detail, counts map[string]int, ready engagement.Readiness, version string, w exports.Written) exports.Table {
	report := map[string]string{"soc1": "SOC 1", "soc2": "SOC 2"}[d.Report] + " " + map[string]string{"type1": "Type I", "type2": "Type II"}[d.ReportType]
	dates := "As of " + deref(d.AsOf)
	if d.ReportType == "type2" {
		dates = deref(d.PeriodStart) + " to " + deref(d.PeriodEnd)
	}
	categories := make([]string, len(d.CategoryList()))
	for i, c := range d.CategoryList() {
		categories[i] = exports.Words(c) // "Processing integrity", as the report names it
	}
	scope := strings.Join(categories, ", ")
	if d.Report == "soc1" {
		scope = "Objectives: " + strings.Join(d.Objectives, ", ")
	}
	rows := [][]any{
		{"Organisation", org}, {"Engagement", d.Name}, {"Report", report}, {"Date or period", dates}, {"Scope", scope},
		{"Audit firm", strings.TrimSpace(d.AuditFirm + " " + d.AuditorContact)}, {"Testing", d.TestedBy()}, {"Status", exports.Words(d.Status)},
		{"Controls in scope", counts["controls"]}, {"Requirements in scope", counts["requirements"]},
		{"Evidence items", counts["evidence"]}, {"Exceptions", counts["exceptions"]},
		{"Readiness", exports.Percent(float64(ready.Percent) / 100)},
	}
	for _, p := range ready.Parts {
		// A number with a percentage format, the counts it comes from in words.
		var share any
		if p.Total > 0 {
			share = exports.Percent(float64(p.Done) / float64(p.Total))
		}
		rows = append(rows, []any{fmt.Sprintf("  %s (%d of %d)", p.Name, p.Done, p.Total), share})
	}
	rows = append(rows, Footer(w, version)...)
	return exports.Table{Name: "Summary", Columns: SummaryColumns, Rows: rows}
}

// SummaryColumns are the columns of the Summary sheet.
var SummaryColumns = []exports.Column{{Header: "Item", Width: 46}, {Header: "Value", Width: 80}}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// controlMatrix is one row per control in scope with what an auditor's
// control matrix holds: the organisation's description of the control
// (risk, IPE, evidence it expects to leave), its dependencies on
// complementary controls, and the engagement's conclusions: for a Type II
// design and operating effectiveness, for a Type I design, implementation
// and the walkthrough, without a column of operating effectiveness.
func (b sheetBuilder) controlMatrix() exports.Table {
	cols := []exports.Column{{Header: "Control ID", Width: 12}, {Header: "Title", Width: 30}, {Header: "Description", Width: 60},
		{Header: "Mapped requirements", Width: 24}, {Header: "Risk addressed", Width: 36}, {Header: "Owner", Width: 24},
		{Header: "Performer", Width: 18}, {Header: "Frequency", Width: 14, Words: true}, {Header: "Nature", Width: 14, Words: true},
		{Header: "Type", Width: 12, Words: true}, {Header: "Key", Width: 6}, {Header: "IPE", Width: 6},
		{Header: "IPE relied on", Width: 30}, {Header: "Systems", Width: 20}, {Header: "Implemented on", Width: 14, Kind: exports.Date},
		{Header: "Changes in the period", Width: 24}, {Header: "Evidence expected", Width: 40}, {Header: "Evidence on file", Width: 40},
		{Header: "CUEC or CSOC dependency", Width: 30},
		{Header: "Design result", Width: 18, Choices: engagement.DesignResults, Words: true}}
	if b.typeII() {
		cols = append(cols, operatingColumns...)
	} else {
		cols = append(cols, typeOneColumns...)
	}
	cols = append(cols, signOffColumns...)
	if b.typeII() {
		cols = append(cols, exports.Column{Header: "Result", Width: 26, Choices: engagement.TestResults, Words: true}, exports.Column{Header: "Exceptions", Width: 12})
	}
	cols = append(cols, exports.Column{Header: engagement.VersionColumn, Width: 8, Kind: exports.Number})
	rows := make([][]any, 0, len(b.controls))
	for _, c := range b.controls {
		sc, r, who := b.scopedControl(c.ID), b.results[c.ID], b.signOffs[c.ID]
		row := []any{c.Ref, c.Title, c.Description, strings.Join(sc.Requirements, ", "), c.RiskAddressed,
			c.OwnerEmail, c.Performer, c.Frequency, c.Nature, c.ControlType, yesNo(c.KeyControl), yesNo(c.IPE), c.IPERelied,
			c.Systems, c.ImplementedOn, b.changesInPeriod(c.Control), c.EvidenceExpected, b.expected[c.ID].String(),
			strings.Join(b.dependsOn[c.ID], "; "), cmp.Or(r.DesignResult, "not_assessed")}
		if b.typeII() {
			row = append(row, b.operatingCells(c.ID, sc, r)...)
		} else {
			row = append(row, b.typeOneCells(c, sc, r)...)
		}
		row = append(row, b.signer(r.PreparedBy, who.Tester), r.PreparedOn, b.signer(r.ReviewedBy, who.Reviewer), r.ReviewedOn)
		if b.typeII() {
			exceptions := ""
			if r.Result == "exceptions_noted" {
				exceptions = fmt.Sprintf("%d of %d", r.ExceptionsFound, r.TestedCount)
			}
			row = append(row, cmp.Or(r.Result, "pending"), exceptions)
		}
		rows = append(rows, append(row, r.Version))
	}
	return exports.Table{Name: "Control matrix", Columns: cols, Rows: rows}
}

var operatingColumns = []exports.Column{{Header: "Test method", Width: 20}, {Header: "Test procedure", Width: 50},
	{Header: "Population size", Width: 12, Kind: exports.Number}, {Header: "Sample size", Width: 10, Kind: exports.Number}}

var signOffColumns = []exports.Column{{Header: "Prepared by", Width: 22}, {Header: "Prepared on", Width: 12, Kind: exports.Date},
	{Header: "Reviewed by", Width: 22}, {Header: "Reviewed on", Width: 12, Kind: exports.Date}}

// typeOneColumns are a Type I's conclusions beyond design: implementation
// as of the date and the walkthrough it rests on.
var typeOneColumns = []exports.Column{{Header: "Implementation", Width: 16, Choices: engagement.Implementations[1:], Words: true},
	{Header: "In place since", Width: 12, Kind: exports.Date}, {Header: "Walkthrough on", Width: 12, Kind: exports.Date},
	{Header: "Walkthrough participants", Width: 26}, {Header: "Instance traced", Width: 30}, {Header: "Evidence inspected", Width: 36},
	{Header: "Evidence " + engagement.StaleWords, Width: 16}}

func (b sheetBuilder) operatingCells(id int64, sc engagement.ScopedControl, r engagement.Result) []any {
	var population, sample any
	if sc.Sample != nil {
		population, sample = sc.Sample.Population, sc.Sample.Size
	}
	// Once tested, the figures are the test's: interim and remainder
	// populations together, and every item drawn from them.
	if w := b.work[id]; w.Population != nil {
		population = w.Stats.Items()
		if n := w.SampleSize(); n > 0 {
			sample = n
		}
	}
	return []any{strings.ReplaceAll(r.TestMethods, ",", ", "), r.TestProcedure, population, sample}
}

func (b sheetBuilder) typeOneCells(c workbookControl, sc engagement.ScopedControl, r engagement.Result) []any {
	var implementation, since any
	if r.Implementation != "" {
		implementation = r.Implementation
	}
	if on := engagement.ImplementedSince(r, c.ImplementedOn); on != "" {
		since = on
	}
	w := b.walkthroughs[c.ID]
	inspected := w.EvidenceInspected
	if ids := w.Evidence(); len(ids) > 0 {
		inspected = strings.TrimSpace(inspected + "\nEvidence IDs: " + fmt.Sprint(evidenceList(ids)))
	}
	var on any
	if w.PerformedOn != "" {
		on = w.PerformedOn
	}
	return []any{implementation, since, on, w.Participants, w.InstanceTraced, inspected, evidenceList(sc.Stale)}
}

// signer names who signed a piece of work off; a conclusion signed before
// sign-offs were by user keeps the name the audit firm wrote.
func (b sheetBuilder) signer(id *int64, written string) string {
	if id == nil {
		return written
	}
	return b.users[*id]
}

// changesInPeriod says when a control was implemented or retired inside a
// Type II period (or, for a Type I, retired before its date).
func (b sheetBuilder) changesInPeriod(c store.Control) string {
	from, to := deref(b.d.PeriodStart), deref(b.d.PeriodEnd)
	if !b.typeII() {
		from, to = "", deref(b.d.AsOf)
	}
	var out []string
	if on := deref(c.ImplementedOn); on != "" && on > from && on <= to {
		out = append(out, "Implemented on "+on)
	}
	if on := deref(c.RetiredOn); on != "" && on >= from && on < to {
		out = append(out, "Retired on "+on)
	}
	return strings.Join(out, "; ")
}

// dependencies names, per control, the CUECs and CSOCs that its
// requirements depend on and the subservice organisations it monitors.
func dependencies(reqs []engagement.RequirementRollUp, scoped []engagement.ScopedControl, cuecs []store.CUEC, subs []store.Subservice) map[int64][]string {
	byRef := map[string]int64{}
	for _, c := range scoped {
		byRef[c.Ref] = c.ID
	}
	complementary := complementaryRefs(cuecs, subs)
	out := map[int64][]string{}
	add := func(id int64, names ...string) {
		for _, n := range names {
			if !slices.Contains(out[id], n) {
				out[id] = append(out[id], n)
			}
		}
	}
	for _, r := range reqs {
		names := complementary[r.FrameworkID+"/"+r.Ref]
		for _, ref := range r.Controls {
			add(byRef[ref], names...)
		}
	}
	for _, s := range subs {
		if s.MonitoringControlID != nil {
			add(*s.MonitoringControlID, "Monitors "+s.Name+" ("+exports.Words(s.Method)+")")
		}
	}
	return out
}

func (b sheetBuilder) coverage(rollup []engagement.RequirementRollUp) exports.Table {
	states := engagement.ConclusionStates
	rows := make([][]any, len(rollup))
	for i, r := range rollup {
		rows[i] = append([]any{r.Ref, r.Title, strings.Join(r.Controls, ", "), r.State, r.Reason}, b.evaluationCells(r.ID)...)
	}
	return exports.Table{Name: "Criteria coverage", Columns: []exports.Column{{Header: "Requirement", Width: 12},
		{Header: "Title", Width: 34}, {Header: "Controls", Width: 18}, {Header: "Conclusion", Width: 20, Choices: states, Words: true},
		{Header: "Not applicable because", Width: 24}, {Header: "Deviations evaluated", Width: 24}, {Header: "Cause", Width: 30},
		{Header: "Isolated or systemic", Width: 11}, {Header: "Compensating controls", Width: 16},
		{Header: "Evaluation concludes", Width: 12, Choices: engagement.EvaluationConclusions, Words: true},
		{Header: "Evaluated by", Width: 22}, {Header: "Evaluated on", Width: 12, Kind: exports.Date},
		{Header: "Evaluation prepared by", Width: 22}, {Header: "Prepared on", Width: 12, Kind: exports.Date},
		{Header: "Evaluation reviewed by", Width: 22}, {Header: "Reviewed on", Width: 12, Kind: exports.Date}}, Rows: rows}
}

// evaluationCells are the recorded evaluation of a criterion's deviations
// as the coverage sheet states it: the rate against the tolerable rate,
// the cause, the compensating controls, the conclusion, who evaluated it
// and its sign-offs. A criterion without one has blank cells.
func (b sheetBuilder) evaluationCells(requirementID int64) []any {
	ev, ok := b.criterionEvaluations[requirementID]
	if !ok {
		return make([]any, 11)
	}
	extent := "Isolated"
	if ev.Systemic {
		extent = "Systemic"
	}
	refs := make([]string, len(ev.Compensating))
	for i, c := range ev.Compensating {
		refs[i] = c.Ref
	}
	rate := fmt.Sprintf("%d of %d (%.1f %%) against %.0f %% tolerable", ev.Deviations, ev.SampleSize, ev.DeviationRate, ev.TolerableRate)
	return []any{rate, ev.Cause, extent, strings.Join(refs, ", "), ev.Conclusion, b.users[ev.EvaluatedBy],
		ev.EvaluatedAt.UTC().Format(time.DateOnly), b.signer(ev.PreparedBy, ""), ev.PreparedOn, b.signer(ev.ReviewedBy, ""), ev.ReviewedOn}
}

// evidenceIndex streams the evidence of the in-scope controls from a
// database cursor: the largest sheet never sits in memory.
func (s *Service) evidenceIndex(ctx context.Context, engagementID int64, ids []int64) exports.Table {
	stream := func(emit func([]any) error) error {
		today := time.Now().UTC().Format(time.DateOnly)
		return s.st.EachEvidenceIndexRow(ctx, engagementID, ids, func(e workbookEvidence) error {
			return emit(evidenceRow(e, today))
		})
	}
	return exports.Table{Name: "Evidence index", Columns: []exports.Column{{Header: "Evidence ID", Width: 10, Kind: exports.Number},
		{Header: "Title", Width: 36}, {Header: "File name", Width: 28}, {Header: "Size (bytes)", Width: 12, Kind: exports.Number},
		{Header: "SHA-256", Width: 66}, {Header: "Controls", Width: 18}, {Header: "Period or as-of", Width: 24},
		{Header: "Collected on", Width: 13, Kind: exports.Date}, {Header: "Provided by", Width: 18},
		{Header: "Status", Width: 10, Choices: []string{"current", "expired"}, Words: true}, {Header: "Link", Width: 40, Kind: exports.Link}}, Stream: stream}
}

func evidenceRow(e workbookEvidence, today string) []any {
	period := ""
	switch {
	case e.CoversFrom != nil:
		period = *e.CoversFrom + " to " + deref(e.CoversTo)
	case e.AsOf != nil:
		period = "as of " + *e.AsOf
	}
	var size any
	if e.Size != nil {
		size = *e.Size
	}
	status := "current"
	if e.ExpiresOn != nil && *e.ExpiresOn < today {
		status = "expired"
	}
	var fileName any
	if e.FileName != nil {
		fileName = *e.FileName
	}
	return []any{e.ID, e.Title, fileName, size, e.SHA256, e.Controls, period, e.CollectedOn, e.ProvidedBy, status, e.URL}
}

// operation is one row per in-scope control on when it operates: its
// schedule in words, its calendar, implementation and retirement, how it
// is tested, how many windows the period expects and what changed in it.
func (b sheetBuilder) operation() exports.Table {
	var rows [][]any
	for _, c := range b.scoped {
		if !c.Included {
			continue
		}
		var changes []string
		for _, ch := range c.Changes {
			changes = append(changes, ch.Kind+" on "+ch.On.String())
		}
		rows = append(rows, []any{c.Ref, c.Frequency, c.Schedule, c.Calendar, deref(c.ImplementedOn), deref(c.RetiredOn),
			c.ReplacedBy, basisWords[c.Basis], len(c.Windows), strings.Join(changes, "; ")})
	}
	return exports.Table{Name: "Control operation", Columns: []exports.Column{{Header: "Control", Width: 12},
		{Header: "Frequency", Width: 14, Words: true}, {Header: "Schedule", Width: 40}, {Header: "Calendar", Width: 30},
		{Header: "Implemented", Width: 12, Kind: exports.Date}, {Header: "Retired", Width: 12, Kind: exports.Date},
		{Header: "Replaced by", Width: 12}, {Header: "Tested by", Width: 36}, {Header: "Expected windows", Width: 10},
		{Header: "Changes in the period", Width: 40}}, Rows: rows}
}

var basisWords = map[period.Basis]string{period.ByWindows: "a sample of its occurrence windows",
	period.ByPopulation: "a sample of its counted population", period.Baseline: "a test of one (automated)"}

// sampleItem is the ID of the sampled item an exception was found on.
func (b sheetBuilder) sampleItem(x engagement.ExceptionRow) string {
	if x.SampleID == nil || x.SampleSeq == nil {
		return ""
	}
	for _, it := range b.work[x.ControlID].Items[*x.SampleID] {
		if it.Seq == *x.SampleSeq {
			return it.ItemID
		}
	}
	return ""
}

// exceptions is one row per exception with what decides whether its
// criterion is still met: n of m, the sampled item, when it was identified, its
// cause and extent, compensating controls, remediation and retest, and
// management's response.
func (b sheetBuilder) exceptions(list []engagement.ExceptionRow) exports.Table {
	rows := make([][]any, len(list))
	for i, x := range list {
		r, ev := b.results[x.ControlID], b.evaluations[x.ID]
		nOfM := ""
		if r.Result == "exceptions_noted" {
			nOfM = fmt.Sprintf("%d of %d", r.ExceptionsFound, r.TestedCount)
		}
		rows[i] = []any{x.ID, x.ControlRef, nOfM, b.sampleItem(x), ev.IdentifiedOn, x.Description, ev.RootCause, ev.Extent,
			ev.CompensatingControls, ev.Remediation, ev.Retest, b.signer(ev.PreparedBy, ""), ev.PreparedOn,
			b.signer(ev.ReviewedBy, ""), ev.ReviewedOn, x.ManagementResponse}
	}
	return exports.Table{Name: "Exceptions", Columns: []exports.Column{{Header: "Exception", Width: 10, Kind: exports.Number},
		{Header: "Control", Width: 10}, {Header: "n of m", Width: 8}, {Header: "Sample item", Width: 12},
		{Header: "Identified on", Width: 12, Kind: exports.Date}, {Header: "Description", Width: 40},
		{Header: "Root cause", Width: 26}, {Header: "Isolated or systemic", Width: 12, Choices: engagement.Extents, Words: true},
		{Header: "Compensating controls", Width: 24}, {Header: "Remediation", Width: 24}, {Header: "Retest", Width: 24},
		{Header: "Evaluation prepared by", Width: 22}, {Header: "Prepared on", Width: 12, Kind: exports.Date},
		{Header: "Evaluation reviewed by", Width: 22}, {Header: "Reviewed on", Width: 12, Kind: exports.Date},
		{Header: "Management's response (unaudited)", Width: 36}}, Rows: rows}
}

func complementaryTable(cuecs []store.CUEC, subs []store.Subservice) exports.Table {
	var rows [][]any
	for _, c := range cuecs {
		rows = append(rows, []any{c.Ref(), "CUEC", "", "", c.Text, strings.ReplaceAll(c.Requirements, ",", ", ")})
	}
	for _, s := range subs {
		rows = append(rows, []any{"", "Subservice organisation", s.Name, s.Method, s.Services, ""})
		for _, cs := range s.CSOCs {
			rows = append(rows, []any{cs.Ref(), "CSOC", s.Name, s.Method, cs.Text, strings.ReplaceAll(cs.Requirements, ",", ", ")})
		}
	}
	return exports.Table{Name: "CUECs and subservice", Columns: []exports.Column{{Header: "Ref", Width: 9}, {Header: "Kind", Width: 22},
		{Header: "Subservice organisation", Width: 26}, {Header: "Method", Width: 12, Words: true}, {Header: "Control or services", Width: 60},
		{Header: "Requirements", Width: 30}}, Rows: rows}
}

// Footer are the Summary rows written at each export, not kept in
// the record: the cells shortened in this file, when and by which version
// it was generated.
func Footer(w exports.Written, version string) [][]any {
	var rows [][]any
	if len(w.Shortened) > 0 {
		rows = append(rows, []any{"Cells shortened to Excel's limit", strings.Join(w.Shortened, ", ")})
	}
	return append(rows, []any{"Generated at (UTC)", time.Now().UTC().Format("2006-01-02 15:04:05")}, []any{"socmap version", version})
}
