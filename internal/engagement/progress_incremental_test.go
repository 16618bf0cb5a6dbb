package engagement_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/engagement/windows"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

// programme is a Type II engagement over 2026 with a few controls and
// their evidence, and the services that change them.
type programme struct {
	t        testing.TB
	ctx      context.Context
	db       *store.DB
	eng      *engagement.Service
	controls *controls.Service
	evidence *evidence.Service
	windows  *windows.Service
	samples  *sampling.Service
	admin    *auth.Principal
	id       int64
	ctl      map[string]int64
	ev       []int64
}

var progressToday = civil.MustParse("2026-11-24").Time().Add(12 * time.Hour)

// typeII is an engagement over 2026.
func typeII() engagement.Input {
	name, report, typ, from, to := "2026", "soc2", "type2", "2026-01-01", "2026-12-31"
	return engagement.Input{Name: &name, Report: &report, ReportType: &typ, PeriodStart: &from, PeriodEnd: &to}
}

func newProgramme(t testing.TB, target storetest.Target, in engagement.Input) *programme {
	t.Helper()
	db := catalogtest.Open(t, target)
	p := &programme{t: t, ctx: context.Background(), db: db, eng: engagement.NewService(db, nil), controls: controls.NewService(db),
		evidence: evidence.NewService(db, nil, evidence.DefaultMaxUpload), ctl: map[string]int64{}}
	p.eng.SetClock(func() time.Time { return progressToday })
	p.windows, p.samples = windows.NewService(db, p.eng), sampling.NewService(db, p.eng)
	u := store.User{Email: "admin@example.com", Name: "Admin", Role: "admin", CreatedAt: time.Now()}
	storetest.Must(t, db.W.Create(&u))
	p.admin = &auth.Principal{User: u, Via: "session"}
	e, err := p.eng.Create(p.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	p.id = e.ID
	for i, f := range []string{"monthly", "quarterly", "weekly", "daily", "monthly", "annual"} {
		ref := fmt.Sprintf("CM-%02d", i+1)
		title, nature, typ := "Control "+ref, "manual", "detective"
		c, err := p.controls.Create(p.ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &f, Nature: &nature, Type: &typ})
		if err != nil {
			t.Fatal(err)
		}
		p.ctl[ref] = c.ID
		p.mustDo(p.controls.ApplyMappings(p.ctx, []controls.MappingChange{{ControlID: c.ID, Requirement: "soc2-tsc-2017/CC8.1"}}, nil))
	}
	for m := 1; m <= 10; m++ {
		p.note(fmt.Sprintf("2026-%02d-01", m), fmt.Sprintf("2026-%02d-28", m), p.ctl["CM-01"], p.ctl["CM-03"])
	}
	return p
}

func (p *programme) mustDo(err error) {
	p.t.Helper()
	if err != nil {
		p.t.Fatal(err)
	}
}

// note adds evidence covering from..to, linked to the controls.
func (p *programme) note(from, to string, controlIDs ...int64) int64 {
	p.t.Helper()
	title := "Review " + from
	e, err := p.evidence.CreateOther(p.ctx, p.admin, "note", "", "Reviewed.",
		evidence.Meta{Title: &title, CoversFrom: &from, CoversTo: &to, ControlIDs: &controlIDs})
	p.mustDo(err)
	p.ev = append(p.ev, e.ID)
	return e.ID
}

// whole is the progress a service that has kept nothing computes.
func (p *programme) whole() engagement.Progress {
	p.t.Helper()
	fresh := engagement.NewService(p.db, nil)
	fresh.SetClock(func() time.Time { return progressToday })
	got, err := fresh.Progress(p.ctx, p.id)
	p.mustDo(err)
	return got
}

// After each of a sequence of changes the progress computed on the last
// one kept equals the progress computed whole, on SQLite and PostgreSQL;
// the changes a control's data carries are worked out for the controls
// they touched only, and those that reach every control (the
// engagement's settings, a change of an unknown kind) whole.
func TestIncrementalProgressEqualsFullRecompute(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgramme(t, target, typeII())
			var sample store.Sample
			p.check([]change{
				{"a control edited", func() {
					d := "Reviewed each month by the change board."
					_, err := p.controls.Update(p.ctx, p.ctl["CM-02"], controls.Input{Description: &d})
					p.mustDo(err)
				}, true},
				{"a control's frequency changed", func() {
					f := "weekly"
					_, err := p.controls.Update(p.ctx, p.ctl["CM-05"], controls.Input{Frequency: &f})
					p.mustDo(err)
				}, true},
				{"a design result recorded", func() {
					r := "suitably_designed"
					_, err := p.eng.SetResult(p.ctx, p.id, p.ctl["CM-01"], engagement.ResultInput{DesignResult: &r})
					p.mustDo(err)
				}, true},
				{"a control sampled at a higher risk", func() {
					r := "higher"
					_, err := p.eng.SetResult(p.ctx, p.id, p.ctl["CM-03"], engagement.ResultInput{SampleRisk: &r})
					p.mustDo(err)
				}, true},
				{"evidence linked to a control", func() { p.note("2026-04-01", "2026-06-30", p.ctl["CM-02"]) }, true},
				{"evidence moved to another control", func() {
					ids := []int64{p.ctl["CM-04"]}
					_, err := p.evidence.Update(p.ctx, p.admin, p.ev[0], evidence.Meta{ControlIDs: &ids})
					p.mustDo(err)
				}, true},
				{"evidence re-dated", func() {
					from, to := "2026-10-01", "2026-10-31"
					_, err := p.evidence.Update(p.ctx, p.admin, p.ev[1], evidence.Meta{CoversFrom: &from, CoversTo: &to})
					p.mustDo(err)
				}, true},
				{"evidence deleted", func() { p.mustDo(p.evidence.Delete(p.ctx, p.admin, p.ev[2], "filed twice")) }, true},
				{"a window marked not expected", func() {
					p.mustDo(p.windows.MarkNotExpected(p.ctx, p.id, p.ctl["CM-01"], "2026-03-01", "the system was frozen"))
				}, true},
				{"summary evidence attached to a window", func() {
					p.mustDo(p.windows.AttachEvidence(p.ctx, p.id, p.ctl["CM-03"], "2026-01-08", p.ev[3]))
				}, true},
				{"a control mapped to another criterion", func() {
					p.mustDo(p.controls.ApplyMappings(p.ctx, []controls.MappingChange{{ControlID: p.ctl["CM-06"], Requirement: "soc2-tsc-2017/CC6.1"}}, nil))
				}, true},
				{"a control taken out of scope by hand", func() {
					p.mustDo(p.eng.SetScope(p.ctx, p.id, p.ctl["CM-04"], false, "run by the parent company"))
				}, true},
				{"a population uploaded and a sample drawn", func() {
					items := make([]sampling.PopulationItem, 30)
					for i := range items {
						d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*9).Format(time.DateOnly)
						items[i] = sampling.PopulationItem{Seq: i + 1, Row: i + 2, ItemID: fmt.Sprintf("I-%02d", i+1), Date: &d, Extra: map[string]string{}}
					}
					_, err := p.samples.UploadPopulation(p.ctx, p.id, p.ctl["CM-05"], p.admin.User.ID,
						sampling.PopulationInput{Source: "system", FileName: "p.csv", Items: items})
					p.mustDo(err)
					seed, size := uint64(7), 5
					s, err := p.samples.DrawSample(p.ctx, p.id, p.ctl["CM-05"], p.admin.User.ID,
						sampling.DrawInput{Seed: &seed, Size: &size, Attributes: []string{"approved"}})
					p.mustDo(err)
					sample = s
				}, true},
				{"a sample item failed", func() {
					items, err := p.db.SampledItemsOf(p.ctx, sample)
					p.mustDo(err)
					p.mustDo(p.samples.RecordSampleItem(p.ctx, p.id, sample.ID, items[0].Seq, p.admin.User.ID,
						sampling.ItemInput{Results: map[string]string{"approved": "fail"}}))
				}, true},
				{"a control retired", func() {
					on := "2026-09-30"
					_, err := p.controls.Update(p.ctx, p.ctl["CM-06"], controls.Input{RetiredOn: &on, ReplacedBy: ptr(p.ctl["CM-05"])})
					p.mustDo(err)
				}, true},
				{"a successor's ref changed", func() {
					ref := "CM-05A"
					_, err := p.controls.Update(p.ctx, p.ctl["CM-05"], controls.Input{Ref: &ref})
					p.mustDo(err)
				}, true},
				{"the engagement's period changed", func() {
					from := "2026-02-01"
					_, err := p.eng.Update(p.ctx, p.id, engagement.Input{PeriodStart: &from})
					p.mustDo(err)
				}, false},
				{"a change of an unknown kind", func() {
					p.mustDo(auditlog.Record(p.ctx, p.db, auditlog.Event{Action: "archive.purge", ObjectType: "archive", ObjectID: "1"}))
				}, false},
				{"an evidence entry whose controls cannot be read", func() {
					p.mustDo(auditlog.Record(p.ctx, p.db, auditlog.Event{Action: "evidence.update", ObjectType: "evidence",
						ObjectID: fmt.Sprint(p.ev[4]), Changes: map[string]auditlog.Change{"control_ids": {After: 12}}}))
				}, false},
				{"a sign-in", func() {
					p.mustDo(auditlog.Record(p.ctx, p.db, auditlog.Event{Action: "login.success", ObjectType: "user", ObjectID: "1"}))
				}, true},
				{"a request's step undone", func() {
					p.mustDo(auditlog.Record(p.ctx, p.db, auditlog.Event{Action: "request.undo", ObjectType: "engagement", ObjectID: fmt.Sprint(p.id)}))
				}, true},
				{"several changes at once", func() {
					p.note("2026-07-01", "2026-07-31", p.ctl["CM-01"], p.ctl["CM-02"])
					r := "design_deficiency"
					_, err := p.eng.SetResult(p.ctx, p.id, p.ctl["CM-02"], engagement.ResultInput{DesignResult: &r})
					p.mustDo(err)
					p.mustDo(p.windows.ClearNotExpected(p.ctx, p.id, p.ctl["CM-01"], "2026-03-01"))
				}, true},
			}, false)
		})
	}
}

// change is one change to a programme and whether the progress after it
// is worked out in part.
type change struct {
	name   string
	change func()
	inPart bool
}

// check makes the changes one after the other and compares the progress
// after each with the progress computed whole; orKept allows a change to
// leave the progress kept as it was, for changes that may write nothing.
func (p *programme) check(changes []change, orKept bool) {
	p.t.Helper()
	if _, err := p.eng.Progress(p.ctx, p.id); err != nil {
		p.t.Fatal(err)
	}
	for _, c := range changes {
		c.change()
		whole, inPart := p.eng.ProgressComputations()
		got, err := p.eng.Progress(p.ctx, p.id)
		if err != nil {
			p.t.Fatalf("%s: %v", c.name, err)
		}
		w, i := p.eng.ProgressComputations()
		switch kept := w == whole && i == inPart; {
		case orKept && kept: // nothing changed
		case c.inPart && (i != inPart+1 || w != whole):
			p.t.Errorf("%s: computed whole %d, in part %d times; want once in part", c.name, w-whole, i-inPart)
		case !c.inPart && (w != whole+1 || i != inPart):
			p.t.Errorf("%s: computed whole %d, in part %d times; want once whole", c.name, w-whole, i-inPart)
		}
		if want := p.whole(); !reflect.DeepEqual(got, want) {
			p.t.Fatalf("%s: the progress computed in part differs from the whole: %s", c.name, firstDifference(got, want))
		}
	}
}

// A Type I's evidence flags (dated after the as-of date, older than its
// evidence window) and its controls implemented after the date follow
// the changes the same way.
func TestIncrementalProgressOfATypeIEqualsFullRecompute(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			name, report, typ, asOf := "2026 Type I", "soc2", "type1", "2026-06-30"
			p := newProgramme(t, target, engagement.Input{Name: &name, Report: &report, ReportType: &typ, AsOf: &asOf})
			p.check([]change{
				{"evidence dated after the as-of date", func() { p.note("2026-07-01", "2026-07-31", p.ctl["CM-02"]) }, true},
				{"evidence re-dated before the evidence window", func() {
					from, to := "2025-01-01", "2025-01-31"
					_, err := p.evidence.Update(p.ctx, p.admin, p.ev[5], evidence.Meta{CoversFrom: &from, CoversTo: &to})
					p.mustDo(err)
				}, true},
				{"a control implemented after the as-of date", func() {
					on := "2026-08-01"
					_, err := p.controls.Update(p.ctx, p.ctl["CM-04"], controls.Input{ImplementedOn: &on})
					p.mustDo(err)
				}, true},
				{"an implementation concluded", func() {
					r := "suitably_designed"
					_, err := p.eng.SetResult(p.ctx, p.id, p.ctl["CM-01"], engagement.ResultInput{DesignResult: &r})
					p.mustDo(err)
				}, true},
				{"the evidence window narrowed", func() {
					days := 30
					_, err := p.eng.Update(p.ctx, p.id, engagement.Input{EvidenceWindowDays: &days})
					p.mustDo(err)
				}, false},
			}, false)
		})
	}
}

// firstDifference names the first field where two progresses differ.
func firstDifference(got, want engagement.Progress) string {
	if !reflect.DeepEqual(got.Scoped, want.Scoped) {
		if len(got.Scoped) != len(want.Scoped) {
			return fmt.Sprintf("%d scoped controls, want %d", len(got.Scoped), len(want.Scoped))
		}
		for i := range got.Scoped {
			if !reflect.DeepEqual(got.Scoped[i], want.Scoped[i]) {
				return fmt.Sprintf("scoped control %d:\n got %+v\nwant %+v", i, got.Scoped[i], want.Scoped[i])
			}
		}
	}
	if !reflect.DeepEqual(got.Requirements, want.Requirements) {
		return fmt.Sprintf("requirements:\n got %+v\nwant %+v", got.Requirements, want.Requirements)
	}
	return fmt.Sprintf("\n got %+v\nwant %+v", got.Readiness, got.Readiness)
}
