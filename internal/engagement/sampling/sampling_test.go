package sampling_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

// testbed is a Type II engagement over 2026 with controls mapped to CC8.1.
type testbed struct {
	t    *testing.T
	ctx  context.Context
	db   *store.DB
	svc  *engagement.Service
	smp  *sampling.Service
	id   int64
	user int64
}

func newTestbed(t *testing.T) *testbed {
	t.Helper()
	db := catalogtest.Open(t, storetest.Targets(t)[0])
	b := &testbed{t: t, ctx: context.Background(), db: db, svc: engagement.NewService(db, nil)}
	name, report, typ, from, to := "2026", "soc2", "type2", "2026-01-01", "2026-12-31"
	e, err := b.svc.Create(b.ctx, engagement.Input{Name: &name, Report: &report, ReportType: &typ, PeriodStart: &from, PeriodEnd: &to})
	if err != nil {
		t.Fatal(err)
	}
	b.id, b.smp = e.ID, sampling.NewService(db, b.svc)
	u := store.User{Email: "tester@example.com", Name: "Tester", Role: "compliance", CreatedAt: time.Now()}
	storetest.Must(t, db.W.Create(&u))
	b.user = u.ID
	return b
}

func (b *testbed) control(ref, frequency string) int64 {
	b.t.Helper()
	svc := controls.NewService(b.db)
	title, nature, typ := "Control "+ref, "manual", "detective"
	c, err := svc.Create(b.ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &frequency, Nature: &nature, Type: &typ})
	if err != nil {
		b.t.Fatal(err)
	}
	if err := svc.ApplyMappings(b.ctx, []controls.MappingChange{{ControlID: c.ID, Requirement: "soc2-tsc-2017/CC8.1"}}, nil); err != nil {
		b.t.Fatal(err)
	}
	return c.ID
}

// items are n population items dated through 2026.
func items(n int) []sampling.PopulationItem {
	out := make([]sampling.PopulationItem, n)
	for i := range out {
		d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*7).Format(time.DateOnly)
		out[i] = sampling.PopulationItem{Seq: i + 1, Row: i + 2, ItemID: fmt.Sprintf("I-%02d", i+1), Date: &d, Extra: map[string]string{}}
	}
	return out
}

func (b *testbed) upload(control int64, in sampling.PopulationInput) error {
	if in.FileName == "" {
		in.FileName = "p.csv"
	}
	_, err := b.smp.UploadPopulation(b.ctx, b.id, control, b.user, in)
	return err
}

func (b *testbed) draw(control int64, size *int) engagement.DrawnSample {
	b.t.Helper()
	seed := uint64(11)
	s, err := b.smp.DrawSample(b.ctx, b.id, control, b.user, sampling.DrawInput{Seed: &seed, Size: size, Attributes: []string{"approved"}})
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

func (b *testbed) record(sample int64, seq int, outcome string) {
	b.t.Helper()
	results := map[string]string{"approved": outcome}
	if outcome == "" {
		results = nil
	}
	if err := b.smp.RecordSampleItem(b.ctx, b.id, sample, seq, b.user, sampling.ItemInput{Results: results}); err != nil {
		b.t.Fatal(err)
	}
}

func (b *testbed) items(control, sample int64) []engagement.SampledItem {
	b.t.Helper()
	w, err := b.svc.Work(b.ctx, b.id, control)
	if err != nil {
		b.t.Fatal(err)
	}
	return w.Items[sample]
}

// conclude sets a result and returns the problem fields of a refusal.
func (b *testbed) conclude(control int64, result, shortfall string) (engagement.Result, map[string]string) {
	b.t.Helper()
	in := engagement.ResultInput{Result: &result, TestMethods: &[]string{"inspection"}}
	if shortfall != "" {
		in.ShortfallReason = &shortfall
	}
	r, err := b.svc.SetResult(b.ctx, b.id, control, in)
	if err == nil {
		return r, nil
	}
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid {
		b.t.Fatalf("%s: %v, want a 400", result, err)
	}
	return r, e.Fields
}

func (b *testbed) exceptions() []engagement.ExceptionRow {
	b.t.Helper()
	xs, err := b.svc.Exceptions(b.ctx, b.id)
	if err != nil {
		b.t.Fatal(err)
	}
	return xs
}

func wantRefused(t *testing.T, what string, fields map[string]string, field, words string) {
	t.Helper()
	if !strings.Contains(fields[field], words) {
		t.Errorf("%s: refusal %v, want %s naming %q", what, fields, field, words)
	}
}

// n of m comes from the samples, a failed attribute records its exception,
// and a result the samples do not support is refused, saying why.
func TestResultsFollowTheSamples(t *testing.T) {
	b := newTestbed(t)
	ev := b.control("EV-01", "event-driven")

	bad := items(40)
	late := "2027-01-05"
	bad[1].Date = &late
	err := b.upload(ev, sampling.PopulationInput{Items: bad})
	if err == nil || !strings.Contains(err.Error(), "row 3: item I-02 is dated 2027-01-05") {
		t.Fatalf("an item after the period: %v", err)
	}
	if err := b.upload(ev, sampling.PopulationInput{Items: items(40)}); err != nil {
		t.Fatal(err)
	}
	smp := b.draw(ev, nil)
	if smp.Size != 5 || smp.RequiredSize != 5 { // 13-52 items at lower risk: 5
		t.Fatalf("drawn %d (required %d), want 5", smp.Size, smp.RequiredSize)
	}
	_, fields := b.conclude(ev, "no_exceptions", "")
	wantRefused(t, "nothing tested", fields, "samples", "5 sampled items not tested yet")

	sampled := b.items(ev, smp.ID)
	for _, it := range sampled[:4] {
		b.record(smp.ID, it.Seq, "pass")
	}
	_, fields = b.conclude(ev, "no_exceptions", "")
	wantRefused(t, "one untested", fields, "samples", sampled[4].ItemID)

	b.record(smp.ID, sampled[4].Seq, "fail")
	xs := b.exceptions()
	if len(xs) != 1 || xs[0].SampleID == nil || *xs[0].SampleID != smp.ID || !strings.Contains(xs[0].Description, sampled[4].ItemID) {
		t.Fatalf("the failed item's exception: %+v", xs)
	}
	if got := b.readinessExceptions(); got != 1 {
		t.Errorf("readiness counts %d exceptions for one failed item with its record, want 1", got)
	}
	_, fields = b.conclude(ev, "no_exceptions", "")
	wantRefused(t, "no exceptions with a failure", fields, "result", "1 of 5 tested items failed")
	r, fields := b.conclude(ev, "exceptions_noted", "")
	if fields != nil || r.Label() != "Exceptions noted (1 of 5)" {
		t.Fatalf("exceptions noted: %q %v", r.Label(), fields)
	}

	// An edited description survives the failure being removed and restored.
	edited := "Change approved a day after deployment"
	if _, err := b.svc.UpdateException(b.ctx, b.id, xs[0].ID, &edited, nil, nil); err != nil {
		t.Fatal(err)
	}
	b.record(smp.ID, sampled[4].Seq, "pass")
	if xs := b.exceptions(); len(xs) != 0 {
		t.Fatalf("the exception was not withdrawn: %+v", xs)
	}
	_, fields = b.conclude(ev, "exceptions_noted", "")
	wantRefused(t, "exceptions noted with none", fields, "result", "none of the 5 tested items failed")
	b.record(smp.ID, sampled[4].Seq, "fail")
	if xs := b.exceptions(); len(xs) != 1 || xs[0].Description != edited {
		t.Fatalf("the restored exception: %+v", xs)
	}

	// The extension draws from the items not yet selected and needs testing too.
	seed := uint64(99)
	ext, err := b.smp.ExtendSample(b.ctx, b.id, smp.ID, b.user, 10, &seed, "deviation found")
	if err != nil {
		t.Fatal(err)
	}
	more := b.items(ev, ext.ID)
	for _, it := range more {
		if slices.ContainsFunc(sampled, func(s engagement.SampledItem) bool { return s.Seq == it.Seq }) {
			t.Errorf("the extension re-picked %s", it.ItemID)
		}
	}
	if len(more) != 10 || ext.ExtendsID == nil || *ext.ExtendsID != smp.ID {
		t.Fatalf("extension: %d items, %+v", len(more), ext)
	}
	_, fields = b.conclude(ev, "exceptions_noted", "")
	wantRefused(t, "untested extension", fields, "samples", "10 sampled items not tested yet")
	for _, it := range more {
		b.record(ext.ID, it.Seq, "pass")
	}
	if r, fields = b.conclude(ev, "exceptions_noted", ""); fields != nil || r.Label() != "Exceptions noted (1 of 15)" {
		t.Fatalf("after the extension: %q %v", r.Label(), fields)
	}
	if _, err := b.svc.AddException(b.ctx, b.id, ev, "Found on a walkthrough, outside the sample", ""); err != nil {
		t.Fatal(err)
	}
	if got := b.readinessExceptions(); got != 2 {
		t.Errorf("readiness counts %d exceptions for one failed item and two records, want 2", got)
	}
	// A second extension of either draw still never re-picks.
	ext2, err := b.smp.ExtendSample(b.ctx, b.id, ext.ID, b.user, 25, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, s := range []int64{smp.ID, ext.ID, ext2.ID} {
		for _, it := range b.items(ev, s) {
			if seen[it.Seq] {
				t.Errorf("item %s selected twice", it.ItemID)
			}
			seen[it.Seq] = true
		}
	}
	if len(seen) != 40 {
		t.Errorf("%d of 40 items selected", len(seen))
	}
	if _, err := b.smp.ExtendSample(b.ctx, b.id, smp.ID, b.user, 1, nil, ""); err == nil {
		t.Error("an extension of a fully selected population was drawn")
	}
}

// Fewer tested than required needs its reason, which the result then states.
func TestShortfallNeedsAReason(t *testing.T) {
	b := newTestbed(t)
	ev := b.control("EV-02", "event-driven")
	if err := b.upload(ev, sampling.PopulationInput{Items: items(40)}); err != nil {
		t.Fatal(err)
	}
	three := 3
	smp := b.draw(ev, &three)
	for _, it := range b.items(ev, smp.ID) {
		b.record(smp.ID, it.Seq, "pass")
	}
	_, fields := b.conclude(ev, "no_exceptions", "")
	wantRefused(t, "shortfall", fields, "shortfall_reason", "3 of the 5 items required")
	r, fields := b.conclude(ev, "no_exceptions", "Two tickets were purged by the retention policy.")
	if fields != nil || !strings.Contains(r.Label(), "purged") {
		t.Fatalf("with the reason: %q %v", r.Label(), fields)
	}
}

// "Did not operate" is for a conditional control whose population is
// empty and shown complete.
func TestDidNotOperate(t *testing.T) {
	b := newTestbed(t)
	daily := b.control("DY-01", "daily")
	ev := b.control("EV-03", "event-driven")
	_, fields := b.conclude(daily, "not_tested_no_operation", "")
	wantRefused(t, "a daily control", fields, "result", "only an event-driven or conditional control")
	_, fields = b.conclude(ev, "not_tested_no_operation", "")
	wantRefused(t, "no population", fields, "result", "upload the control's population")

	err := b.upload(ev, sampling.PopulationInput{})
	if e, ok := apperr.As(err); !ok || !strings.Contains(e.Fields["evidence_ids"], "empty population") {
		t.Fatalf("an empty population without its evidence: %v", err)
	}
	proof := store.Evidence{Kind: "note", Title: "Query and its empty result", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	storetest.Must(t, b.db.W.Create(&proof))
	if err := b.upload(ev, sampling.PopulationInput{EvidenceIDs: []int64{proof.ID}}); err != nil {
		t.Fatal(err)
	}
	if r, fields := b.conclude(ev, "not_tested_no_operation", ""); fields != nil || r.Result != "not_tested_no_operation" {
		t.Fatalf("empty and complete: %v", fields)
	}
	if err := b.upload(ev, sampling.PopulationInput{Items: items(3)}); err != nil {
		t.Fatal(err)
	}
	_, fields = b.conclude(ev, "not_tested_no_operation", "")
	wantRefused(t, "a population with items", fields, "result", "the population has 3 items")
}

// Interim and remainder samples combine; the remainder takes what the
// interim did not; they may not overlap.
func TestPhasesCombine(t *testing.T) {
	b := newTestbed(t)
	ev := b.control("EV-04", "event-driven")
	to := "2026-07-31"
	if err := b.upload(ev, sampling.PopulationInput{Phase: "interim", CoversTo: &to, Items: items(30)}); err != nil {
		t.Fatal(err)
	}
	interim := b.draw(ev, nil)
	from := "2026-07-15"
	if err := b.upload(ev, sampling.PopulationInput{Phase: "remainder", CoversFrom: &from, Items: items(0)}); err == nil {
		t.Error("a remainder overlapping the interim was accepted")
	}
	from = "2026-08-01"
	rest := items(52)[31:] // dated from August
	for i := range rest {
		rest[i].Seq = i + 1
	}
	if err := b.upload(ev, sampling.PopulationInput{Phase: "remainder", CoversFrom: &from, Items: rest}); err != nil {
		t.Fatal(err)
	}
	remainder := b.draw(ev, nil)
	// 30 interim items over 212 of 365 days stand for 52: 5 at lower risk,
	// of which the interim takes 3 and the remainder 2.
	if interim.Size != 3 || remainder.Size != 2 {
		t.Errorf("interim %d, remainder %d, want 3 and 2", interim.Size, remainder.Size)
	}
	for _, s := range []engagement.DrawnSample{interim, remainder} {
		for _, it := range b.items(ev, s.ID) {
			b.record(s.ID, it.Seq, "pass")
		}
	}
	if r, fields := b.conclude(ev, "no_exceptions", ""); fields != nil || r.TestedCount != 5 {
		t.Fatalf("combined: %d tested, %v", r.TestedCount, fields)
	}
}

// An engagement keeps the sample table it was created with.
func TestServerTableNeverResizesAnEngagement(t *testing.T) {
	b := newTestbed(t)
	daily := b.control("DY-02", "daily")
	sizeOf := func(svc *engagement.Service) int {
		t.Helper()
		scoped, err := svc.Controls(b.ctx, b.id)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range scoped {
			if c.ID == daily && c.Sample != nil {
				return c.Sample.Size
			}
		}
		t.Fatal("no sample size for the daily control")
		return 0
	}
	if got := sizeOf(b.svc); got != 25 {
		t.Fatalf("daily: %d, want 25", got)
	}
	table, err := engagement.ParseSampleTable("daily=40")
	if err != nil {
		t.Fatal(err)
	}
	if got := sizeOf(engagement.NewService(b.db, table)); got != 25 {
		t.Errorf("a changed server table resized the engagement: %d", got)
	}
	higher := "higher"
	if _, err := b.svc.SetSamplePolicy(b.ctx, b.id, engagement.PolicyInput{Risk: &higher}); err != nil {
		t.Fatal(err)
	}
	if got := sizeOf(b.svc); got != 40 {
		t.Errorf("daily at higher risk: %d, want 40", got)
	}
	bad := "medium"
	if _, err := b.svc.SetSamplePolicy(b.ctx, b.id, engagement.PolicyInput{Risk: &bad}); err == nil {
		t.Error("a risk level of medium was accepted")
	}
}

func (b *testbed) readinessExceptions() int {
	b.t.Helper()
	_, ready, err := b.svc.RollUp(b.ctx, b.id)
	if err != nil {
		b.t.Fatal(err)
	}
	return ready.Exceptions
}
