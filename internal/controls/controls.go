// Package controls keeps the organisation's controls, their mappings to
// SOC 2 criteria and SOC 1 objectives, the organisation's own SOC 1
// objectives, and which requirements are out of scope.
package controls

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// The fixed vocabularies of a control, in the order the UI offers them.
var (
	Frequencies = []string{"annual", "semi-annual", "quarterly", "monthly", "bi-weekly", "weekly", "daily",
		"several-times-a-day", "continuous", "event-driven"}
	Natures  = []string{"manual", "automated", "it-dependent-manual"}
	Types    = []string{"preventive", "detective", "corrective"}
	Statuses = []string{"draft", "active", "retired"}
)

// Service manages controls.
type Service struct {
	db  Store
	now func() time.Time
	// Changed hears which controls changed (their attributes, mappings or
	// the applicability of their requirements).
	Changed store.ControlsChanged
}

func NewService(db Store) *Service {
	return &Service{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// Input is a control as a user writes it; nil fields are left unchanged by
// Update and take defaults in Create.
type Input struct {
	Ref         *string
	Title       *string
	Description *string
	OwnerID     *int64 // 0 removes the owner
	Performer   *string
	Frequency   *string
	Nature      *string
	Type        *string
	KeyControl  *bool
	IPE         *bool
	Systems     *string
	// EvidenceExpected, RiskAddressed and IPERelied are the organisation's
	// own words on what the control leaves behind, the risk it answers and
	// the reports it relies on.
	EvidenceExpected *string
	RiskAddressed    *string
	IPERelied        *string
	ImplementedOn    *string // "" removes it
	Status           *string
	RetiredOn        *string // "" removes it; the last day the control operated
	ReplacedBy       *int64  // 0 removes it
	Schedule         *period.Schedule
	Calendar         *string // every-day, business-days
	// IfVersion, when set, is the version the writer read (If-Match): the
	// save is refused with apperr.KindStale unless the row is still at it.
	IfVersion *int64
}

// Calendars a daily control can run on.
var Calendars = []string{EveryDay, BusinessDays}

const (
	EveryDay     = "every-day"
	BusinessDays = "business-days"
)

var refPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

// apply copies the input onto c and reports every invalid field.
func (s *Service) apply(ctx context.Context, c *store.Control, in Input) error {
	f := apperr.Fields{}
	if in.Ref != nil && !refPattern.MatchString(strings.TrimSpace(*in.Ref)) {
		f["ref"] = "1 to 32 letters, digits, dots, dashes or underscores, e.g. AC-03"
	} else {
		f.Text("ref", in.Ref, &c.Ref, 32)
	}
	f.Text("title", in.Title, &c.Title, 200)
	f.Text("description", in.Description, &c.Description, 10000)
	f.Text("performer", in.Performer, &c.Performer, 200)
	f.Text("systems", in.Systems, &c.Systems, 1000)
	f.Text("evidence_expected", in.EvidenceExpected, &c.EvidenceExpected, 5000)
	f.Text("risk_addressed", in.RiskAddressed, &c.RiskAddressed, 5000)
	f.Text("ipe_relied_on", in.IPERelied, &c.IPERelied, 5000)
	f.Choice("frequency", in.Frequency, &c.Frequency, Frequencies)
	f.Choice("nature", in.Nature, &c.Nature, Natures)
	f.Choice("type", in.Type, &c.ControlType, Types)
	f.Choice("status", in.Status, &c.Status, Statuses)
	f.Date("implemented_on", in.ImplementedOn, &c.ImplementedOn)
	f.Date("retired_on", in.RetiredOn, &c.RetiredOn)
	f.Choice("calendar", in.Calendar, &c.Calendar, Calendars)
	if in.Schedule != nil {
		c.Schedule = in.Schedule.Encode()
	}
	if in.RetiredOn != nil && *in.RetiredOn != "" && in.Status == nil {
		c.Status = "retired" // a retirement date retires the control
	}
	if err := s.applyReplacement(ctx, c, in, f); err != nil {
		return err
	}
	if in.KeyControl != nil {
		c.KeyControl = *in.KeyControl
	}
	if in.IPE != nil {
		c.IPE = *in.IPE
	}
	if in.OwnerID != nil {
		if *in.OwnerID == 0 {
			c.OwnerID = nil
		} else if msg := s.ownerProblem(ctx, *in.OwnerID); msg != "" {
			f["owner_id"] = msg
		} else {
			c.OwnerID = in.OwnerID
		}
	}
	f.Require("title", c.Title)
	f.Require("frequency", c.Frequency)
	f.Require("nature", c.Nature)
	f.Require("type", c.ControlType)
	checkOperation(*c, f)
	return f.Err("the control cannot be saved as given")
}

// applyReplacement sets the control that took over from a retired one.
func (s *Service) applyReplacement(ctx context.Context, c *store.Control, in Input, f apperr.Fields) error {
	if in.ReplacedBy == nil {
		return nil
	}
	if *in.ReplacedBy == 0 {
		c.ReplacedBy = nil
		return nil
	}
	if c.ID != 0 && *in.ReplacedBy == c.ID {
		f["replaced_by"] = "a control cannot replace itself"
		return nil
	}
	exists, err := s.db.ControlExists(ctx, *in.ReplacedBy)
	if err != nil {
		return err
	}
	if !exists {
		f["replaced_by"] = fmt.Sprintf("control %d not found", *in.ReplacedBy)
		return nil
	}
	c.ReplacedBy = in.ReplacedBy
	return nil
}

// checkOperation reports what does not fit together in when the control
// operates: a schedule for another frequency, business days for a
// control that is not daily, a retirement before the implementation.
func checkOperation(c store.Control, f apperr.Fields) {
	if f["frequency"] != "" || f["implemented_on"] != "" || f["retired_on"] != "" || f["calendar"] != "" {
		return
	}
	if c.ReplacedBy != nil && c.RetiredOn == nil && f["replaced_by"] == "" {
		f["replaced_by"] = "only a retired control is replaced: give its retirement date (retired_on)"
	}
	pc, err := OperationOf(c)
	if err != nil {
		f["schedule"] = err.Error()
		return
	}
	if err := pc.Check(); err != nil {
		switch {
		case pc.BusinessDays && pc.Frequency != period.Daily && pc.Frequency != period.SeveralTimesADay:
			f["calendar"] = "business days are for daily controls"
		case !pc.Retired.IsZero() && pc.Retired.Before(pc.Implemented):
			f["retired_on"] = err.Error()
		default:
			f["schedule"] = err.Error()
		}
	}
}

// OperationOf is what the period arithmetic needs to know of a control.
func OperationOf(c store.Control) (period.Control, error) {
	pc := period.Control{Frequency: c.Frequency, Nature: c.Nature, BusinessDays: c.Calendar == BusinessDays}
	var err error
	if pc.Schedule, err = period.ParseSchedule(c.Schedule); err != nil {
		return pc, err
	}
	if c.ImplementedOn != nil {
		if pc.Implemented, err = civil.Parse(*c.ImplementedOn); err != nil {
			return pc, fmt.Errorf("implemented on: %w", err)
		}
	}
	if c.RetiredOn != nil {
		if pc.Retired, err = civil.Parse(*c.RetiredOn); err != nil {
			return pc, fmt.Errorf("retired on: %w", err)
		}
	}
	return pc, nil
}

func (s *Service) ownerProblem(ctx context.Context, id int64) string {
	u, err := s.db.UserByID(ctx, id)
	if err != nil {
		return "no such user"
	}
	if u.DisabledAt != nil {
		return "this user is disabled"
	}
	return ""
}

// snapshot is how a control appears in the audit trail.
func snapshot(c store.Control) map[string]any {
	return map[string]any{"ref": c.Ref, "title": c.Title, "description": c.Description, "owner_id": c.OwnerID,
		"performer": c.Performer, "frequency": c.Frequency, "nature": c.Nature, "type": c.ControlType,
		"key_control": c.KeyControl, "ipe": c.IPE, "systems": c.Systems, "implemented_on": c.ImplementedOn,
		"status": c.Status, "retired_on": c.RetiredOn, "replaced_by": c.ReplacedBy, "schedule": c.Schedule,
		"calendar": c.Calendar, "evidence_expected": c.EvidenceExpected, "risk_addressed": c.RiskAddressed,
		"ipe_relied_on": c.IPERelied}
}

// Create adds a control. Status defaults to active.
func (s *Service) Create(ctx context.Context, in Input) (store.Control, error) {
	c := store.Control{Status: "active", Calendar: EveryDay, CreatedAt: s.now(), UpdatedAt: s.now()}
	if in.Ref == nil {
		in.Ref = new(string)
	}
	if in.Title == nil {
		in.Title = new(string)
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.apply(ctx, &c, in); err != nil {
			return err
		}
		if err := s.db.CreateControl(ctx, &c); err != nil {
			return duplicateRef(err, c.Ref)
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "control.create", ObjectType: "control",
			ObjectID: fmt.Sprint(c.ID), Changes: auditlog.Diff(nil, snapshot(c))})
	})
	s.Changed.Notify(ctx, err, []int64{c.ID})
	return c, err
}

func duplicateRef(err error, ref string) error {
	if store.IsDuplicate(err) {
		return apperr.Invalid("another control already has this reference",
			map[string]string{"ref": fmt.Sprintf("%s is taken", ref)})
	}
	return err
}

// Update changes a control's fields.
func (s *Service) Update(ctx context.Context, id int64, in Input) (store.Control, error) {
	var c store.Control
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		c, err = s.update(ctx, id, in)
		return err
	})
	s.Changed.Notify(ctx, err, []int64{id})
	return c, err
}

// maxBulk bounds one bulk change.
const maxBulk = 1000

// UpdateMany makes one change to several controls in one transaction: all
// of them change or none does, and a refusal names the control (and its
// place in the list) it is about. Each change is audited as its own.
func (s *Service) UpdateMany(ctx context.Context, ids []int64, in Input) error {
	if len(ids) == 0 || len(ids) > maxBulk {
		return apperr.Invalid(fmt.Sprintf("choose from 1 to %d controls", maxBulk), map[string]string{"control_ids": fmt.Sprintf("%d given", len(ids))})
	}
	if in.Ref != nil {
		return apperr.Invalid("a reference is one control's: change it on its page", map[string]string{"ref": "not a bulk change"})
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		for i, id := range ids {
			if _, err := s.update(ctx, id, in); err != nil {
				return s.inRow(ctx, err, i, id)
			}
		}
		return nil
	})
	s.Changed.Notify(ctx, err, ids)
	return err
}

// inRow turns a refusal about one control of a bulk change into a 400
// that names the control and its place in the list.
func (s *Service) inRow(ctx context.Context, err error, i int, id int64) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	name := fmt.Sprintf("control %d", id)
	ref, err := s.db.ControlRefOf(ctx, id)
	if err != nil {
		return err
	}
	if ref != "" {
		name = ref
	}
	fields := map[string]string{"control_ids": fmt.Sprintf("row %d: %s", i+1, name)}
	for k, v := range e.Fields {
		fields[k] = v
	}
	return apperr.Invalid(fmt.Sprintf("%s (row %d): %s; nothing was changed", name, i+1, e.Message), fields)
}

// update changes one control inside the caller's transaction.
func (s *Service) update(ctx context.Context, id int64, in Input) (store.Control, error) {
	c, err := s.take(ctx, id)
	if err != nil {
		return c, err
	}
	before := snapshot(c)
	if err := s.apply(ctx, &c, in); err != nil {
		return c, err
	}
	c.UpdatedAt = s.now()
	if err := s.db.SaveControl(ctx, &c, in.IfVersion); err != nil {
		return c, duplicateRef(err, c.Ref)
	}
	changes := auditlog.Diff(before, snapshot(c))
	if len(changes) == 0 {
		return c, nil
	}
	return c, auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "control.update", ObjectType: "control",
		ObjectID: fmt.Sprint(c.ID), Changes: changes})
}

func (s *Service) take(ctx context.Context, id int64) (store.Control, error) {
	c, err := s.db.ControlByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return c, apperr.NotFound("control %d not found", id)
	}
	return c, err
}

// Delete removes a control that nothing refers to yet. A control with
// evidence is kept for the record: retire it instead.
func (s *Service) Delete(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		c, err := s.take(ctx, id)
		if err != nil {
			return err
		}
		if err := s.deletable(ctx, c); err != nil {
			return err
		}
		// Anything still referring to it that the checks missed is
		// history too: refused, never a 500 and never a cascade.
		if err := s.db.DeleteControl(ctx, c); errors.Is(err, store.ErrReferenced) {
			return apperr.Conflict("%s is referred to by other records and stays on record: retire it instead", c.Ref)
		} else if err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "control.delete", ObjectType: "control",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(snapshot(c), nil)})
	})
}

// deletable refuses the deletion of a control that stays on record.
func (s *Service) deletable(ctx context.Context, c store.Control) error {
	b, err := s.db.ControlBlockers(ctx, c.ID)
	switch {
	case err != nil:
		return err
	case b.Evidence > 0:
		return apperr.Conflict("%s has %d evidence item(s) and stays on record: set its status to retired instead", c.Ref, b.Evidence)
	case b.WindowMarks > 0:
		return apperr.Conflict("%s has %d window(s) marked not expected and stays on record: retire it instead", c.Ref, b.WindowMarks)
	case b.Successor != "":
		return apperr.Conflict("%s is recorded as replaced by %s: clear that first", b.Successor, c.Ref)
	case b.History != "":
		return apperr.Conflict("%s has %s and stays on record: retire it instead", c.Ref, b.History)
	}
	return nil
}
