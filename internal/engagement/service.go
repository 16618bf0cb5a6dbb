package engagement

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Engagement is one SOC report being prepared.
type Engagement store.Engagement

// The engagement vocabularies.
var (
	Reports     = []string{"soc1", "soc2"}
	Types       = []string{"type1", "type2"}
	StatusFlow  = []string{"planning", "fieldwork", "reporting", "issued", "closed"}
	SOC2Options = []string{"availability", "confidentiality", "processing_integrity", "privacy"}
	Testers     = []string{ManagementReadiness, ServiceAuditor}
)

// Who tests an engagement. With ServiceAuditor the auditors granted it
// draw the samples and record the results, conclusions and evaluations
// in socmap; with ManagementReadiness management tests its own controls
// before the audit, and every page and sheet says so.
const (
	ServiceAuditor      = "service_auditor"
	ManagementReadiness = "management_readiness"
)

// ReadinessLabel is what a page or sheet of a management-readiness
// engagement says its testing is.
const ReadinessLabel = "Readiness testing by management"

// ServiceAuditorTests reports whether the granted auditors test e.
func (e Engagement) ServiceAuditorTests() bool { return e.Tester == ServiceAuditor }

// TestedBy says in words who tests e.
func (e Engagement) TestedBy() string {
	if e.ServiceAuditorTests() {
		return "Tested by the service auditor"
	}
	return ReadinessLabel
}

// PrintTitle is e's name as the head of every printed page says it: a
// management-readiness engagement says so, lest its testing be taken for
// the auditor's.
func (e Engagement) PrintTitle() string {
	if e.ServiceAuditorTests() {
		return e.Name
	}
	return e.Name + " (" + strings.ToLower(ReadinessLabel) + ")"
}

// Service keeps engagements.
type Service struct {
	st          Store
	now         func() time.Time
	sampleTable SampleTable
	// GraceDays is how long after an occurrence window closes its evidence
	// is due: the PBC list's due dates, and the owners' tasks'.
	GraceDays int
	// Location is the organisation's time zone: the day that decides
	// whether a window has ended (nil: UTC).
	Location *time.Location
	// Changed hears of changes to which engagements (and so which
	// occurrence windows) controls are in.
	Changed store.ControlsChanged
	// Records takes the record of an engagement as it locks.
	Records Recorder

	// progress keeps the latest progress of a few engagements: a large
	// engagement's windows take a few megabytes.
	progress auditlog.Cache[progressKey, keptProgress]
	viewed   asked // which engagements' progress was asked for, and when
	computed progressCounts
}

// NewService builds the service with the given sample table (nil: the defaults).
func NewService(db *store.DB, table SampleTable) *Service {
	if table == nil {
		table = DefaultSampleTable()
	}
	return &Service{st: db, now: func() time.Time { return time.Now().UTC() }, sampleTable: table, GraceDays: 14,
		progress: auditlog.Cache[progressKey, keptProgress]{Max: progressKept}}
}

// Input is an engagement as a user writes it; nil fields stay unchanged on
// update. Objectives are refs of the organisation's SOC 1 objectives.
type Input struct {
	Name           *string
	Report         *string
	ReportType     *string
	AsOf           *string
	PeriodStart    *string
	PeriodEnd      *string
	Categories     *[]string
	Objectives     *[]string
	AuditFirm      *string
	AuditorContact *string
	Status         *string
	Tester         *string
	// EvidenceWindowDays: see Engagement.
	EvidenceWindowDays *int
	// PervasivePercent is the share of criteria (1–100) above which the
	// matters modifying the opinion are pervasive.
	PervasivePercent *int
	// IfVersion, when set, is the version the writer read (If-Match): the
	// save is refused with apperr.KindStale unless the row is still at it.
	IfVersion *int64
	// Reason says why a locked engagement goes back to an earlier status;
	// ByAdmin is whether the writer is an admin, who alone may do that.
	Reason  *string
	ByAdmin bool
}

// apply copies the input onto e and reports every invalid field.
func apply(e *Engagement, in Input) apperr.Fields {
	f := apperr.Fields{}
	f.Text("name", in.Name, &e.Name, 200)
	f.Text("audit_firm", in.AuditFirm, &e.AuditFirm, 200)
	f.Text("auditor_contact", in.AuditorContact, &e.AuditorContact, 300)
	f.Choice("report", in.Report, &e.Report, Reports)
	f.Choice("type", in.ReportType, &e.ReportType, Types)
	f.Choice("status", in.Status, &e.Status, StatusFlow)
	f.Choice("tester", in.Tester, &e.Tester, Testers)
	f.Date("as_of", in.AsOf, &e.AsOf)
	f.Date("period_start", in.PeriodStart, &e.PeriodStart)
	f.Date("period_end", in.PeriodEnd, &e.PeriodEnd)
	if in.Categories != nil {
		for _, c := range *in.Categories {
			if c != "security" && !slices.Contains(SOC2Options, c) {
				f["categories"] = "SOC 2 categories: " + strings.Join(SOC2Options, ", ") + " (Security is always in)"
			}
		}
		kept := slices.DeleteFunc(slices.Clone(*in.Categories), func(c string) bool { return c == "security" })
		slices.Sort(kept)
		e.Categories = strings.Join(slices.Compact(kept), ",")
	}
	if in.EvidenceWindowDays != nil {
		if n := *in.EvidenceWindowDays; n < 1 || n > MaxEvidenceWindowDays {
			f["evidence_window_days"] = fmt.Sprintf("between 1 and %d days before the as-of date", MaxEvidenceWindowDays)
		} else {
			e.EvidenceWindowDays = n
		}
	}
	if in.PervasivePercent != nil {
		if *in.PervasivePercent < 1 || *in.PervasivePercent > 100 {
			f["pervasive_percent"] = "a share of the criteria from 1 to 100 percent"
		} else {
			e.PervasivePercent = *in.PervasivePercent
		}
	}
	f.Require("name", e.Name)
	checkDates(e, f)
	return f
}

// checkDates: Type I needs an as-of date, Type II a period.
func checkDates(e *Engagement, fields apperr.Fields) {
	switch e.ReportType {
	case "type1":
		if e.AsOf == nil && fields["as_of"] == "" {
			fields["as_of"] = "a Type I report is as of a date"
		}
		e.PeriodStart, e.PeriodEnd = nil, nil
	case "type2":
		if (e.PeriodStart == nil || e.PeriodEnd == nil) && fields["period_end"] == "" {
			fields["period_end"] = "a Type II report covers a period: give its start and end"
		} else if e.PeriodStart != nil && e.PeriodEnd != nil && *e.PeriodEnd < *e.PeriodStart {
			fields["period_end"] = "the period ends before it starts"
		}
		e.AsOf = nil
	}
	if e.Report == "soc1" && e.Categories != "" {
		fields["categories"] = "SOC 2 categories do not apply to a SOC 1 report"
	}
}

// Warning says what is unusual about an engagement's dates, or "".
func (e Engagement) Warning() string {
	if e.ReportType != "type2" || e.PeriodStart == nil || e.PeriodEnd == nil {
		return ""
	}
	p, err := PeriodOf(e)
	if err != nil {
		return "the period is not valid: " + err.Error()
	}
	return p.Warning()
}

func snapshot(e Engagement, objectives []string) map[string]any {
	return map[string]any{"name": e.Name, "report": e.Report, "type": e.ReportType, "as_of": e.AsOf,
		"period_start": e.PeriodStart, "period_end": e.PeriodEnd, "categories": e.Categories,
		"objectives": strings.Join(objectives, ","), "audit_firm": e.AuditFirm,
		"auditor_contact": e.AuditorContact, "status": e.Status, "tester": e.Tester,
		"evidence_window_days": e.EvidenceWindowDays, "pervasive_percent": e.PervasivePercent}
}

// Create adds an engagement, status planning unless given.
func (s *Service) Create(ctx context.Context, in Input) (Engagement, error) {
	e := Engagement{Status: "planning", Tester: ManagementReadiness, EvidenceWindowDays: DefaultEvidenceWindowDays,
		PervasivePercent: DefaultPervasivePercent,
		CreatedAt:        s.now(), UpdatedAt: s.now()}
	for _, f := range []struct {
		v    *string
		name string
	}{{in.Report, "report"}, {in.ReportType, "type"}} {
		if f.v == nil {
			return e, apperr.Invalid("the engagement cannot be created as given", map[string]string{f.name: "required"})
		}
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		fields := apply(&e, in)
		objectives, msg := s.resolveObjectives(ctx, e, in.Objectives)
		if msg != "" {
			fields["objectives"] = msg
		}
		if len(fields) > 0 {
			return apperr.Invalid("the engagement cannot be created as given", fields)
		}
		policy, err := encodePolicy(s.serverPolicy())
		if err != nil {
			return err
		}
		e.SamplePolicy = policy
		if err := s.st.CreateEngagement(ctx, (*store.Engagement)(&e)); err != nil {
			return err
		}
		if err := s.st.ReplaceObjectives(ctx, e.ID, idsOf(objectives)); err != nil {
			return err
		}
		if err := s.st.InheritApplicability(ctx, e.ID, s.now()); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.create", ObjectType: "engagement",
			ObjectID: fmt.Sprint(e.ID), Changes: auditlog.Diff(nil, snapshot(e, refsOf(objectives)))})
	})
	s.Changed.Notify(ctx, err, nil)
	return e, err
}

// Update changes an engagement.
func (s *Service) Update(ctx context.Context, id int64, in Input) (Engagement, error) {
	var e Engagement
	locking, tasksMove := false, true
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if e, err = s.engagement(ctx, id); err != nil {
			return err
		}
		refs, err := s.st.ObjectiveRefs(ctx, id)
		if err != nil {
			return err
		}
		before, wasStatus := snapshot(e, refs), e.Status
		fields := apply(&e, in)
		var objectives []store.Requirement
		if in.Objectives != nil {
			var msg string
			if objectives, msg = s.resolveObjectives(ctx, e, in.Objectives); msg != "" {
				fields["objectives"] = msg
			}
		}
		if len(fields) > 0 {
			return apperr.Invalid("the engagement cannot be changed as given", fields)
		}
		if err := checkStatusChange(wasStatus, e.Status, in); err != nil {
			return err
		}
		after := snapshot(e, refs)
		if in.Objectives != nil {
			after["objectives"] = strings.Join(refsOf(objectives), ",")
		}
		if err := checkFrozen(e, wasStatus, before, after); err != nil {
			return err
		}
		e.UpdatedAt = s.now()
		if err := s.st.SaveEngagement(ctx, (*store.Engagement)(&e), in.IfVersion); err != nil {
			return err
		}
		if in.Objectives != nil {
			if err := s.st.ReplaceObjectives(ctx, id, idsOf(objectives)); err != nil {
				return err
			}
		}
		if refs, err = s.st.ObjectiveRefs(ctx, id); err != nil {
			return err
		}
		changes := auditlog.Diff(before, snapshot(e, refs))
		tasksMove = !onlyUntasked(changes)
		if len(changes) == 0 {
			return nil
		}
		if statusIndex(e.Status) < statusIndex(wasStatus) && in.Reason != nil {
			changes["reason"] = auditlog.Change{After: strings.TrimSpace(*in.Reason)}
			if !Locked(e.Status) {
				if err := s.supersedeRecord(ctx, id, strings.TrimSpace(*in.Reason)); err != nil {
					return err
				}
			}
		}
		locking = !Locked(wasStatus) && Locked(e.Status)
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.update", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	if tasksMove {
		s.Changed.Notify(ctx, err, nil)
	}
	if err == nil && locking {
		// After the commit, so the record sees the engagement as locked
		// and nothing can change under it any more.
		err = s.takeRecord(ctx, id)
	}
	return e, err
}

// untasked are the engagement's fields no task follows: owners' tasks come
// from the period, the scope and the evidence window, not from where the
// audit stands or who tests. Refreshing every task of a large programme
// takes seconds, so a status change does not.
var untasked = map[string]bool{"status": true, "tester": true}

// onlyUntasked tells whether every change is to a field no task follows.
func onlyUntasked(changes map[string]auditlog.Change) bool {
	for field := range changes {
		if !untasked[field] {
			return false
		}
	}
	return len(changes) > 0
}

// engagement returns an engagement, or a not-found error naming it.
func (s *Service) engagement(ctx context.Context, id int64) (Engagement, error) {
	e, err := s.st.EngagementByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Engagement(e), apperr.NotFound("engagement %d not found", id)
	}
	return Engagement(e), err
}

// resolveObjectives checks that SOC 1 objectives are given only for a SOC 1
// engagement and that each names one of the organisation's objectives.
func (s *Service) resolveObjectives(ctx context.Context, e Engagement, refs *[]string) ([]store.Requirement, string) {
	if refs == nil || len(*refs) == 0 {
		return nil, ""
	}
	if e.Report != "soc1" {
		return nil, "SOC 1 objectives apply only to a SOC 1 engagement"
	}
	found, err := s.st.LiveRequirementsByRef(ctx, orgSOC1, *refs)
	if err != nil {
		return nil, err.Error()
	}
	if len(found) != len(slices.Compact(slices.Sorted(slices.Values(*refs)))) {
		return nil, "unknown objective in the list: use the IDs of your SOC 1 objectives, e.g. CO-01"
	}
	return found, ""
}

const orgSOC1 = "org-soc1"

func idsOf(reqs []store.Requirement) []int64 {
	out := make([]int64, len(reqs))
	for i, r := range reqs {
		out[i] = r.ID
	}
	return out
}

func refsOf(reqs []store.Requirement) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Ref
	}
	return out
}

// Detail is an engagement with its objectives, auditors and date warning.
type Detail struct {
	Engagement
	Objectives []string
	Auditors   []string // e-mail addresses
	Warning    string
}

// Get returns one engagement.
func (s *Service) Get(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	var err error
	if d.Engagement, err = s.engagement(ctx, id); err != nil {
		return d, err
	}
	if d.Objectives, err = s.st.ObjectiveRefs(ctx, id); err != nil {
		return d, err
	}
	d.Auditors, err = s.st.AuditorEmails(ctx, id)
	d.Warning = d.Engagement.Warning()
	return d, err
}

// List returns engagements, newest first; grantedTo limits them to the
// ones an auditor was granted (0: all).
func (s *Service) List(ctx context.Context, grantedTo int64) ([]Engagement, error) {
	var rows []store.Engagement
	var err error
	if grantedTo != 0 {
		rows, err = s.st.EngagementsGrantedTo(ctx, grantedTo)
	} else {
		rows, err = s.st.EngagementsNewestFirst(ctx)
	}
	out := make([]Engagement, len(rows))
	for i, e := range rows {
		out[i] = Engagement(e)
	}
	return out, err
}

// Granted reports whether an auditor may read an engagement.
func (s *Service) Granted(ctx context.Context, engagementID, userID int64) (bool, error) {
	return s.st.IsGranted(ctx, engagementID, userID)
}

// GrantedIDs lists the engagements an auditor may read, as strings for
// audit-trail filtering.
func (s *Service) GrantedIDs(ctx context.Context, userID int64) ([]string, error) {
	ids, err := s.st.GrantedEngagementIDs(ctx, userID)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprint(id)
	}
	return out, err
}

// SetAuditors replaces the auditors who may read an engagement; each must
// be an account with the auditor role.
//
// The grants are part of the engagement as its GET shows it, so they
// count as a save of it: its version moves on, and ifVersion, when set, is
// the version the writer read (If-Match).
func (s *Service) SetAuditors(ctx context.Context, id int64, emails []string, ifVersion *int64) error {
	return s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.engagement(ctx, id)
		if err != nil {
			return err
		}
		e.UpdatedAt = s.now()
		if err := s.st.SaveEngagement(ctx, (*store.Engagement)(&e), ifVersion); err != nil {
			return err
		}
		var ids []int64
		var after []string
		for _, email := range emails {
			u, err := s.st.UserByEmail(ctx, email)
			if err != nil || u.Role != "auditor" {
				return apperr.Invalid("only auditor accounts can be granted an engagement",
					map[string]string{"auditors": email + " is not an auditor account"})
			}
			ids, after = append(ids, u.ID), append(after, u.Email)
		}
		before, err := s.st.AuditorEmails(ctx, id)
		if err != nil {
			return err
		}
		if err := s.st.ReplaceAuditors(ctx, id, ids, s.now()); err != nil {
			return err
		}
		slices.Sort(after)
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.auditors", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{
				"auditors": {Before: strings.Join(before, ","), After: strings.Join(after, ",")}}})
	})
}

// SetScope includes or excludes a control by hand, with the reason.
func (s *Service) SetScope(ctx context.Context, id, controlID int64, included bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 2000 {
		return apperr.Invalid("say why the control is included or excluded", map[string]string{"reason": "required, at most 2000 characters"})
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.engagement(ctx, id); err != nil {
			return err
		}
		if ok, err := s.st.ControlExists(ctx, controlID); err != nil || !ok {
			return apperr.Invalid("unknown control", map[string]string{"control_id": fmt.Sprintf("control %d not found", controlID)})
		}
		o := store.ScopeOverride{EngagementID: id, ControlID: controlID, Included: included, Reason: reason}
		if err := s.st.SaveScopeOverride(ctx, o); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.scope", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{
				"control_id": {After: controlID}, "included": {After: included}, "reason": {After: reason}}})
	})
	s.Changed.Notify(ctx, err, []int64{controlID})
	return err
}

// OrganisationName is the service organisation's name for deliverables:
// the stored setting, so the server and the CLI print the same.
func (s *Service) OrganisationName(ctx context.Context) (string, error) {
	return s.st.Setting(ctx, store.SettingOrganisation)
}
