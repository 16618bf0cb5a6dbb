package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store"
)

// DefaultInterval is how often a new source is expected to report.
const DefaultInterval = 24

// errAlreadyIngested stops a transaction that finds its scan recorded.
var errAlreadyIngested = errors.New("scan already ingested")

// record writes a checked file inside the transaction: its source, its
// evidence, the run, its checks and result rows, and the tasks of the
// controls it failed or passed.
func (s *Service) record(ctx context.Context, in Input, scan Scan, sum summary, rows *spool, now time.Time) (Ingested, error) {
	if _, err := s.db.IngestRunByScanID(ctx, scan.ScanID); err == nil {
		return Ingested{}, errAlreadyIngested
	} else if !errors.Is(err, store.ErrNotFound) {
		return Ingested{}, err
	}
	src, err := s.source(ctx, in, scan, now)
	if err != nil {
		return Ingested{}, err
	}
	m, err := s.loadMapping(ctx)
	if err != nil {
		return Ingested{}, err
	}
	for id, st := range sum.checks {
		// A run that tags a check has the latest word on its criteria; one
		// that does not (another tool, the generic format) leaves them.
		if _, known := m.criteria[id]; len(st.criteria) > 0 || !known {
			m.criteria[id] = st.criteria
		}
	}
	targets := m.resolve()
	byControl := map[int64]*Counts{}
	var unmapped []string
	for _, id := range sum.order {
		t := targets[id]
		if len(t.Controls) == 0 {
			unmapped = append(unmapped, id)
		}
		for _, c := range t.Controls {
			if byControl[c] == nil {
				byControl[c] = &Counts{}
			}
			byControl[c].plus(sum.checks[id].Counts)
		}
	}
	out := Ingested{Source: src, Created: true, Unmapped: unmapped}
	for c, n := range byControl {
		switch n.Outcome() {
		case Pass:
			out.Passed = append(out.Passed, c)
		case Fail:
			out.Failed = append(out.Failed, c)
		}
	}
	slices.Sort(out.Passed)
	slices.Sort(out.Failed)

	e, err := s.evidence(ctx, in, scan, sum, src, out.Passed, now)
	if err != nil {
		return out, err
	}
	run := store.IngestRun{SourceID: src.ID, ScanID: scan.ScanID, Format: string(scan.Format), FormatVersion: scan.FormatVersion,
		Tool: scan.Tool, ToolVersion: scan.ToolVersion, Target: scan.Target, ScannedAt: scan.ScannedAt, EvidenceID: e.ID,
		Passed: sum.total.Passed, Failed: sum.total.Failed, Errored: sum.total.Errored, Skipped: sum.total.Skipped,
		CreatedBy: in.By, CreatedAt: now}
	if err := s.db.CreateIngestRun(ctx, &run); err != nil {
		return out, err
	}
	out.Run = run
	if err := s.saveChecks(ctx, run, scan, sum, m, now); err != nil {
		return out, err
	}
	if err := s.saveResults(ctx, run.ID, rows); err != nil {
		return out, err
	}
	events := []auditlog.Event{{Action: "ingest.run", ObjectType: "ingest_run", ObjectID: fmt.Sprint(run.ID),
		Changes: auditlog.Diff(nil, map[string]any{"source": src.Name, "scan_id": run.ScanID, "format": run.Format,
			"format_version": run.FormatVersion, "tool": strings.TrimSpace(run.Tool + " " + run.ToolVersion), "target": run.Target,
			"scanned_at": run.ScannedAt.Format(time.RFC3339), "evidence_id": run.EvidenceID, "sha256": sum.sha256,
			"results":         fmt.Sprintf("%d passed, %d failed, %d errors, %d skipped", run.Passed, run.Failed, run.Errored, run.Skipped),
			"controls_passed": fmt.Sprint(out.Passed), "controls_failed": fmt.Sprint(out.Failed)})}}
	taskEvents, err := s.followRun(ctx, run, src, out, sum, targets, now)
	if err != nil {
		return out, err
	}
	return out, auditlog.AppendIn(ctx, s.db, append(events, taskEvents...)...)
}

// source finds the source a file reports for, creating it on its first
// report, and moves its last scan forward.
func (s *Service) source(ctx context.Context, in Input, scan Scan, now time.Time) (store.IngestSource, error) {
	name := in.Source
	if name == "" {
		name = toolSlug(scan)
	}
	src, err := s.db.IngestSourceByName(ctx, name)
	created := errors.Is(err, store.ErrNotFound)
	switch {
	case created:
		src = store.IngestSource{Name: name, OwnerID: in.By, IntervalHours: DefaultInterval, CreatedAt: now}
	case err != nil:
		return src, err
	}
	src.Tool = scan.Tool
	if src.LastScannedAt == nil || scan.ScannedAt.After(*src.LastScannedAt) {
		src.LastScannedAt = &scan.ScannedAt
	}
	src.UpdatedAt = now
	if err := s.db.SaveIngestSource(ctx, &src); err != nil {
		return src, err
	}
	if !created {
		return src, nil
	}
	return src, auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "ingest.source.create", ObjectType: "ingest_source",
		ObjectID: fmt.Sprint(src.ID), Changes: auditlog.Diff(nil, sourceSnapshot(src))})
}

func sourceSnapshot(s store.IngestSource) map[string]any {
	return map[string]any{"name": s.Name, "tool": s.Tool, "owner_id": s.OwnerID, "interval_hours": s.IntervalHours}
}

// toolSlug names a source after its tool when the caller gives no name.
func toolSlug(scan Scan) string {
	switch scan.Format {
	case ProwlerOCSF, ProwlerCompliance:
		return "prowler"
	case Powerpipe:
		return "powerpipe"
	case InSpec:
		return "inspec"
	case OSCAL:
		return "oscal"
	}
	if slug := strings.ToLower(strings.Join(strings.Fields(scan.Tool), "-")); sourceName.MatchString(slug) {
		return slug
	}
	return "generic"
}

// evidence records the file as evidence dated by its scan, linked to the
// controls the run passed: a failing run is no evidence that a control
// operated, so it covers none of its windows.
func (s *Service) evidence(ctx context.Context, in Input, scan Scan, sum summary, src store.IngestSource, passed []int64, now time.Time) (store.Evidence, error) {
	day := scan.ScannedAt.In(s.location).Format(time.DateOnly)
	tool := firstNonEmpty(scan.Tool, string(scan.Format))
	e := store.Evidence{Kind: "file",
		Title: shorten(fmt.Sprintf("%s of %s, %s", scanOf(tool), src.Name, scan.ScannedAt.In(s.location).Format("2006-01-02 15:04 MST")), 200),
		Description: shorten(fmt.Sprintf("%d results: %d passed, %d failed, %d could not run, %d skipped. Format %s%s; scan id %s%s.",
			sum.total.Passed+sum.total.Failed+sum.total.Errored+sum.total.Skipped, sum.total.Passed, sum.total.Failed,
			sum.total.Errored, sum.total.Skipped, scan.Format, prefixed(" ", scan.FormatVersion), scan.ScanID,
			prefixed("; target ", scan.Target)), 10000),
		CollectedOn: &day, SourceSystem: shorten(strings.TrimSpace(tool+" "+scan.ToolVersion), 200),
		ProvidedBy: shorten("ingest: "+src.Name, 200), CreatedBy: in.By, CreatedAt: now, UpdatedAt: now}
	name := in.FileName
	if name == "" {
		name = fmt.Sprintf("%s-%s%s", toolSlug(scan), scan.ScannedAt.Format("20060102T150405Z"), extension(scan.Format))
	}
	f := store.EvidenceFile{Revision: 1, SHA256: sum.sha256, Size: sum.size, MediaType: mediaType(scan.Format),
		OriginalName: evidence.SafeName(name), UploadedBy: in.By, UploadedAt: now}
	if err := s.db.CreateIngestEvidence(ctx, &e, &f, passed); err != nil {
		return e, err
	}
	changes := auditlog.Diff(nil, map[string]any{"kind": e.Kind, "title": e.Title, "description": e.Description,
		"collected_on": e.CollectedOn, "source_system": e.SourceSystem, "provided_by": e.ProvidedBy,
		"control_ids": fmt.Sprint(passed)})
	changes["file"] = auditlog.Change{After: fmt.Sprintf("rev 1: %s (%d bytes, sha256 %s)", f.OriginalName, f.Size, f.SHA256)}
	return e, auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "evidence.create", ObjectType: "evidence",
		ObjectID: fmt.Sprint(e.ID), Changes: changes})
}

// scanOf names a scan by its tool: "Prowler scan", or "Scan" for the
// generic format's unnamed one.
func scanOf(tool string) string {
	if tool == "generic" {
		return "Scan"
	}
	return tool + " scan"
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func extension(f Format) string {
	if f == ProwlerCompliance || f == GenericCSV {
		return ".csv"
	}
	return ".json"
}

func mediaType(f Format) string {
	if f == ProwlerCompliance || f == GenericCSV {
		return "text/csv; charset=utf-8"
	}
	return "application/json"
}

// saveChecks records the run's checks, their criteria and their counts.
func (s *Service) saveChecks(ctx context.Context, run store.IngestRun, scan Scan, sum summary, m *mapping, now time.Time) error {
	checks := make([]store.IngestCheck, 0, len(sum.order))
	counts := make([]store.IngestRunCheck, 0, len(sum.order))
	criteria := map[string][]int64{}
	for _, id := range sum.order {
		st := sum.checks[id]
		checks = append(checks, store.IngestCheck{CheckID: id, Title: st.title, Tool: scan.Tool, LastSeenAt: now})
		counts = append(counts, store.IngestRunCheck{RunID: run.ID, CheckID: id, Passed: st.Passed, Failed: st.Failed,
			Errored: st.Errored, Skipped: st.Skipped})
		if len(st.criteria) == 0 {
			continue // untagged here: the criteria other runs gave stay
		}
		criteria[id] = []int64{}
		for _, ref := range st.criteria {
			if req, ok := m.requirements[ref]; ok {
				criteria[id] = append(criteria[id], req)
			}
		}
	}
	return s.db.SaveIngestChecks(ctx, checks, criteria, counts)
}

// resultBatch is how many result rows are written at once.
const resultBatch = 1000

// saveResults writes the spooled result rows in batches, so memory stays
// flat however large the file is.
func (s *Service) saveResults(ctx context.Context, runID int64, rows *spool) error {
	batch := make([]store.IngestResult, 0, resultBatch)
	flush := func() error {
		err := s.db.InsertIngestResults(ctx, batch)
		batch = batch[:0]
		return err
	}
	err := rows.each(func(f [4]string) error {
		batch = append(batch, store.IngestResult{RunID: runID, CheckID: f[0], Status: f[1], Resource: f[2], Message: f[3]})
		if len(batch) == resultBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the spooled result rows: %w", err)
	}
	return flush()
}
