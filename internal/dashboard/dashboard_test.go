package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"testing"
	"testing/fstest"
	"time"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/dashboard"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/httpapi"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// demoToday is a fixed day, so the demo and its figures are the same on
// every run.
var demoToday = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

type demoProgram struct {
	db          *store.DB
	engagements *engagement.Service
	dashboards  *dashboard.Service
	loaded      demo.Result
}

func loadDemo(tb testing.TB, target storetest.Target) demoProgram {
	tb.Helper()
	ctx := context.Background()
	db := catalogtest.Open(tb, target)
	blobs, err := blob.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	eng := engagement.NewService(db, nil)
	tsk := tasks.NewService(db, eng, tasks.DefaultSettings())
	tsk.SetClock(func() time.Time { return demoToday.Add(9 * time.Hour) })
	loaded, err := demo.Load(ctx, db, blobs, tsk, demo.Options{Seed: demo.DefaultSeed, Today: demoToday})
	if err != nil {
		tb.Fatal(err)
	}
	return demoProgram{db: db, engagements: eng, dashboards: dashboard.NewService(db, eng, tsk), loaded: loaded}
}

func TestDashboardOnDemoData(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := loadDemo(t, target)
			ctx := context.Background()
			soc2 := p.loaded.Engagements[0]
			d, err := p.dashboards.ForEngagement(ctx, soc2)
			if err != nil {
				t.Fatal(err)
			}
			_, ready, err := p.engagements.RollUp(ctx, soc2)
			if err != nil {
				t.Fatal(err)
			}
			if d.Readiness.Percent != ready.Percent || d.Readiness.Percent == 0 || d.Readiness.Percent == 100 {
				t.Errorf("readiness %d, the roll-up says %d", d.Readiness.Percent, ready.Percent)
			}
			keys := []string{}
			for _, part := range d.Readiness.Parts {
				keys = append(keys, part.Key)
				if part.Total == 0 || part.Done > part.Total {
					t.Errorf("part %+v", part)
				}
			}
			// The demo's deviations are not evaluated: a part counts them.
			if !slices.Equal(keys, []string{"design", "windows", "tests", "evaluations", "samples"}) || d.Readiness.Exceptions != 2 {
				t.Errorf("parts %v, exceptions %d", keys, d.Readiness.Exceptions)
			}
			// Security, Availability and Confidentiality, by series in catalog order.
			var series []string
			cells, states, byRef := 0, map[string]int{}, map[string]string{}
			for _, s := range d.Heatmap {
				series = append(series, s.Name)
				for _, c := range s.Cells {
					cells++
					states[c.State]++
					byRef[c.Ref] = c.State
				}
			}
			// Physical access (CC6.4) is Stratus Cloud's, carved out and
			// addressed by it: applicable, not "not applicable".
			if byRef["CC6.4"] != "carved_out" {
				t.Errorf("CC6.4: %s, want carved_out", byRef["CC6.4"])
			}
			if cells != 38 || series[0] != "CC1" || series[len(series)-1] != "C1" || states["not_covered"] != 0 || states["not_applicable"] != 0 ||
				states["deviations_evaluation_needed"] == 0 || states["met_with_exceptions"] != 0 {
				t.Errorf("heatmap: %d cells, series %v, states %v", cells, series, states)
			}
			// The SOC 2 period runs from the 15th: thirteen calendar months.
			if d.Timeline == nil || len(d.Timeline.Months) != 13 || d.Timeline.Today != "2026-11-24" {
				t.Fatalf("timeline %+v", d.Timeline)
			}
			past := d.Timeline.Months[3]
			if past.Windows == 0 || past.Covered == 0 || past.Covered > past.Windows {
				t.Errorf("a past month: %+v", past)
			}
			if len(d.Exceptions) != 1 || d.Exceptions[0].ControlRef != "HR-02" {
				t.Errorf("open exceptions: %+v", d.Exceptions)
			}
			if len(d.Expiring) != 3 || !d.Expiring[0].Expired {
				t.Errorf("expiring evidence: %+v", d.Expiring)
			}
			if len(d.Tasks) == 0 || len(d.Gaps.WithoutOwner) != 0 || len(d.Gaps.WithoutMapping) != 0 {
				t.Errorf("tasks %+v, gaps %+v", d.Tasks, d.Gaps)
			}

			// A conclusion recorded since is counted at once: the cached
			// progress is recomputed when anything has changed.
			results, _, err := p.engagements.Results(ctx, soc2)
			if err != nil {
				t.Fatal(err)
			}
			prog, err := p.engagements.Progress(ctx, soc2)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range prog.Scoped {
				if r, ok := results[c.ID]; c.Included && (!ok || r.DesignResult == "not_assessed") {
					designed := "suitably_designed"
					if _, err := p.engagements.SetResult(ctx, soc2, c.ID, engagement.ResultInput{DesignResult: &designed}); err != nil {
						t.Fatal(err)
					}
					break
				}
			}
			after, err := p.dashboards.ForEngagement(ctx, soc2)
			if err != nil {
				t.Fatal(err)
			}
			if after.Readiness.Parts[0].Done != d.Readiness.Parts[0].Done+1 {
				t.Errorf("design assessed: %d before, %d after a new conclusion", d.Readiness.Parts[0].Done, after.Readiness.Parts[0].Done)
			}

			org, err := p.dashboards.ForOrganisation(ctx)
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]bool{}
			for _, s := range org.Heatmap {
				names[s.Name] = true
			}
			if !names["CC6"] || !names["A1"] || names["PI1"] || !names["Logical access"] || org.Timeline != nil || len(org.Readiness.Parts) != 3 {
				t.Errorf("organisation view: series %v, readiness %+v", names, org.Readiness)
			}
		})
	}
}

// The organisation's readiness cannot be 100 % while a task is overdue or
// evidence has expired: each pulls its own part, and the figure, down.
func TestOrganisationReadinessCountsOverdueAndExpired(t *testing.T) {
	p := loadDemo(t, storetest.Targets(t)[0])
	ctx := context.Background()
	parts := func(d dashboard.Dashboard) map[string]dashboard.Part {
		out := map[string]dashboard.Part{}
		for _, part := range d.Readiness.Parts {
			out[part.Key] = part
		}
		return out
	}
	before, err := p.dashboards.ForOrganisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	overdue := 0
	for _, o := range before.Tasks {
		overdue += o.Overdue
	}
	b := parts(before)
	if overdue > 0 && (b["tasks"].Done != b["tasks"].Total-overdue || before.Readiness.Percent == 100) {
		t.Errorf("%d overdue tasks, tasks part %+v, readiness %d", overdue, b["tasks"], before.Readiness.Percent)
	}
	var id int64
	storetest.Must(t, p.db.R.Table("evidence").Where("deleted_at IS NULL AND (expires_on IS NULL OR expires_on >= ?)", "2026-11-24").Order("id").Limit(1).Pluck("id", &id))
	storetest.Must(t, p.db.W.Exec("UPDATE evidence SET expires_on = '2026-11-01' WHERE id = ?", id))
	after, err := p.dashboards.ForOrganisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := parts(after)
	if a["evidence"].Total != b["evidence"].Total || a["evidence"].Done != b["evidence"].Done-1 || after.Readiness.Percent >= 100 {
		t.Errorf("one more item expired: evidence part %+v then %+v, readiness %d then %d", b["evidence"], a["evidence"], before.Readiness.Percent, after.Readiness.Percent)
	}
}

func TestDemoIsDeterministic(t *testing.T) {
	snapshot := func() []string {
		p := loadDemo(t, storetest.Targets(t)[0])
		var rows []struct {
			Title      string
			CoversFrom *string
			AsOf       *string
		}
		storetest.Must(t, p.db.R.Table("evidence").Select("title, covers_from, as_of").Order("id").Scan(&rows))
		var out []string
		for _, r := range rows {
			out = append(out, r.Title+deref(r.CoversFrom)+deref(r.AsOf))
		}
		var items []string
		storetest.Must(t, p.db.R.Table("population_items").Order("population_id, seq").Pluck("item_id", &items))
		var seeds []string
		storetest.Must(t, p.db.R.Table("samples").Order("id").Pluck("seed", &seeds))
		return append(append(out, items...), seeds...)
	}
	a, b := snapshot(), snapshot()
	if !slices.Equal(a, b) || len(a) < 300 {
		t.Errorf("two loads with the same seed differ (%d and %d rows)", len(a), len(b))
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// BenchmarkDashboardAPI measures GET /api/v1/dashboard for the demo's
// SOC 2 engagement through the real router (session check, handler, JSON)
// and reports the median and 99th percentile latency.
func BenchmarkDashboardAPI(b *testing.B) {
	p := loadDemo(b, storetest.Targets(b)[0])
	ctx := context.Background()
	authSvc := auth.NewService(p.db, auth.DefaultSettings(), nil)
	if _, err := authSvc.CreateUser(ctx, auth.Trusted, auth.NewUser{Email: "bench@example.com", Role: "compliance", Password: "quarterly-evidence-9876"}); err != nil {
		b.Fatal(err)
	}
	cookie, _, err := authSvc.Login(ctx, "bench@example.com", "quarterly-evidence-9876", "bench")
	if err != nil {
		b.Fatal(err)
	}
	tsk := tasks.NewService(p.db, p.engagements, tasks.DefaultSettings())
	h, err := httpapi.NewRouter(httpapi.Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), DB: p.db,
		Auth: authSvc, Engagements: p.engagements, Tasks: tsk, UI: fstest.MapFS{}})
	if err != nil {
		b.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/dashboard?engagement_id=%d", p.loaded.Engagements[0])
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: "socmap_session", Value: cookie})
		w := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(w, req)
		durations = append(durations, time.Since(start))
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	b.StopTimer()
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
}
