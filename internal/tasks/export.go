package tasks

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

var taskColumns = []exports.Column{
	{Header: "Task ID", Width: 9, Kind: exports.Number},
	{Header: "Task", Width: 50},
	{Header: "Kind", Width: 12, Words: true},
	{Header: "Control", Width: 12},
	{Header: "Owner", Width: 28},
	{Header: "Engagements", Width: 30},
	{Header: "Window", Width: 18},
	{Header: "Window start", Width: 13, Kind: exports.Date},
	{Header: "Window end", Width: 13, Kind: exports.Date},
	{Header: "Due", Width: 13, Kind: exports.Date},
	{Header: "State", Width: 15, Choices: States, Words: true},
	{Header: "Done on", Width: 13, Kind: exports.Date},
	{Header: "Done by evidence", Width: 12, Kind: exports.Number},
	{Header: "Not applicable because", Width: 40},
	{Header: "Description", Width: 40},
}

// table is the filtered task list as an export table.
func (s *Service) table(ctx context.Context, f Filter) (exports.Table, []Row, error) {
	f.Limit, f.Offset = 0, 0
	rows, _, err := s.List(ctx, f)
	if err != nil {
		return exports.Table{}, nil, err
	}
	t := exports.Table{Name: "Tasks", Columns: taskColumns}
	for _, r := range rows {
		names := make([]string, len(r.Engagements))
		for i, e := range r.Engagements {
			names[i] = e.Name
		}
		var doneOn any
		if r.DoneAt != nil {
			doneOn = r.DoneAt.In(s.settings.Location).Format(time.DateOnly)
		}
		t.Rows = append(t.Rows, []any{r.ID, r.Title, r.Kind, r.ControlRef, r.OwnerEmail, strings.Join(names, "; "),
			r.WindowLabel, r.WindowStart, r.WindowEnd, r.DueOn, r.State, doneOn, evidenceID(r.DoneEvidenceID),
			r.NaReason, r.Description})
	}
	return t, rows, nil
}

// WriteCSV writes the filtered task list as CSV and records the export.
func (s *Service) WriteCSV(ctx context.Context, w io.Writer, f Filter) error {
	t, rows, err := s.table(ctx, f)
	if err != nil {
		return err
	}
	d := exports.NewDigest(w)
	if err := exports.WriteCSV(d, t); err != nil {
		return err
	}
	return s.recordExport(ctx, "task list CSV", f, len(rows), d)
}

// recordExport puts a task-list export in the audit trail with the
// filter it was made with and the SHA-256 and size of the file.
func (s *Service) recordExport(ctx context.Context, what string, f Filter, rows int, d *exports.Digest) error {
	err := auditlog.Record(ctx, s.db, auditlog.Export("tasks", "", what, d.SHA256(), d.Size,
		map[string]auditlog.Change{"filter": {After: f.described()}, "tasks": {After: rows}}))
	if err != nil || s.Notary == nil {
		return err
	}
	_, err = s.Notary.Checkpoint(ctx)
	return err
}

// described is the filter as the audit trail shows it: only what was set.
func (f Filter) described() map[string]any {
	out := map[string]any{}
	for name, v := range map[string]int64{"owner_id": f.OwnerID, "control_id": f.ControlID, "engagement_id": f.EngagementID} {
		if v != 0 {
			out[name] = v
		}
	}
	if len(f.States) > 0 {
		out["state"] = f.States
	}
	if f.Kind != "" {
		out["kind"] = f.Kind
	}
	return out
}

// WriteWorkbook writes the filtered task list as an XLSX workbook with a
// summary sheet: when, for whom, and how many tasks in each state.
func (s *Service) WriteWorkbook(ctx context.Context, w io.Writer, f Filter, version string) error {
	t, rows, err := s.table(ctx, f)
	if err != nil {
		return err
	}
	org, err := s.db.Setting(ctx, store.SettingOrganisation)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.State]++
	}
	summary := func(written exports.Written) exports.Table {
		st := exports.Table{Name: "Summary", Columns: []exports.Column{{Header: "Item", Width: 28}, {Header: "Value", Width: 60}}}
		st.Rows = [][]any{{"Organisation", org}, {"Tasks as of", s.Today()},
			{"Generated at (UTC)", s.now().UTC().Format(time.RFC3339)}, {"socmap version", version}}
		for _, state := range States {
			st.Rows = append(st.Rows, []any{"Tasks " + strings.ReplaceAll(state, "_", " "), counts[state]})
		}
		if len(written.Shortened) > 0 {
			st.Rows = append(st.Rows, []any{"Cells shortened to Excel's limit", strings.Join(written.Shortened, ", ")})
		}
		return st
	}
	page := exports.Page{Organisation: org, Title: "Tasks", Generated: s.now()}
	d := exports.NewDigest(w)
	if _, err := exports.WriteWorkbook(d, page, summary, []exports.Table{t}); err != nil {
		return err
	}
	return s.recordExport(ctx, "task list XLSX", f, len(rows), d)
}

// evidenceID is the ID as a number cell, or an empty cell.
func evidenceID(id *int64) any {
	if id == nil {
		return nil
	}
	return *id
}
