// Package demo loads a realistic fictional organisation, Larkspur Payroll:
// a payroll SaaS with a SOC 1 Type II and a SOC 2 Type II (Security,
// Availability, Confidentiality) under way, about 90 controls mapped to
// every in-scope requirement, owners, evidence spread over the periods
// with a few gaps, populations and samples, two exceptions, CUECs and a
// carved-out cloud provider. The same seed and day give the same data.
// Everything goes through the product's own services, so it is validated
// and audited like a user's work.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	ctlsvc "github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/complementary"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/engagement/windows"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/settings"
	objsvc "github.com/socmap/socmap/internal/soc1"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/tasks"
)

// Options choose the demo: its seed, and the day it is built around
// (engagement periods are placed so that today falls inside them).
type Options struct {
	Seed  uint64
	Today time.Time
}

// Result says what was loaded, and the demo administrator's password when
// the demo created that account.
type Result struct {
	AdminEmail    string
	AdminPassword string
	Users         int
	Controls      int
	Evidence      int
	Engagements   []int64
}

// DefaultSeed is the seed the first-run page and `socmap demo` use.
const DefaultSeed = 2026

// Organisation is the demo company's name.
const Organisation = "Larkspur Payroll Ltd"

// loader holds the services and what has been created so far.
type loader struct {
	ctx         context.Context
	db          *store.DB
	rng         *mrand.Rand
	today       time.Time
	users       map[string]store.User // by e-mail
	principal   *auth.Principal       // who uploads the evidence
	controls    *ctlsvc.Service
	soc1        *objsvc.Service
	evidence    *evidence.Service
	engagements *engagement.Service
	// complementary keeps the CUECs, subservice organisations and reviews.
	complements *complementary.Service
	sampling    *sampling.Service
	windows     *windows.Service
	tasks       *tasks.Service
	controlIDs  map[string]int64 // by ref
	result      Result
}

// Load fills an installation that has no programme yet (accounts may
// exist, e.g. the administrator of the first-run page) with the demo.
func Load(ctx context.Context, db *store.DB, blobs blob.Store, t *tasks.Service, opts Options) (Result, error) {
	if err := ensureEmpty(ctx, db); err != nil {
		return Result{}, err
	}
	if opts.Today.IsZero() {
		opts.Today = time.Now()
	}
	l := &loader{ctx: ctx, db: db, rng: mrand.New(mrand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		today:    time.Date(opts.Today.Year(), opts.Today.Month(), opts.Today.Day(), 0, 0, 0, 0, time.UTC),
		controls: ctlsvc.NewService(db), soc1: objsvc.NewService(db), evidence: evidence.NewService(db, blobs, evidence.DefaultMaxUpload),
		engagements: engagement.NewService(db, nil), tasks: t, users: map[string]store.User{}, controlIDs: map[string]int64{}}
	l.complements = complementary.NewService(db, l.engagements)
	l.sampling, l.windows = sampling.NewService(db, l.engagements), windows.NewService(db, l.engagements)
	if _, err := settings.NewService(db).SetOrganisation(ctx, Organisation); err != nil {
		return l.result, err
	}
	l.engagements.SetClock(func() time.Time { return l.today.Add(12 * time.Hour) }) // the windows of the demo's day
	steps := []func() error{l.people, l.holidays, l.objectives, l.controlMatrix, l.engagementsAndScope, l.evidenceFiles,
		l.testing, l.complementary, l.soc1Programme, l.followUp, l.auditRequests, l.typeOne}
	for _, step := range steps {
		if err := step(); err != nil {
			return l.result, err
		}
	}
	return l.result, t.Refresh(ctx, nil)
}

func ensureEmpty(ctx context.Context, db *store.DB) error {
	for _, table := range []string{"controls", "engagements", "evidence"} {
		n, err := db.RowsIn(ctx, table)
		if err != nil {
			return err
		}
		if n > 0 {
			return apperr.Conflict("the demo loads only into an installation without %s: this one has %d", table, n)
		}
	}
	return nil
}

// people creates the demo accounts that do not exist yet. Their passwords
// are random: only the demo administrator's is returned (for `socmap
// demo`); the others can be reset by an administrator.
func (l *loader) people() error {
	svc := auth.NewService(l.db, auth.DefaultSettings(), nil)
	admins, err := l.db.CountActiveAdmins(l.ctx)
	if err != nil {
		return err
	}
	for i, p := range people {
		if i == 0 && admins > 0 {
			continue // the installation has its own administrator
		}
		password := randomPassword()
		in := auth.NewUser{Email: p.Email, Name: p.Name, Role: p.Role, Password: password}
		if p.Role == "auditor" {
			in.AccessUntil = l.today.AddDate(1, 0, 0).Format(time.DateOnly)
		}
		if _, err := svc.CreateUser(l.ctx, auth.Trusted, in); err != nil && !strings.Contains(err.Error(), "exists") {
			return fmt.Errorf("demo user %s: %w", p.Email, err)
		}
		if i == 0 {
			l.result.AdminEmail, l.result.AdminPassword = p.Email, password
		}
		l.result.Users++
	}
	all, err := l.db.UsersInOrderCreated(l.ctx)
	if err != nil {
		return err
	}
	for _, u := range all {
		l.users[u.Email] = u
		if l.principal == nil && u.Role == "admin" && u.DisabledAt == nil {
			l.principal = &auth.Principal{User: u, Via: "session"}
		}
	}
	return nil
}

func randomPassword() string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// objectives adopts Larkspur's reworded SOC 1 objective set in one step,
// as a user confirms a proposed set.
func (l *loader) objectives() error {
	ins := make([]objsvc.Input, len(objectives))
	for i, o := range objectives {
		ins[i] = objsvc.Input{Ref: o.Ref, TemplateRef: o.Template, Title: o.Title, Description: o.Description}
	}
	if _, err := l.soc1.Adopt(l.ctx, ins); err != nil {
		return fmt.Errorf("SOC 1 objectives: %w", err)
	}
	return nil
}

// controlMatrix creates the controls, implemented two years ago, and maps
// them.
func (l *loader) controlMatrix() error {
	var maps []ctlsvc.MappingChange
	for _, s := range controls {
		owner := l.users[people[s.Owner].Email].ID
		implemented := l.today.AddDate(-2, 0, 0).Format(time.DateOnly)
		op := operations[s.Ref]
		if op.implementedMonthsAgo > 0 {
			implemented = l.monthStart(op.implementedMonthsAgo).Format(time.DateOnly)
		}
		in := ctlsvc.Input{Ref: &s.Ref, Title: &s.Title, Description: &s.Description,
			OwnerID: &owner, Frequency: &s.Frequency, Nature: &s.Nature, Type: &s.Type, KeyControl: &s.Key,
			Systems: &s.Systems, ImplementedOn: &implemented, Schedule: op.schedule}
		if op.calendar != "" {
			in.Calendar = &op.calendar
		}
		c, err := l.controls.Create(l.ctx, in)
		if err != nil {
			return fmt.Errorf("control %s: %w", s.Ref, err)
		}
		l.controlIDs[s.Ref] = c.ID
		for _, r := range s.Requirements {
			maps = append(maps, ctlsvc.MappingChange{ControlID: c.ID, Requirement: r})
		}
	}
	l.result.Controls = len(controls)
	if err := l.retirements(); err != nil {
		return err
	}
	// CC6.4 stays applicable: physical access is Stratus Cloud's, carved
	// out and addressed by its CSOCs, VEN-02 and the review of its report.
	if err := l.controls.ApplyMappings(l.ctx, maps, nil); err != nil {
		return fmt.Errorf("mappings: %w", err)
	}
	return nil
}

// retirements retires the controls the demo has replaced.
func (l *loader) retirements() error {
	for _, s := range controls {
		op := operations[s.Ref]
		if op.retiredMonthsAgo == 0 {
			continue
		}
		on := l.monthStart(op.retiredMonthsAgo).AddDate(0, 0, -1).Format(time.DateOnly)
		by := l.controlIDs[op.replacedBy]
		if _, err := l.controls.Update(l.ctx, l.controlIDs[s.Ref], ctlsvc.Input{RetiredOn: &on, ReplacedBy: &by}); err != nil {
			return fmt.Errorf("retiring %s: %w", s.Ref, err)
		}
	}
	return nil
}

// holidays are the organisation's public holidays around today, which
// its business-day controls leave out.
func (l *loader) holidays() error {
	var list []settings.Holiday
	for y := l.today.Year() - 1; y <= l.today.Year()+1; y++ {
		for _, h := range []struct{ md, name string }{{"01-01", "New Year's Day"}, {"05-01", "Labour Day"},
			{"12-25", "Christmas Day"}, {"12-26", "Boxing Day"}} {
			list = append(list, settings.Holiday{Day: fmt.Sprintf("%d-%s", y, h.md), Name: h.name})
		}
	}
	_, err := settings.NewService(l.db).SetHolidays(l.ctx, list)
	return err
}

// periodAround is a twelve-month period starting monthsAgo months before
// today's month.
func (l *loader) periodAround(monthsAgo int) (string, string) {
	start := l.monthStart(monthsAgo)
	return start.Format(time.DateOnly), start.AddDate(1, 0, -1).Format(time.DateOnly)
}

// monthStart is the first day of the month monthsAgo months before today.
func (l *loader) monthStart(monthsAgo int) time.Time {
	return time.Date(l.today.Year(), l.today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -monthsAgo, 0)
}

func (l *loader) engagementsAndScope() error {
	// The SOC 2 period starts mid-month: its windows count from that day.
	soc2From := l.monthStart(7).AddDate(0, 0, 14)
	soc2Start, soc2End := soc2From.Format(time.DateOnly), soc2From.AddDate(1, 0, -1).Format(time.DateOnly)
	soc1Start, soc1End := l.periodAround(5)
	years := func(start, end string) string { return start[:4] + "/" + end[2:4] } // e.g. 2026/27
	objectiveRefs := make([]string, len(objectives))
	for i, o := range objectives {
		objectiveRefs[i] = o.Ref
	}
	specs := []engagement.Input{
		{Name: ptr("SOC 2 Type II " + years(soc2Start, soc2End)), Report: ptr("soc2"), ReportType: ptr("type2"), PeriodStart: &soc2Start,
			PeriodEnd: &soc2End, Categories: &[]string{"availability", "confidentiality"}, AuditFirm: ptr("Hartwell & Co LLP"),
			AuditorContact: ptr("Priya Raman, engagement manager"), Status: ptr("fieldwork"), Tester: ptr(engagement.ServiceAuditor)},
		{Name: ptr("SOC 1 Type II " + years(soc1Start, soc1End) + " (payroll processing)"), Report: ptr("soc1"), ReportType: ptr("type2"),
			PeriodStart: &soc1Start, PeriodEnd: &soc1End, Objectives: &objectiveRefs, AuditFirm: ptr("Hartwell & Co LLP"),
			Status: ptr("planning")},
	}
	for _, in := range specs {
		e, err := l.engagements.Create(l.ctx, in)
		if err != nil {
			return fmt.Errorf("engagement %s: %w", *in.Name, err)
		}
		if in.Status != nil && *in.Status != "planning" {
			if _, err := l.engagements.Update(l.ctx, e.ID, engagement.Input{Status: in.Status}); err != nil {
				return err
			}
		}
		l.result.Engagements = append(l.result.Engagements, e.ID)
	}
	for _, p := range people {
		if p.Role == "auditor" {
			return l.engagements.SetAuditors(l.ctx, l.result.Engagements[0], []string{p.Email}, nil)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
