package engagement_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

// occurrences is an engagement over the period, 2026-03-15 to
// 2027-03-14, with the controls the tests add to its scope.
type occurrences struct {
	t           *testing.T
	ctx         context.Context
	db          *store.DB
	controls    *controls.Service
	engagements *engagement.Service
	id          int64
}

func newOccurrences(t *testing.T, target storetest.Target, today string) *occurrences {
	db := catalogtest.Open(t, target)
	o := &occurrences{t: t, ctx: context.Background(), db: db, controls: controls.NewService(db), engagements: engagement.NewService(db, nil)}
	day := civil.MustParse(today).Time().Add(12 * time.Hour)
	o.engagements.SetClock(func() time.Time { return day })
	name, report, typ, start, end := "SOC 2 Type II", "soc2", "type2", "2026-03-15", "2027-03-14"
	e, err := o.engagements.Create(o.ctx, engagement.Input{Name: &name, Report: &report, ReportType: &typ, PeriodStart: &start, PeriodEnd: &end})
	if err != nil {
		t.Fatal(err)
	}
	o.id = e.ID
	return o
}

// control adds a control to the engagement's scope.
func (o *occurrences) control(ref, frequency, nature string, in controls.Input) int64 {
	o.t.Helper()
	title, typ := "Control "+ref, "detective"
	in.Ref, in.Title, in.Frequency, in.Nature, in.Type = &ref, &title, &frequency, &nature, &typ
	c, err := o.controls.Create(o.ctx, in)
	if err != nil {
		o.t.Fatal(err)
	}
	if err := o.engagements.SetScope(o.ctx, o.id, c.ID, true, "in scope for the test"); err != nil {
		o.t.Fatal(err)
	}
	return c.ID
}

func (o *occurrences) scoped() map[string]engagement.ScopedControl {
	o.t.Helper()
	list, err := o.engagements.Controls(o.ctx, o.id)
	if err != nil {
		o.t.Fatal(err)
	}
	out := map[string]engagement.ScopedControl{}
	for _, c := range list {
		out[c.Ref] = c
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// TestOccurrenceWindowsOfAnEngagement pins the windows an auditor would
// count over 2026-03-15..2027-03-14: 1 annual, 2 semi-annual, 4
// quarterly, 12 monthly, 26 bi-weekly, 52 weekly, 365 daily, or the
// business days (260: the period starts on a Sunday) less the organisation's holidays; a control implemented
// or retired in the period operates only in its part; automated controls
// are one test of one; manual continuous ones are sized by population.
func TestOccurrenceWindowsOfAnEngagement(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			o := newOccurrences(t, target, "2027-04-30") // every window has ended and is past its grace
			holidays := []store.Holiday{{Day: "2026-12-25", Name: "Christmas Day"}, {Day: "2027-01-01", Name: "New Year's Day"},
				{Day: "2026-12-26", Name: "a Saturday"}, {Day: "2026-01-01", Name: "before the period"}}
			for i := range holidays {
				holidays[i].CreatedAt = time.Now()
			}
			storetest.Must(t, o.db.W.Create(&holidays))
			for _, f := range period.Frequencies {
				o.control("C-"+f, f, "manual", controls.Input{})
			}
			o.control("C-business", "daily", "manual", controls.Input{Calendar: ptr(controls.BusinessDays)})
			o.control("C-automated", "daily", "automated", controls.Input{})
			o.control("C-implemented", "monthly", "manual", controls.Input{ImplementedOn: ptr("2026-09-01")})
			successor := o.control("C-successor", "monthly", "manual", controls.Input{ImplementedOn: ptr("2026-10-01")})
			o.control("C-retired", "monthly", "manual", controls.Input{RetiredOn: ptr("2026-09-30"), ReplacedBy: &successor})
			o.control("C-gone", "monthly", "manual", controls.Input{RetiredOn: ptr("2026-03-14")})

			// Monday to Friday in the period, counted by hand: 260, less the
			// two holidays that fall on weekdays inside it.
			business := 0
			for d := civil.MustParse("2026-03-15"); !d.After(civil.MustParse("2027-03-14")); d = d.AddDays(1) {
				if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
					business++
				}
			}
			if business != 260 {
				t.Fatalf("%d weekdays in the period", business)
			}
			got := o.scoped()
			for ref, want := range map[string]int{"C-annual": 1, "C-semi-annual": 2, "C-quarterly": 4, "C-monthly": 12,
				"C-bi-weekly": 26, "C-weekly": 52, "C-daily": 365, "C-several-times-a-day": 365, "C-business": 258,
				"C-continuous": 0, "C-event-driven": 0, "C-automated": 1, "C-implemented": 6, "C-retired": 6, "C-successor": 5} {
				if n := len(got[ref].Windows); n != want {
					t.Errorf("%s: %d windows, want %d", ref, n, want)
				}
			}
			if _, listed := got["C-gone"]; listed {
				t.Error("a control retired before the period is in the engagement")
			}
			if w := got["C-implemented"].Windows; w[0].Start != civil.MustParse("2026-09-01") || w[5].End != civil.MustParse("2027-02-28") {
				t.Errorf("implemented mid-period: %s to %s", w[0].Start, w[5].End)
			}
			retired := got["C-retired"]
			if retired.Windows[5].End != civil.MustParse("2026-09-14") || retired.RetiredWords() != "retired on 2026-09-30, replaced by C-successor" ||
				len(retired.Changes) != 1 || retired.Changes[0].Kind != "retired" {
				t.Errorf("retired mid-period: last window ends %s, %q, changes %+v", retired.Windows[5].End, retired.RetiredWords(), retired.Changes)
			}
			if c := got["C-implemented"].Changes; len(c) != 1 || c[0].Kind != "implemented" || c[0].On != civil.MustParse("2026-09-01") {
				t.Errorf("implementation in the period: %+v", c)
			}
			if a := got["C-automated"]; a.Basis != period.Baseline || a.Sample == nil || a.Sample.Size != 1 {
				t.Errorf("automated: %+v", a)
			}
			if c := got["C-continuous"]; c.Basis != period.ByPopulation || c.Sample != nil {
				t.Errorf("manual continuous: basis %s, sample %+v, note %q", c.Basis, c.Sample, c.SampleNote)
			}
			for _, w := range got["C-monthly"].Windows {
				if w.State != period.Missing {
					t.Fatalf("a window past its grace without evidence is %s", w.State)
				}
			}
		})
	}
}

// TestWindowStatesAndCoverage: on 2026-12-20 a monthly control's windows
// that have not ended are not yet due, the one that ended within the
// grace period is due, older ones are missing or covered; evidence
// covers a window when its dates lie within it, and evidence spanning
// several windows only the windows it is attached to. Readiness counts
// only the windows that have ended.
func TestWindowStatesAndCoverage(t *testing.T) {
	o := newOccurrences(t, storetest.Targets(t)[0], "2026-12-20")
	id := o.control("AC-01", "monthly", "manual", controls.Input{})
	evidence := func(title string, dates string) int64 {
		e := store.Evidence{Kind: "note", Title: title, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		switch len(dates) {
		case 10:
			e.AsOf = &dates
		default:
			from, to := dates[:10], dates[12:]
			e.CoversFrom, e.CoversTo = &from, &to
		}
		storetest.Must(t, o.db.W.Create(&e))
		storetest.Must(t, o.db.W.Create(&store.EvidenceControl{EvidenceID: e.ID, ControlID: id}))
		return e.ID
	}
	asOf := evidence("April review", "2026-04-20")               // Month 2: 04-15..05-14
	within := evidence("June listing", "2026-06-15..2026-07-14") // Month 4 exactly
	summary := evidence("Yearly listing", "2026-03-15..2027-03-14")
	storetest.Must(t, o.db.W.Create(&store.WindowEvidence{EngagementID: o.id, ControlID: id, WindowStart: "2026-08-15",
		EvidenceID: summary, AttachedAt: time.Now()}))

	w := o.scoped()["AC-01"].Windows
	states := map[int]period.State{}
	for i, ws := range w {
		states[i+1] = ws.State
	}
	want := map[int]period.State{1: period.Missing, 2: period.Covered, 3: period.Missing, 4: period.Covered, 5: period.Missing,
		6: period.Covered, 7: period.Missing, 8: period.Missing, 9: period.Due, 10: period.NotYetDue, 12: period.NotYetDue}
	for month, s := range want {
		if states[month] != s {
			t.Errorf("Month %d (%s to %s): %s, want %s", month, w[month-1].Start, w[month-1].End, states[month], s)
		}
	}
	if fmt.Sprint(w[1].Evidence) != fmt.Sprint([]int64{asOf}) || fmt.Sprint(w[3].Evidence) != fmt.Sprint([]int64{within}) ||
		fmt.Sprint(w[5].Attached) != fmt.Sprint([]int64{summary}) {
		t.Errorf("evidence: %v %v %v", w[1].Evidence, w[3].Evidence, w[5].Attached)
	}
	_, ready, err := o.engagements.RollUp(o.ctx, o.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ready.Parts {
		if p.Key == "windows" && (p.Total != 9 || p.Done != 3) {
			t.Errorf("readiness counts %d of %d windows, want 3 of the 9 that have ended", p.Done, p.Total)
		}
	}
}
