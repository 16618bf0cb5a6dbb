package results

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/sampling"
)

// ResultsChange is one value a results import changes.
type ResultsChange struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	What   string `json:"what"` // the control, or the sample item
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// ResultsConflict is a row a results import cannot apply, and why.
type ResultsConflict struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// ResultsPlan is what a results import changes and what stands in its
// way; Applied says whether it was applied (only when nothing does).
type ResultsPlan struct {
	Changes   []ResultsChange   `json:"changes"`
	Conflicts []ResultsConflict `json:"conflicts"`
	Applied   bool              `json:"applied"`
}

func (p *ResultsPlan) conflict(sheet string, row int, column, format string, args ...any) {
	p.Conflicts = append(p.Conflicts, ResultsConflict{Sheet: sheet, Row: row, Column: column, Message: fmt.Sprintf(format, args...)})
}

// errDryRun rolls a dry run's writes back.
var errDryRun = errors.New("dry run")

// ImportResults reads the auditor's filled-in results sheet (the
// engagement's workbook as socmap exports it): per control on the Control
// matrix the test methods, procedure and result; per sampled item on the
// Samples sheet the attribute results. It writes them as userID in one
// transaction, so a dry run (apply false) lists every change and every
// conflict — a row changed in socmap since the export, an unknown control
// or item, a value socmap refuses — exactly as applying would meet them,
// and applying writes all of it or, on any conflict, nothing.
func (s *Service) ImportResults(ctx context.Context, id, userID int64, name string, r io.Reader, apply bool) (ResultsPlan, error) {
	plan := ResultsPlan{Changes: []ResultsChange{}, Conflicts: []ResultsConflict{}}
	f, err := excelize.OpenReader(r)
	if err != nil {
		return plan, apperr.Invalid("the file is not an XLSX workbook", map[string]string{"file": "upload the engagement's workbook with the results filled in"})
	}
	defer func() { _ = f.Close() }()
	d, err := s.eng.Get(ctx, id)
	if err != nil {
		return plan, err
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		// Items first: a conclusion rests on its sample's results.
		if d.ReportType == "type2" {
			if err := s.importItems(ctx, d, userID, f, &plan); err != nil {
				return err
			}
		}
		if err := s.importConclusions(ctx, d, userID, f, &plan); err != nil {
			return err
		}
		if !apply || len(plan.Conflicts) > 0 {
			return errDryRun
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.results_import", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"file": {After: name}, "changes": {After: len(plan.Changes)}}})
	})
	if errors.Is(err, errDryRun) {
		return plan, nil
	}
	plan.Applied = err == nil
	return plan, err
}

// sheetColumns reads a sheet's rows and where each header stands; nil
// when the workbook has no such sheet.
func sheetColumns(f *excelize.File, sheet string) ([][]string, map[string]int, error) {
	if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		return nil, nil, err
	}
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		return nil, nil, err
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	return rows, col, nil
}

func cellOf(row []string, col map[string]int, name string) string {
	if i, ok := col[name]; ok && i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}

// exportedVersion is the row's version at export; a missing one is 0.
func exportedVersion(row []string, col map[string]int) (int64, bool) {
	v := cellOf(row, col, engagement.VersionColumn)
	if v == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

const matrixSheet = "Control matrix"

// importConclusions applies the Control matrix's test methods, procedure
// and result of every control whose row differs from socmap.
func (s *Service) importConclusions(ctx context.Context, d engagement.Detail, userID int64, f *excelize.File, plan *ResultsPlan) error {
	rows, col, err := sheetColumns(f, matrixSheet)
	if err != nil {
		return err
	}
	if rows == nil {
		plan.conflict(matrixSheet, 1, "", "the workbook has no %s sheet: import the engagement's workbook as exported", matrixSheet)
		return nil
	}
	controls, err := s.eng.Controls(ctx, d.ID)
	if err != nil {
		return err
	}
	byRef := map[string]engagement.ScopedControl{}
	for _, c := range controls {
		if c.Included {
			byRef[strings.ToUpper(c.Ref)] = c
		}
	}
	results, _, err := s.eng.Results(ctx, d.ID)
	if err != nil {
		return err
	}
	for i, row := range rows[1:] {
		line, ref := i+2, cellOf(row, col, "Control ID")
		if ref == "" {
			continue
		}
		c, ok := byRef[strings.ToUpper(ref)]
		if !ok {
			plan.conflict(matrixSheet, line, "Control ID", "%s is not a control in this engagement's scope", ref)
			continue
		}
		r := results[c.ID]
		in, changes, ok := conclusionInput(plan, line, ref, row, col, r, d.ReportType == "type2")
		if !ok || len(changes) == 0 {
			continue
		}
		exported, ok := exportedVersion(row, col)
		if !ok {
			plan.conflict(matrixSheet, line, engagement.VersionColumn, "not a version number")
			continue
		}
		if exported != r.Version {
			plan.conflict(matrixSheet, line, engagement.VersionColumn, "%s changed in socmap since the export (version %d, now %d): export again and fill in its row anew", ref, exported, r.Version)
			continue
		}
		in.IfVersion = &exported
		if _, err := s.eng.SetResult(ctx, d.ID, c.ID, in); err != nil {
			if !refused(plan, matrixSheet, line, err) {
				return err
			}
			continue
		}
		plan.Changes = append(plan.Changes, changes...)
	}
	return nil
}

// conclusionInput reads a Control matrix row against the control's
// result: what to save and the changes it makes; false when a value is
// not one socmap knows (the conflict is in plan).
func conclusionInput(plan *ResultsPlan, line int, ref string, row []string, col map[string]int, r engagement.Result, typeII bool) (engagement.ResultInput, []ResultsChange, bool) {
	var in engagement.ResultInput
	var changes []ResultsChange
	change := func(field, before, after string) {
		changes = append(changes, ResultsChange{Sheet: matrixSheet, Row: line, What: ref, Field: field, Before: before, After: after})
	}
	methods := []string{}
	for _, m := range strings.Split(cellOf(row, col, "Test method"), ",") {
		if m = strings.ToLower(strings.TrimSpace(m)); m == "" {
			continue
		}
		if !slices.Contains(engagement.TestMethods, m) {
			plan.conflict(matrixSheet, line, "Test method", "%q is not a test method: use %s", m, strings.Join(engagement.TestMethods, ", "))
			return in, nil, false
		}
		methods = append(methods, m)
	}
	methods = slices.Compact(slices.Sorted(slices.Values(methods)))
	result, ok := fromWords(cellOf(row, col, "Result"), engagement.TestResults)
	if !ok {
		plan.conflict(matrixSheet, line, "Result", "%q is not a result: use one of %s", cellOf(row, col, "Result"), wordsOf(engagement.TestResults))
		return in, nil, false
	}
	procedure := cellOf(row, col, "Test procedure")
	if strings.Join(methods, ",") != r.TestMethods && (typeII || len(methods) > 0) {
		in.TestMethods = &methods
		change("test methods", r.TestMethods, strings.Join(methods, ","))
	}
	if _, given := col["Test procedure"]; given && procedure != strings.TrimSpace(r.TestProcedure) {
		in.TestProcedure = &procedure
		change("test procedure", r.TestProcedure, procedure)
	}
	if current := cmp.Or(r.Result, "pending"); result != "" && result != current && (typeII || result != "pending") {
		in.Result = &result
		change("result", current, result)
	}
	return in, changes, true
}

// fromWords reads a value written as socmap exports it ("No exceptions")
// or as its code ("no_exceptions"); "" stays "".
func fromWords(v string, choices []string) (string, bool) {
	if v == "" {
		return "", true
	}
	for _, c := range choices {
		if strings.EqualFold(v, c) || strings.EqualFold(v, exports.Words(c)) {
			return c, true
		}
	}
	return "", false
}

func wordsOf(choices []string) string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = exports.Words(c)
	}
	return strings.Join(out, ", ")
}

// refused turns a save socmap refused into conflicts of the row; false
// when the error is not a refusal of the values.
func refused(plan *ResultsPlan, sheet string, line int, err error) bool {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid && e.Kind != apperr.KindStale && e.Kind != apperr.KindNotFound {
		return false
	}
	if len(e.Fields) == 0 {
		plan.conflict(sheet, line, "", "%s", e.Message)
	}
	for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
		plan.conflict(sheet, line, k, "%s: %s", e.Message, e.Fields[k])
	}
	return true
}

// attributeWords are the outcomes as the Samples sheet writes them.
var attributeWords = map[string]string{"pass": "pass", "fail": "fail", "not applicable": "na", "na": "na", "n/a": "na"}

// importItems applies the Samples sheet's attribute results of every
// sampled item whose row differs from socmap.
func (s *Service) importItems(ctx context.Context, d engagement.Detail, userID int64, f *excelize.File, plan *ResultsPlan) error {
	rows, col, err := sheetColumns(f, engagement.SamplesSheet)
	if err != nil || rows == nil {
		return err
	}
	first, last := col["Item date"]+1, col["Exception"]
	items, err := s.sampledItems(ctx, d.ID)
	if err != nil {
		return err
	}
	for i, row := range rows[1:] {
		line := i + 2
		sample, itemID := cellOf(row, col, "Sample"), cellOf(row, col, "Item")
		if sample == "" && itemID == "" {
			continue
		}
		sampleID, err := strconv.ParseInt(sample, 10, 64)
		it, ok := items[sampledKey{sampleID, itemID}]
		what := fmt.Sprintf("sample %s item %s", sample, itemID)
		if err != nil || !ok {
			plan.conflict(engagement.SamplesSheet, line, "Item", "%s is not a sampled item of this engagement", what)
			continue
		}
		results, changes, ok := itemResults(plan, line, what, rows[0], row, first, last, it)
		if !ok || len(changes) == 0 {
			continue
		}
		exported, ok := exportedVersion(row, col)
		if !ok || exported != it.item.Version {
			plan.conflict(engagement.SamplesSheet, line, engagement.VersionColumn, "%s changed in socmap since the export (version %d, now %d): export again and fill in its row anew", what, exported, it.item.Version)
			continue
		}
		in := sampling.ItemInput{Results: results, Notes: it.item.Notes, TestedOn: it.item.TestedOn}
		if err := s.sampling.RecordSampleItem(ctx, d.ID, sampleID, it.item.Seq, userID, in); err != nil {
			if !refused(plan, engagement.SamplesSheet, line, err) {
				return err
			}
			continue
		}
		plan.Changes = append(plan.Changes, changes...)
	}
	return nil
}

type sampledKey struct {
	sample int64
	item   string
}

// sampled is an item of a current sample with its sample's attributes.
type sampled struct {
	item       engagement.SampledItem
	attributes []string
}

// sampledItems are the engagement's current sampled items by sample and
// item ID.
func (s *Service) sampledItems(ctx context.Context, id int64) (map[sampledKey]sampled, error) {
	controls, err := s.eng.Controls(ctx, id)
	if err != nil {
		return nil, err
	}
	out := map[sampledKey]sampled{}
	for _, c := range controls {
		if !c.Included {
			continue
		}
		w, err := s.eng.Work(ctx, id, c.ID)
		if err != nil {
			return nil, err
		}
		for _, smp := range w.Samples {
			attrs, err := smp.AttributeList()
			if err != nil {
				return nil, err
			}
			for _, it := range w.Items[smp.ID] {
				out[sampledKey{smp.ID, it.ItemID}] = sampled{item: it, attributes: attrs}
			}
		}
	}
	return out, nil
}

// itemResults reads a Samples row's attribute cells against the item's
// results: its results as the row gives them and the changes they make.
func itemResults(plan *ResultsPlan, line int, what string, header, row []string, first, last int, it sampled) (map[string]string, []ResultsChange, bool) {
	current, err := it.item.ResultMap()
	if err != nil {
		plan.conflict(engagement.SamplesSheet, line, "", "%s: %v", what, err)
		return nil, nil, false
	}
	results := map[string]string{}
	var changes []ResultsChange
	for j := first; j < last && j < len(header); j++ {
		attr := header[j]
		v := ""
		if j < len(row) {
			v = strings.ToLower(strings.TrimSpace(row[j]))
		}
		outcome, known := attributeWords[v]
		switch {
		case !slices.Contains(it.attributes, attr):
			if v != "" {
				plan.conflict(engagement.SamplesSheet, line, attr, "%q is not an attribute tested in this item's sample", attr)
				return nil, nil, false
			}
			continue
		case v != "" && !known:
			plan.conflict(engagement.SamplesSheet, line, attr, "%q is not an outcome: use Pass, Fail or Not applicable", row[j])
			return nil, nil, false
		}
		if outcome != "" {
			results[attr] = outcome
		}
		if outcome != current[attr] {
			changes = append(changes, ResultsChange{Sheet: engagement.SamplesSheet, Row: line, What: what, Field: attr, Before: current[attr], After: outcome})
		}
	}
	return results, changes, true
}
