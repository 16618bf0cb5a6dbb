package tasks

import (
	"context"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// program is a store with the services tasks are derived from.
type program struct {
	t           *testing.T
	ctx         context.Context
	db          *store.DB
	admin       *auth.Principal
	owner       store.User
	controls    *controls.Service
	evidence    *evidence.Service
	engagements *engagement.Service
	tasks       *Service
}

func newProgram(t *testing.T, target storetest.Target) *program {
	t.Helper()
	db := storetest.Open(t, target)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p := &program{t: t, ctx: context.Background(), db: db, controls: controls.NewService(db),
		evidence: evidence.NewService(db, blobs, 1<<20), engagements: engagement.NewService(db, nil)}
	settings := DefaultSettings()
	settings.LookAheadDays = 366 // every window of the tests' periods
	p.tasks = NewService(db, p.engagements, settings)
	p.at("2026-03-15T12:00:00Z")
	p.admin = &auth.Principal{User: p.user("admin@example.com", "admin")}
	p.owner = p.user("owner@example.com", "owner")
	return p
}

func (p *program) user(email, role string) store.User {
	u := store.User{Email: email, Role: role, PasswordHash: "x", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := p.db.W.Create(&u).Error; err != nil {
		p.t.Fatal(err)
	}
	return u
}

// at sets the task clock.
func (p *program) at(rfc3339 string) {
	now, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		p.t.Fatal(err)
	}
	p.tasks.SetClock(func() time.Time { return now })
}

func (p *program) control(ref, frequency string) store.Control {
	p.t.Helper()
	title, nature, typ := "Control "+ref, "manual", "detective"
	c, err := p.controls.Create(p.ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &frequency,
		Nature: &nature, Type: &typ, OwnerID: &p.owner.ID})
	if err != nil {
		p.t.Fatal(err)
	}
	return c
}

// engagement creates a Type II engagement with the controls in scope.
func (p *program) engagement(start, end string, controlIDs ...int64) engagement.Engagement {
	p.t.Helper()
	name, report, typ := "SOC 2 Type II "+start, "soc2", "type2"
	e, err := p.engagements.Create(p.ctx, engagement.Input{Name: &name, Report: &report, ReportType: &typ,
		PeriodStart: &start, PeriodEnd: &end})
	if err != nil {
		p.t.Fatal(err)
	}
	for _, id := range controlIDs {
		if err := p.engagements.SetScope(p.ctx, e.ID, id, true, "in scope for the test"); err != nil {
			p.t.Fatal(err)
		}
	}
	return e
}

// note adds note evidence for a control covering [from, to].
func (p *program) note(controlID int64, from, to string, expires *string) store.Evidence {
	p.t.Helper()
	title := "Evidence " + from
	ids := []int64{controlID}
	e, err := p.evidence.CreateOther(p.ctx, p.admin, "note", "", "done", evidence.Meta{Title: &title,
		CoversFrom: &from, CoversTo: &to, ExpiresOn: expires, ControlIDs: &ids})
	if err != nil {
		p.t.Fatal(err)
	}
	return e
}

func (p *program) refresh() {
	p.t.Helper()
	if err := p.tasks.Refresh(p.ctx, nil); err != nil {
		p.t.Fatal(err)
	}
}

func (p *program) list(f Filter) []Row {
	p.t.Helper()
	rows, total, err := p.tasks.List(p.ctx, f)
	if err != nil {
		p.t.Fatal(err)
	}
	if int(total) != len(rows) && f.Limit == 0 {
		p.t.Fatalf("total %d but %d rows", total, len(rows))
	}
	return rows
}

func byLabel(rows []Row) map[string]Row {
	out := map[string]Row{}
	for _, r := range rows {
		out[r.WindowLabel] = r
	}
	return out
}

func TestOccurrenceTasksForEachFrequency(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			tests := []struct {
				frequency            string
				count                int
				firstLabel, firstDue string
			}{
				{"annual", 0, "", ""}, // a six-month period holds no whole year
				{"semi-annual", 1, "2026-H1", "2026-07-14"},
				{"quarterly", 2, "2026-Q1", "2026-04-14"},
				{"monthly", 6, "January 2026", "2026-02-14"},
				// Weeks and fortnights are counted from the period's first
				// day (a Thursday); the cut-off last one is not expected.
				{"bi-weekly", 12, "Fortnight 1 (2026-01-01 to 2026-01-14)", "2026-01-28"},
				{"weekly", 25, "Week 1 (2026-01-01 to 2026-01-07)", "2026-01-21"},
				// 181 days, asked for a month at a time.
				{"daily", 6, "January 2026", "2026-02-14"},
				{"several-times-a-day", 6, "January 2026", "2026-02-14"},
				// A continuous control people run is sized by its population.
				{"continuous", 0, "", ""},
				{"event-driven", 0, "", ""},
			}
			var ids []int64
			for _, tt := range tests {
				ids = append(ids, p.control("C-"+tt.frequency, tt.frequency).ID)
			}
			e := p.engagement("2026-01-01", "2026-06-30", ids...)
			p.refresh()
			for i, tt := range tests {
				rows := p.list(Filter{ControlID: ids[i]})
				if len(rows) != tt.count {
					t.Errorf("%s: %d tasks, want %d", tt.frequency, len(rows), tt.count)
					continue
				}
				if tt.count == 0 {
					continue
				}
				first := rows[0]
				for _, r := range rows {
					if r.DueOn < first.DueOn {
						first = r
					}
				}
				if first.WindowLabel != tt.firstLabel || first.DueOn != tt.firstDue || first.Kind != "occurrence" ||
					first.OwnerID == nil || *first.OwnerID != p.owner.ID || first.OwnerEmail != "owner@example.com" ||
					len(first.Engagements) != 1 || first.Engagements[0].ID != e.ID {
					t.Errorf("%s: first task %+v", tt.frequency, first)
				}
			}
			// Refreshing again changes nothing.
			before := p.list(Filter{})
			p.refresh()
			if after := p.list(Filter{}); len(after) != len(before) || after[0].ID != before[0].ID {
				t.Errorf("a second refresh changed the tasks: %d then %d", len(before), len(after))
			}
		})
	}
}

func TestStatesAndEvidenceCompletion(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			c := p.control("AC-03", "monthly")
			p.engagement("2026-01-01", "2026-06-30", c.ID)
			march := p.note(c.ID, "2026-03-03", "2026-03-03", nil)
			p.refresh()
			tasks := byLabel(p.list(Filter{ControlID: c.ID}))
			// Today is 2026-03-15: January is past its grace (due 02-14),
			// February is due until 03-14 so overdue today, March is
			// covered, April has not opened.
			for label, want := range map[string]string{"January 2026": "overdue", "February 2026": "overdue",
				"March 2026": "done", "April 2026": "upcoming"} {
				if got := tasks[label].State; got != want {
					t.Errorf("%s: %s, want %s", label, got, want)
				}
			}
			if m := tasks["March 2026"]; m.DoneVia != "evidence" || m.DoneEvidenceID == nil || *m.DoneEvidenceID != march.ID {
				t.Errorf("March was not completed by its evidence: %+v", m)
			}
			// Evidence for February completes it; deleting March's reopens March.
			p.note(c.ID, "2026-02-01", "2026-02-28", nil)
			if err := p.evidence.Delete(p.ctx, p.admin, march.ID, ""); err != nil {
				t.Fatal(err)
			}
			p.refresh()
			tasks = byLabel(p.list(Filter{ControlID: c.ID}))
			if tasks["February 2026"].State != "done" || tasks["March 2026"].State != "due" {
				t.Errorf("after evidence changes: February %s, March %s", tasks["February 2026"].State, tasks["March 2026"].State)
			}
			// The list is most urgent first.
			rows := p.list(Filter{ControlID: c.ID})
			if rows[0].WindowLabel != "January 2026" || rows[1].State != "due" || rows[len(rows)-1].State != "done" {
				t.Errorf("order: %s %s … %s", rows[0].WindowLabel, rows[1].State, rows[len(rows)-1].State)
			}
			overdue := p.list(Filter{States: []string{"overdue"}})
			if len(overdue) != 1 || overdue[0].WindowLabel != "January 2026" {
				t.Errorf("overdue filter: %+v", overdue)
			}
		})
	}
}

func TestOverdueFollowsTheOrganisationsTimeZone(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	c := p.control("AC-03", "monthly")
	p.engagement("2026-01-01", "2026-06-30", c.ID)
	// March's task is due 2026-04-14. At 23:30 UTC that day it is already
	// the 15th in Auckland and still the 14th in New York.
	p.at("2026-04-14T23:30:00Z")
	p.refresh()
	for zone, want := range map[string]string{"UTC": "due", "Pacific/Auckland": "overdue", "America/New_York": "due"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		p.tasks.settings.Location = loc
		if got := byLabel(p.list(Filter{ControlID: c.ID}))["March 2026"].State; got != want {
			t.Errorf("%s: March is %s, want %s", zone, got, want)
		}
	}
	// And a moment later, past midnight UTC, it is overdue in UTC too.
	p.tasks.settings.Location = time.UTC
	p.at("2026-04-15T00:00:01Z")
	if got := byLabel(p.list(Filter{ControlID: c.ID}))["March 2026"].State; got != "overdue" {
		t.Errorf("UTC after midnight: %s", got)
	}
}

func TestRegenerationKeepsHistory(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			c := p.control("AC-03", "monthly")
			p.engagement("2026-01-01", "2026-06-30", c.ID)
			p.note(c.ID, "2026-01-10", "2026-01-10", nil)
			p.refresh()
			feb := byLabel(p.list(Filter{ControlID: c.ID}))["February 2026"]
			if err := p.tasks.SetNotApplicable(p.ctx, p.admin, feb.ID, "system migration month", nil); err != nil {
				t.Fatal(err)
			}
			// A new owner takes over open tasks; a quarterly frequency
			// replaces the open monthly tasks; January (done) and February
			// (not applicable) stay as they were.
			other := p.user("new-owner@example.com", "owner")
			quarterly := "quarterly"
			if _, err := p.controls.Update(p.ctx, c.ID, controls.Input{Frequency: &quarterly, OwnerID: &other.ID}); err != nil {
				t.Fatal(err)
			}
			p.refresh()
			tasks := byLabel(p.list(Filter{ControlID: c.ID}))
			if len(tasks) != 4 {
				t.Fatalf("want January, February, Q1, Q2; got %v", keys(tasks))
			}
			jan, feb2 := tasks["January 2026"], tasks["February 2026"]
			if jan.State != "done" || *jan.OwnerID != p.owner.ID || feb2.State != "not_applicable" || feb2.NaReason != "system migration month" {
				t.Errorf("history changed: %+v / %+v", jan, feb2)
			}
			q1, q2 := tasks["2026-Q1"], tasks["2026-Q2"]
			if q1.State != "done" || q2.State != "upcoming" || *q2.OwnerID != other.ID || q2.DueOn != "2026-07-14" {
				t.Errorf("quarterly tasks: %+v / %+v", q1, q2)
			}
		})
	}
}

func keys(m map[string]Row) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestMonitoringAndRenewalTasks(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	c := p.control("BK-01", "quarterly")
	// Monitoring runs from the later of the implementation date and the
	// day the control was recorded, up to the current window.
	implemented := "2025-05-01"
	if _, err := p.controls.Update(p.ctx, c.ID, controls.Input{ImplementedOn: &implemented}); err != nil {
		t.Fatal(err)
	}
	recorded := time.Date(2025, 8, 20, 9, 0, 0, 0, time.UTC)
	if err := p.db.W.Model(&store.Control{}).Where("id = ?", c.ID).Update("created_at", recorded).Error; err != nil {
		t.Fatal(err)
	}
	p.refresh()
	labels := map[string]bool{}
	for _, r := range p.list(Filter{ControlID: c.ID, Kind: "occurrence"}) {
		labels[r.WindowLabel] = true
		if len(r.Engagements) != 0 {
			t.Errorf("a monitoring task names engagements: %+v", r)
		}
	}
	if len(labels) != 3 || !labels["2025-Q3"] || !labels["2025-Q4"] || !labels["2026-Q1"] {
		t.Errorf("monitoring windows: %v", labels)
	}
	// Evidence expiring within 30 days asks for its renewal; newer evidence
	// that expires later completes it.
	soon := "2026-04-01"
	old := p.note(c.ID, "2026-01-01", "2026-01-31", &soon)
	p.refresh()
	renewals := p.list(Filter{Kind: "renewal"})
	if len(renewals) != 1 || renewals[0].State != "due" || renewals[0].DueOn != soon || *renewals[0].EvidenceID != old.ID {
		t.Fatalf("renewal tasks: %+v", renewals)
	}
	later := "2027-04-01"
	p.note(c.ID, "2026-03-01", "2026-03-10", &later)
	p.refresh()
	if r := p.list(Filter{Kind: "renewal"}); len(r) != 1 || r[0].State != "done" {
		t.Errorf("renewal after new evidence: %+v", r)
	}
}

func controlsOwner(id int64) controls.Input { return controls.Input{OwnerID: &id} }
