package engagement

import (
	"context"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/store"
)

// WindowState is one occurrence window of a control and the evidence that
// covers it; Missing when none does.
type WindowState struct {
	Window
	Evidence []int64
	Missing  bool
}

// ScopedControl is a control in (or excluded from) an engagement, with
// its occurrence windows for a Type II and flags on its evidence.
type ScopedControl struct {
	ID           int64
	Ref          string
	Title        string
	Frequency    string
	Nature       string
	OwnerEmail   string
	Included     bool
	Reason       string   // why it is in or out
	Requirements []string // in-scope requirements it is mapped to
	Windows      []WindowState
	Sample       *Sample
	SampleNote   string  // why there is no sample size yet
	Outside      []int64 // evidence dated entirely outside the period (Type II)
	AfterAsOf    []int64 // evidence dated after the as-of date (Type I)
}

// EvidenceDates are the dates evidence carries: a period, an as-of date,
// the day it was collected.
type EvidenceDates struct {
	CoversFrom  *string
	CoversTo    *string
	AsOf        *string
	CollectedOn *string
}

// Span is the days evidence speaks for: its period, else its as-of date,
// else the day it was collected; ok is false for undated evidence. The
// occurrence windows and the owners' tasks both read evidence this way.
func (d EvidenceDates) Span() (from, to string, ok bool) {
	switch {
	case d.CoversFrom != nil && d.CoversTo != nil:
		return *d.CoversFrom, *d.CoversTo, true
	case d.AsOf != nil:
		return *d.AsOf, *d.AsOf, true
	case d.CollectedOn != nil:
		return *d.CollectedOn, *d.CollectedOn, true
	}
	return "", "", false
}

type datedEvidence struct {
	ControlID  int64
	EvidenceID int64
	EvidenceDates
}

// Controls lists the engagement's controls: those mapped to its in-scope
// requirements plus those included by hand, less those excluded by hand
// (which are listed with Included false and the reason).
func (s *Service) Controls(ctx context.Context, id int64) ([]ScopedControl, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	q := s.db.R.WithContext(ctx)
	reqs, overrideOf, err := s.scopeOf(q, d)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(reqs)+len(overrideOf))
	for cid := range reqs {
		ids = append(ids, cid)
	}
	for cid := range overrideOf {
		ids = append(ids, cid) // a repeated ID is harmless in IN (…)
	}
	var controls []struct {
		store.Control
		OwnerEmail string
	}
	err = q.Table("controls AS c").Select("c.*, COALESCE(u.email, '') AS owner_email").
		Joins("LEFT JOIN users u ON u.id = c.owner_id").
		Where("c.id IN ? AND c.status <> 'retired'", ids).Order("c.id").Scan(&controls).Error
	if err != nil {
		return nil, err
	}
	// Evidence dates are read with a cursor in control order and handled
	// one control at a time, so memory does not grow with the evidence.
	rows, err := q.Table("evidence_controls AS ec").
		Select("ec.control_id, e.id AS evidence_id, e.covers_from, e.covers_to, e.as_of, e.collected_on").
		Joins("JOIN evidence e ON e.id = ec.evidence_id").
		Where("ec.control_id IN ? AND e.deleted_at IS NULL", ids).Order("ec.control_id, e.id").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var pending *datedEvidence
	next := func() (*datedEvidence, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		// Scanned by hand: gorm's reflection costs more than SQLite's reads
		// when a large programme has a hundred thousand of these rows.
		var e datedEvidence
		return &e, rows.Scan(&e.ControlID, &e.EvidenceID, &e.CoversFrom, &e.CoversTo, &e.AsOf, &e.CollectedOn)
	}
	if pending, err = next(); err != nil {
		return nil, err
	}
	out := make([]ScopedControl, 0, len(controls))
	for _, c := range controls {
		sc := ScopedControl{ID: c.ID, Ref: c.Ref, Title: c.Title, Frequency: c.Frequency, Nature: c.Nature,
			OwnerEmail: c.OwnerEmail, Requirements: reqs[c.ID], Included: len(reqs[c.ID]) > 0,
			Reason: "mapped to " + strings.Join(reqs[c.ID], ", ")}
		if o, ok := overrideOf[c.ID]; ok {
			sc.Included, sc.Reason = o.Included, o.Reason
		}
		var ev []datedEvidence
		for pending != nil && pending.ControlID <= c.ID {
			if pending.ControlID == c.ID {
				ev = append(ev, *pending)
			}
			if pending, err = next(); err != nil {
				return nil, err
			}
		}
		if err := d.fillOperation(&sc, ev, s.sampleTable); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	// In scope first, each group by reference.
	sort.Slice(out, func(i, j int) bool {
		if out[i].Included != out[j].Included {
			return out[i].Included
		}
		return out[i].Ref < out[j].Ref
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Included && !out[j].Included })
	return out, nil
}

// scopeOf reads what puts a control in an engagement: the in-scope
// requirements each control is mapped to, and the hand-made overrides.
func (s *Service) scopeOf(q *gorm.DB, d Detail) (map[int64][]string, map[int64]scopeOverride, error) {
	var mapped []struct {
		ControlID int64
		Ref       string
	}
	mq := q.Table("control_requirements AS m").Select("m.control_id, r.ref").
		Joins("JOIN requirements r ON r.id = m.requirement_id").
		Where("r.id NOT IN (SELECT requirement_id FROM requirement_applicability WHERE not_applicable)")
	if d.Report == "soc1" {
		mq = mq.Where("r.id IN (SELECT requirement_id FROM engagement_objectives WHERE engagement_id = ?)", d.ID)
	} else {
		mq = mq.Where("r.framework_id = ? AND r.category IN ?", "soc2-tsc-2017", d.CategoryList())
	}
	if err := mq.Order("r.sort_order").Scan(&mapped).Error; err != nil {
		return nil, nil, err
	}
	var overrides []scopeOverride
	if err := q.Where("engagement_id = ?", d.ID).Find(&overrides).Error; err != nil {
		return nil, nil, err
	}
	overrideOf := map[int64]scopeOverride{}
	for _, o := range overrides {
		overrideOf[o.ControlID] = o
	}
	reqs := map[int64][]string{}
	for _, m := range mapped {
		reqs[m.ControlID] = append(reqs[m.ControlID], m.Ref)
	}
	return reqs, overrideOf, nil
}

// InScope lists the IDs of the controls in an engagement's scope (retired
// controls included: the caller decides what they mean for it).
func (s *Service) InScope(ctx context.Context, d Detail) (map[int64]bool, error) {
	reqs, overrideOf, err := s.scopeOf(s.db.R.WithContext(ctx), d)
	if err != nil {
		return nil, err
	}
	in := map[int64]bool{}
	for cid := range reqs {
		in[cid] = true
	}
	for cid, o := range overrideOf {
		in[cid] = o.Included
	}
	return in, nil
}

func (d Detail) CategoryList() []string {
	cats := []string{"security"}
	if d.Categories != "" {
		cats = append(cats, strings.Split(d.Categories, ",")...)
	}
	return cats
}

// fillOperation adds the Type II windows and sample, or the Type I flags.
func (d Detail) fillOperation(sc *ScopedControl, ev []datedEvidence, table SampleTable) error {
	if d.ReportType == "type1" {
		for _, e := range ev {
			if from, _, ok := e.Span(); ok && from > *d.AsOf {
				sc.AfterAsOf = append(sc.AfterAsOf, e.EvidenceID)
			}
		}
		return nil
	}
	start, err := Day(*d.PeriodStart)
	if err != nil {
		return err
	}
	end, err := Day(*d.PeriodEnd)
	if err != nil {
		return err
	}
	windows, err := Windows(sc.Frequency, start, end)
	if err != nil {
		return err
	}
	for _, w := range windows {
		ws := WindowState{Window: w, Evidence: []int64{}}
		wFrom, wTo := w.Start.Format(time.DateOnly), w.End.Format(time.DateOnly)
		for _, e := range ev {
			if from, to, ok := e.Span(); ok && from <= wTo && to >= wFrom {
				ws.Evidence = append(ws.Evidence, e.EvidenceID)
			}
		}
		ws.Missing = len(ws.Evidence) == 0
		sc.Windows = append(sc.Windows, ws)
	}
	for _, e := range ev {
		if from, to, ok := e.Span(); ok && (to < *d.PeriodStart || from > *d.PeriodEnd) {
			sc.Outside = append(sc.Outside, e.EvidenceID)
		}
	}
	sample, err := RequiredSample(table, DefaultEventBands(), sc.Frequency, sc.Nature, len(windows), 0)
	if err != nil {
		sc.SampleNote = err.Error()
	} else {
		sc.Sample = &sample
	}
	return nil
}
