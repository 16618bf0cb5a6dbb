// Package auth decides who someone is (passwords, sessions, API tokens) and
// what they may do. The permission table below is the only place that says
// which role may do what; handlers ask Principal.Can and nothing else.
package auth

import "slices"

// Role is what a user is in the organisation's compliance programme.
type Role string

const (
	Admin      Role = "admin"      // users, settings, everything
	Compliance Role = "compliance" // scoping, controls, mappings, evidence, engagements
	Owner      Role = "owner"      // control owner: reads everything, edits own controls' evidence and tasks
	Auditor    Role = "auditor"    // reads the engagements granted, until the access end date
	Viewer     Role = "viewer"     // reads everything
)

// Roles lists every role, most powerful first.
var Roles = []Role{Admin, Compliance, Owner, Auditor, Viewer}

// ValidRole reports whether r names a role.
func ValidRole(r string) bool { return slices.Contains(Roles, Role(r)) }

// Permission is one kind of action. Write permissions change data: a
// read-only API token never has them. SessionOnly permissions manage the
// account itself, so a leaked token cannot mint more tokens.
type Permission struct {
	Name        string
	Write       bool
	SessionOnly bool
}

var (
	// Public marks routes that need no sign-in (health, login, first-run setup).
	Public = Permission{Name: "public"}
	// Authenticated: any signed-in user (their own session and profile).
	Authenticated    = Permission{Name: "account.read"}
	ManageOwnAccount = Permission{Name: "account.write", Write: true, SessionOnly: true}
	ReadCatalog      = Permission{Name: "catalog.read"}
	ReadUsers        = Permission{Name: "users.read"}
	// ManageUsers is never a token's: accounts, roles and passwords are
	// managed only from a signed-in session.
	ManageUsers = Permission{Name: "users.manage", Write: true, SessionOnly: true}
	ReadAudit   = Permission{Name: "audit.read"}
	// ReadProgram: controls, mappings, evidence and coverage.
	ReadProgram = Permission{Name: "program.read"}
	// ManageProgram: controls, mappings, SOC 1 objectives, applicability.
	ManageProgram = Permission{Name: "program.manage", Write: true}
	// ManageEvidence: upload and edit evidence; owners only for their controls
	// (see Principal.CanEditEvidenceOf).
	ManageEvidence = Permission{Name: "evidence.manage", Write: true}
	// ReadEngagements: engagements and their state; auditors only those
	// granted to them (see Principal.LimitedToGrantedEngagements).
	ReadEngagements = Permission{Name: "engagements.read"}
	// ReadTasks: one's own tasks; ReadTeamTasks: everyone's, with counts.
	ReadTasks     = Permission{Name: "tasks.read"}
	ReadTeamTasks = Permission{Name: "tasks.read_team"}
	// WorkOnTasks: mark tasks not applicable, done or open again; owners
	// only their own (see Principal.CanWorkOnTask).
	WorkOnTasks = Permission{Name: "tasks.work", Write: true}
	// ManageCalendarFeed: create or revoke one's own calendar feed URL.
	ManageCalendarFeed = Permission{Name: "tasks.feed", Write: true, SessionOnly: true}
	// ReadOutbox: the reminder digests socmap has sent or keeps to send.
	ReadOutbox = Permission{Name: "outbox.read"}
	// IngestScans: push scanner output (POST /api/v1/ingest). A scan links
	// evidence to and opens tasks on any control its checks map to, so it
	// is the compliance team's (a CI job uses a read-write token of a
	// compliance account), never a control owner's.
	IngestScans = Permission{Name: "ingest.write", Write: true}
	// ManageSettings: the installation's stored settings (the organisation's name).
	ManageSettings = Permission{Name: "settings.manage", Write: true}
	// ManageRequests: add, change, generate and import an engagement's
	// requests and accept or return submissions: the auditors' side of the
	// request list (auditors only in engagements granted to them).
	ManageRequests = Permission{Name: "requests.manage", Write: true}
	// WorkOnRequests: submit a request with its evidence; owners only
	// requests they own or about controls they own.
	WorkOnRequests = Permission{Name: "requests.work", Write: true}
	// CommentOnRequests: write in a request's thread; owners as for
	// WorkOnRequests, auditors in engagements granted to them.
	CommentOnRequests = Permission{Name: "requests.comment", Write: true}
	// UndoRequestTransitions: take back a request's last submission,
	// acceptance or return; the service lets only those who may make that
	// transition undo it (owners a submission, auditors a decision).
	UndoRequestTransitions = Permission{Name: "requests.undo", Write: true}
	// RecordTesting: draw samples, record attribute results, exceptions,
	// conclusions, evaluations and their sign-offs. Who holds it depends
	// on who tests the engagement (see Principal.CanTest).
	RecordTesting = Permission{Name: "testing.record", Write: true}
)

var everyone = Roles

// grants is the whole policy: the roles that hold each permission.
var grants = map[string][]Role{
	Authenticated.Name:          everyone,
	ManageOwnAccount.Name:       everyone,
	ReadCatalog.Name:            everyone,
	ReadUsers.Name:              {Admin, Compliance, Owner, Viewer},
	ManageUsers.Name:            {Admin},
	ReadAudit.Name:              {Admin, Compliance, Auditor},
	ReadProgram.Name:            {Admin, Compliance, Owner, Viewer},
	ManageProgram.Name:          {Admin, Compliance},
	ManageEvidence.Name:         {Admin, Compliance, Owner},
	ReadEngagements.Name:        everyone,
	ReadTasks.Name:              {Admin, Compliance, Owner, Viewer},
	ReadTeamTasks.Name:          {Admin, Compliance, Viewer},
	WorkOnTasks.Name:            {Admin, Compliance, Owner},
	ManageCalendarFeed.Name:     {Admin, Compliance, Owner},
	ReadOutbox.Name:             {Admin},
	IngestScans.Name:            {Admin, Compliance},
	ManageSettings.Name:         {Admin},
	ManageRequests.Name:         {Admin, Compliance, Auditor},
	WorkOnRequests.Name:         {Admin, Compliance, Owner},
	CommentOnRequests.Name:      {Admin, Compliance, Owner, Auditor},
	UndoRequestTransitions.Name: {Admin, Compliance, Owner, Auditor},
	RecordTesting.Name:          {Admin, Compliance, Auditor},
}

// RoleCan reports whether a role holds a permission.
func RoleCan(r Role, p Permission) bool {
	return p == Public || slices.Contains(grants[p.Name], r)
}

// AllPermissions lists every permission except Public.
func AllPermissions() []Permission {
	return []Permission{Authenticated, ManageOwnAccount, ReadCatalog, ReadUsers, ManageUsers, ReadAudit,
		ReadProgram, ManageProgram, ManageEvidence, ReadEngagements, ReadTasks, ReadTeamTasks, WorkOnTasks,
		ManageCalendarFeed, ReadOutbox, IngestScans, ManageSettings, ManageRequests, WorkOnRequests, CommentOnRequests, UndoRequestTransitions, RecordTesting}
}

// CanEditEvidenceOf reports whether the principal may add or change
// evidence linked to controls with these owners: control owners only for
// controls that are all theirs, compliance and admins for any.
func (p *Principal) CanEditEvidenceOf(ownerIDs []*int64) bool {
	if !p.Can(ManageEvidence) {
		return false
	}
	if p.Role() != Owner {
		return true
	}
	for _, id := range ownerIDs {
		if id == nil || *id != p.User.ID {
			return false
		}
	}
	return len(ownerIDs) > 0
}

// CanWorkOnTask reports whether the principal may act on a task assigned
// to ownerID: owners only on their own, compliance and admins on any.
func (p *Principal) CanWorkOnTask(ownerID *int64) bool {
	if !p.Can(WorkOnTasks) {
		return false
	}
	return p.Role() != Owner || (ownerID != nil && *ownerID == p.User.ID)
}

// LimitedToGrantedEngagements reports whether the principal sees only the
// engagements granted to them: auditors do, everyone else sees all.
func (p *Principal) LimitedToGrantedEngagements() bool { return p.Role() == Auditor }

// CanTest reports whether the principal may record the testing of an
// engagement (RecordTesting) that the service auditor tests or not: the
// service auditor's testing is the granted auditors' alone, management's
// readiness testing the compliance team's and admins'. This is the one
// place that decides it.
func (p *Principal) CanTest(serviceAuditor bool) bool {
	if !p.Can(RecordTesting) {
		return false
	}
	return (p.Role() == Auditor) == serviceAuditor
}
