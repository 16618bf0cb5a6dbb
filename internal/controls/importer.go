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

// ImportRow is one control as read from the file, with its row number.
type ImportRow struct {
	Row    int
	Fields map[string]string
	Cells  map[string]string // field -> the cell it was read from, e.g. "G4"
}

// ImportProblem is one error, with the spreadsheet's row, the control
// field (or the file's header, for a column not imported) and the cell.
type ImportProblem struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Cell   string `json:"cell,omitempty"`
	Reason string `json:"reason"`
}

// PlannedChange is what importing a row does.
type PlannedChange struct {
	Row     int      `json:"row"`
	Ref     string   `json:"ref"`
	Action  string   `json:"action"` // create, update, unchanged
	Changes []string `json:"changes"`
}

// Plan is the outcome of a dry run or an apply.
type Plan struct {
	Changes  []PlannedChange `json:"changes"`
	Problems []ImportProblem `json:"problems"`
	Warnings []ImportProblem `json:"warnings"` // columns not imported
	Applied  bool            `json:"applied"`
}

// unneutralise undoes the export's protection against formula injection:
// a quote added before a formula-like first character.
func unneutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// Import checks every row against the database and, when apply is set and
// no row has a problem, creates or updates the controls and adds their
// mappings in one transaction: all rows or none. It is idempotent by
// reference: importing the same file twice changes nothing the second time.
func (s *Service) Import(ctx context.Context, m Matrix, apply bool) (Plan, error) {
	plan := Plan{Changes: []PlannedChange{}, Problems: append([]ImportProblem{}, m.Problems...),
		Warnings: append([]ImportProblem{}, m.Warnings...)}
	if len(plan.Problems) > 0 {
		return plan, nil
	}
	rows := m.Rows
	errNotApplied := errors.New("dry run")
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		run, err := s.newImportRun(ctx)
		if err != nil {
			return err
		}
		seen := map[string]int{}
		for _, row := range rows {
			ref := row.Fields["ref"]
			if first, dup := seen[strings.ToLower(ref)]; dup && ref != "" {
				plan.Problems = append(plan.Problems, ImportProblem{Row: row.Row, Column: "reference", Cell: row.Cells["ref"],
					Reason: fmt.Sprintf("%s repeats row %d", ref, first)})
				continue
			}
			seen[strings.ToLower(ref)] = row.Row
			change, problems := s.importRow(ctx, run, row)
			plan.Problems = append(plan.Problems, problems...)
			plan.Changes = append(plan.Changes, change)
		}
		if len(plan.Problems) > 0 || !apply {
			return errNotApplied // roll back whatever was tried
		}
		if len(run.mappings) > 0 {
			if err := s.db.InsertInBatches(ctx, &run.mappings, 1000); err != nil {
				return err
			}
		}
		return auditlog.AppendIn(ctx, s.db, run.events...)
	})
	if errors.Is(err, errNotApplied) {
		return plan, nil
	}
	plan.Applied = err == nil
	s.Changed.Notify(ctx, err, nil)
	return plan, err
}

// importRun is one import's transaction, what it has looked up so far
// (each owner and requirement once, every control up front) and the audit
// entries it appends in one batch when it is done.
type importRun struct {
	s        *Service
	owners   map[string]int64         // e-mail -> user ID, 0 when unknown
	reqs     map[string]resolved      // list item -> requirement
	existing map[string]store.Control // lower-case ref -> control: refs are unique in any case
	mappings []store.Mapping          // inserted in one batch at the end
	events   []auditlog.Event
}

type resolved struct {
	req store.Requirement
	ok  bool
}

func (s *Service) newImportRun(ctx context.Context) (*importRun, error) {
	all, err := s.db.AllControls(ctx)
	if err != nil {
		return nil, err
	}
	run := &importRun{s: s, owners: map[string]int64{}, reqs: map[string]resolved{}, existing: map[string]store.Control{}}
	for _, c := range all {
		run.existing[strings.ToLower(c.Ref)] = c
	}
	return run, nil
}

// owner is the ID of the user with this e-mail address, 0 when there is none.
func (run *importRun) owner(ctx context.Context, email string) (int64, error) {
	email = store.NormalizeEmail(email)
	id, seen := run.owners[email]
	if !seen {
		u, err := run.s.db.UserByEmail(ctx, email)
		switch {
		case err == nil:
			id = u.ID
		case !errors.Is(err, store.ErrNotFound):
			return 0, err
		}
		run.owners[email] = id
	}
	return id, nil
}

func (s *Service) importRow(ctx context.Context, run *importRun, row ImportRow) (PlannedChange, []ImportProblem) {
	f := row.Fields
	var problems []ImportProblem
	report := func(column, reason string) {
		problems = append(problems, ImportProblem{Row: row.Row, Column: column, Cell: row.Cells[importField(column)], Reason: reason})
	}
	in := Input{}
	for name, dst := range map[string]**string{"ref": &in.Ref, "title": &in.Title, "description": &in.Description,
		"performer": &in.Performer, "frequency": &in.Frequency, "nature": &in.Nature, "type": &in.Type,
		"systems": &in.Systems, "implemented_on": &in.ImplementedOn, "status": &in.Status,
		"evidence_expected": &in.EvidenceExpected, "risk_addressed": &in.RiskAddressed, "ipe_relied_on": &in.IPERelied} {
		if v, ok := f[name]; ok {
			v := v
			*dst = &v
		}
	}
	for name, dst := range map[string]**bool{"key": &in.KeyControl, "ipe": &in.IPE} {
		if v, ok := f[name]; ok && v != "" {
			b, valid := yes(v)
			if !valid {
				report(name, fmt.Sprintf("%q is not Yes or No", v))
			}
			*dst = &b
		}
	}
	if email, ok := f["owner"]; ok {
		var id int64
		if email != "" {
			var err error
			if id, err = run.owner(ctx, email); err != nil {
				report("owner", err.Error())
			} else if id == 0 {
				report("owner", fmt.Sprintf("no user with the e-mail address %q", email))
			}
		}
		in.OwnerID = &id
	}
	existing, found := run.existing[strings.ToLower(strings.TrimSpace(f["ref"]))]
	if found {
		in.Ref = nil // "ac-01" updates AC-01 and keeps its reference as it is
	}
	change := PlannedChange{Row: row.Row, Ref: f["ref"], Action: "unchanged", Changes: []string{}}
	if found {
		change.Ref = existing.Ref
	}
	c := existing
	if !found {
		c = store.Control{Status: "active", CreatedAt: s.now(), UpdatedAt: s.now()}
		change.Action = "create"
	}
	before := snapshot(c)
	if err := s.apply(ctx, &c, in); err != nil {
		if e, ok := apperr.As(err); ok {
			for field, reason := range e.Fields {
				report(field, reason)
			}
		} else {
			report("", err.Error())
		}
	}
	reqs, reqProblems := run.resolveList(ctx, f["requirements"])
	for _, p := range reqProblems {
		report("requirements", p)
	}
	if len(problems) > 0 {
		return change, problems
	}
	for k := range auditlog.Diff(before, snapshot(c)) {
		change.Changes = append(change.Changes, k)
	}
	slices.Sort(change.Changes)
	if found && len(change.Changes) > 0 {
		change.Action = "update"
	}
	if err := s.saveImported(ctx, run, &c, found, before, reqs, &change); err != nil {
		report("", err.Error())
	}
	return change, problems
}

// importField is the import field a control field's problem belongs to.
func importField(column string) string {
	switch column {
	case "owner_id":
		return "owner"
	case "reference":
		return "ref"
	}
	return column
}

func yes(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "y", "true", "1", "x", "✓", "✔", "key", "key control":
		return true, true
	case "no", "n", "false", "0", "", "-", "non-key", "not key", "nonkey":
		return false, true
	}
	return false, false
}

// resolveList reads "CC6.1; CC6.2" (or "soc2-tsc-2017/CC6.1, CO-01"):
// bare refs are SOC 2 criteria, else the organisation's SOC 1 objectives.
func (run *importRun) resolveList(ctx context.Context, list string) ([]store.Requirement, []string) {
	var out []store.Requirement
	var problems []string
	for _, item := range strings.FieldsFunc(list, func(r rune) bool { return r == ';' || r == ',' || r == '\n' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		r, seen := run.reqs[item]
		if !seen {
			keys := []string{item}
			if !strings.Contains(item, "/") {
				keys = []string{"soc2-tsc-2017/" + item, store.OrgSOC1 + "/" + item}
			}
			for _, k := range keys {
				var msg string
				if r.req, msg = run.s.resolveRequirement(ctx, k); msg == "" {
					r.ok = true
					break
				}
			}
			run.reqs[item] = r
		}
		if !r.ok {
			problems = append(problems, fmt.Sprintf("unknown requirement %q", item))
			continue
		}
		out = append(out, r.req)
	}
	return out, problems
}

func (s *Service) saveImported(ctx context.Context, run *importRun, c *store.Control, found bool, before map[string]any, reqs []store.Requirement, change *PlannedChange) error {
	if !found {
		if err := s.db.CreateControl(ctx, c); err != nil {
			return duplicateRef(err, c.Ref)
		}
		run.events = append(run.events, auditlog.Event{Action: "control.create", ObjectType: "control",
			ObjectID: fmt.Sprint(c.ID), Changes: auditlog.Diff(nil, snapshot(*c))})
	} else if change.Action == "update" {
		c.UpdatedAt = s.now()
		if err := s.db.SaveControl(ctx, c, nil); err != nil {
			return err
		}
		run.events = append(run.events, auditlog.Event{Action: "control.update", ObjectType: "control",
			ObjectID: fmt.Sprint(c.ID), Changes: auditlog.Diff(before, snapshot(*c))})
	}
	reqs = slices.CompactFunc(slices.SortedFunc(slices.Values(reqs), func(a, b store.Requirement) int { return int(a.ID - b.ID) }),
		func(a, b store.Requirement) bool { return a.ID == b.ID }) // "CC6.1; CC6.1" maps once
	for _, r := range reqs {
		if found { // a new control has no mappings yet
			mapped, err := s.db.IsMapped(ctx, c.ID, r.ID)
			if err != nil {
				return err
			}
			if mapped {
				continue
			}
		}
		m := store.Mapping{ControlID: c.ID, RequirementID: r.ID, Rationale: "imported", CreatedAt: s.now()}
		run.mappings = append(run.mappings, m)
		run.events = append(run.events, mappingEvent("mapping.add", m, r.FrameworkID+"/"+r.Ref))
		change.Changes = append(change.Changes, "maps "+r.Ref)
		if change.Action == "unchanged" {
			change.Action = "update"
		}
	}
	return nil
}
