package engagement

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// CUEC is a control the user entities must operate for the criteria or
// objectives to be met.
type CUEC struct {
	ID           int64 `gorm:"primaryKey"`
	EngagementID int64
	// Number is its number in the engagement (CUEC-01): handed out once by
	// the engagement's counter, never reused after a delete.
	Number       int
	Text         string
	Requirements string // comma-separated framework/ref
	CreatedAt    time.Time
	store.Versioned
}

func (CUEC) TableName() string { return "cuecs" }

// Subservice is a subservice organisation, presented carve-out or
// inclusive, with the control that monitors it.
type Subservice struct {
	ID                  int64 `gorm:"primaryKey"`
	EngagementID        int64
	Name                string
	Services            string
	Method              string // carve-out, inclusive
	MonitoringControlID *int64
	// ReviewDue: carried into the next period, the organisation's SOC
	// report must be reviewed again for it.
	ReviewDue bool
	CreatedAt time.Time
	store.Versioned
	CSOCs []CSOC `gorm:"foreignKey:SubserviceID"`
}

func (Subservice) TableName() string { return "subservice_orgs" }

// CSOC is a control the subservice organisation must operate.
type CSOC struct {
	ID           int64 `gorm:"primaryKey"`
	SubserviceID int64
	Number       int // CSOC-01 across the engagement's subservice organisations, never reused
	Text         string
	Requirements string
	CreatedAt    time.Time
}

func (CSOC) TableName() string { return "csocs" }

// Ref is the CUEC's stable ID, CUEC-01.
func (c CUEC) Ref() string { return fmt.Sprintf("CUEC-%02d", c.Number) }

// Ref is the CSOC's stable ID, CSOC-01.
func (c CSOC) Ref() string { return fmt.Sprintf("CSOC-%02d", c.Number) }

// takeNumbers moves one of the engagement's counters (cuec_seq, csoc_seq)
// on by n and returns the first of the n numbers it hands out. The counter
// only grows, so a deleted item's number is never given to another.
func takeNumbers(tx *gorm.DB, id int64, counter string, n int) (int, error) {
	if err := tx.Exec("UPDATE engagements SET "+counter+" = "+counter+" + ? WHERE id = ?", n, id).Error; err != nil {
		return 0, err
	}
	var last int
	err := tx.Raw("SELECT "+counter+" FROM engagements WHERE id = ?", id).Scan(&last).Error
	return last - n + 1, err
}

// Complementary lists an engagement's CUECs and subservice organisations.
func (s *Service) Complementary(ctx context.Context, id int64) ([]CUEC, []Subservice, error) {
	cuecs, subs, err := s.complementaryIn(s.db.R.WithContext(ctx), id)
	if cuecs == nil {
		cuecs = []CUEC{}
	}
	if subs == nil {
		subs = []Subservice{}
	}
	return cuecs, subs, err
}

// frameworkOf is the framework whose requirements an engagement reports
// on, and an example of its "framework/ref" names.
func frameworkOf(e Engagement) (string, string) {
	if e.Report == "soc1" {
		return orgSOC1, orgSOC1 + "/CO-01"
	}
	return "soc2-tsc-2017", "soc2-tsc-2017/CC6.1"
}

var reportNames = map[string]string{"soc1": "SOC 1", "soc2": "SOC 2"}

// checkRequirements verifies "framework/ref" names of the engagement's own
// framework (a SOC 1 engagement's CUECs and CSOCs serve its control
// objectives, never SOC 2 criteria) and joins them; the second result says
// what is wrong with them, the error is the database's.
func checkRequirements(tx *gorm.DB, e Engagement, refs []string) (string, string, error) {
	framework, example := frameworkOf(e)
	clean := []string{}
	for _, ref := range refs {
		ref = strings.TrimSpace(ref)
		fw, r, ok := strings.Cut(ref, "/")
		if !ok && ref != "" { // "CC6.2" is the engagement's own framework's, as people write it
			fw, r, ok = framework, ref, true
			ref = framework + "/" + ref
		}
		if ok && fw != framework {
			return "", fmt.Sprintf("%q is not of this %s engagement's framework: use its %s (e.g. %s)", ref,
				reportNames[e.Report], map[string]string{"soc1": "control objectives", "soc2": "criteria"}[e.Report], example), nil
		}
		var n int64
		if ok {
			if err := tx.Model(&store.Requirement{}).Where("framework_id = ? AND ref = ? AND NOT retired", fw, r).Count(&n).Error; err != nil {
				return "", "", err
			}
		}
		if n == 0 {
			return "", fmt.Sprintf("%q is not a requirement of this engagement's framework (e.g. %s)", strings.TrimPrefix(ref, framework+"/"), strings.TrimPrefix(example, framework+"/")), nil
		}
		if !slices.Contains(clean, ref) {
			clean = append(clean, ref)
		}
	}
	return strings.Join(clean, ","), "", nil
}

func checkText(text string) (string, bool) {
	text = strings.TrimSpace(text)
	return text, text != "" && len([]rune(text)) <= 5000
}

// AddCUEC records a complementary user entity control.
func (s *Service) AddCUEC(ctx context.Context, id int64, text string, requirements []string) (CUEC, error) {
	c := CUEC{EngagementID: id, CreatedAt: s.now()}
	var ok bool
	if c.Text, ok = checkText(text); !ok {
		return c, apperr.Invalid("describe the control user entities must run", map[string]string{"text": "required, at most 5000 characters"})
	}
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var e Engagement
		if err := take(tx, &e, id); err != nil {
			return err
		}
		reqs, msg, err := checkRequirements(tx, e, requirements)
		if err != nil {
			return err
		}
		if msg == "" && e.Report == "soc1" && reqs == "" {
			msg = "name the control objective it serves (e.g. " + orgSOC1 + "/CO-01)"
		}
		if msg != "" {
			return apperr.Invalid("the CUEC cannot be saved as given", map[string]string{"requirements": msg})
		}
		c.Requirements = reqs
		if c.Number, err = takeNumbers(tx, id, "cuec_seq", 1); err != nil {
			return err
		}
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement.cuec_add", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"cuec_id": c.ID, "ref": c.Ref(), "text": c.Text,
				"requirements": c.Requirements})})
	})
	return c, err
}

// SubserviceInput is a subservice organisation with its CSOCs.
type SubserviceInput struct {
	Name                string
	Services            string
	Method              string
	MonitoringControlID *int64
	CSOCs               []struct {
		Text         string
		Requirements []string
	}
}

// AddSubservice records a subservice organisation and its CSOCs.
func (s *Service) AddSubservice(ctx context.Context, id int64, in SubserviceInput) (Subservice, error) {
	sub := Subservice{EngagementID: id, Name: strings.TrimSpace(in.Name), Services: strings.TrimSpace(in.Services),
		Method: in.Method, MonitoringControlID: in.MonitoringControlID, CreatedAt: s.now()}
	fields := map[string]string{}
	if sub.Name == "" || len([]rune(sub.Name)) > 200 {
		fields["name"] = "required, at most 200 characters"
	}
	if len([]rune(sub.Services)) > 2000 {
		fields["services"] = "at most 2000 characters"
	}
	if sub.Method != "carve-out" && sub.Method != "inclusive" {
		fields["method"] = "carve-out or inclusive"
	}
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var e Engagement
		if err := take(tx, &e, id); err != nil {
			return err
		}
		if sub.MonitoringControlID != nil {
			var c store.Control
			err := tx.Select("id").Take(&c, *sub.MonitoringControlID).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				fields["monitoring_control_id"] = "no such control"
			} else if err != nil {
				return err
			}
		}
		for i, cs := range in.CSOCs {
			text, ok := checkText(cs.Text)
			reqs, msg, err := checkRequirements(tx, e, cs.Requirements)
			if err != nil {
				return err
			}
			switch {
			case !ok:
				fields[fmt.Sprintf("csocs[%d]", i)] = "describe the control, at most 5000 characters"
			case msg != "":
				fields[fmt.Sprintf("csocs[%d]", i)] = msg
			}
			sub.CSOCs = append(sub.CSOCs, CSOC{Text: text, Requirements: reqs, CreatedAt: s.now()})
		}
		if len(fields) > 0 {
			return apperr.Invalid("the subservice organisation cannot be saved as given", fields)
		}
		first, err := takeNumbers(tx, id, "csoc_seq", len(sub.CSOCs))
		if err != nil {
			return err
		}
		for i := range sub.CSOCs {
			sub.CSOCs[i].Number = first + i
		}
		if err := tx.Create(&sub).Error; err != nil { // creates the CSOCs too
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement.subservice_add", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"subservice_id": sub.ID, "name": sub.Name,
				"method": sub.Method, "csocs": len(sub.CSOCs)})})
	})
	return sub, err
}

// RemoveComplementary deletes a CUEC ("cuec") or a subservice organisation
// with its CSOCs ("subservice") from an engagement.
func (s *Service) RemoveComplementary(ctx context.Context, id int64, kind string, itemID int64) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var res *gorm.DB
		switch kind {
		case "cuec":
			res = tx.Delete(&CUEC{}, "id = ? AND engagement_id = ?", itemID, id)
		case "subservice":
			var sub Subservice
			if err := tx.Take(&sub, "id = ? AND engagement_id = ?", itemID, id).Error; errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.NotFound("subservice organisation %d not found in engagement %d", itemID, id)
			}
			if err := deleteReviews(tx, "subservice_id = ?", itemID); err != nil {
				return err
			}
			if err := tx.Delete(&CSOC{}, "subservice_id = ?", itemID).Error; err != nil {
				return err
			}
			res = tx.Delete(&sub)
		}
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFound("%s %d not found in engagement %d", kind, itemID, id)
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement." + kind + "_remove", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{kind + "_id": {Before: itemID}}})
	})
}

// RollForward starts the next period's engagement from this one: the same
// report, scope, manual scope decisions, not-applicable decisions, sample
// policy, CUECs and
// subservice organisations with their CSOCs (each "review due"); no
// results, populations, samples, exceptions or auditor access. Without
// dates given it covers the next period: from the day after this one ends,
// as long (period.Next); a Type I is as of a year later.
func (s *Service) RollForward(ctx context.Context, id int64, in Input) (Engagement, error) {
	var next Engagement
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var prev Engagement
		if err := take(tx, &prev, id); err != nil {
			return err
		}
		next = prev
		next.ID, next.Status, next.CreatedAt, next.UpdatedAt, next.Version = 0, "planning", s.now(), s.now(), 1
		next.Name = prev.Name + " (next period)"
		if err := nextDates(&next); err != nil {
			return err
		}
		status := "planning"
		in.Status, in.Report, in.ReportType = &status, nil, nil
		if fields := apply(&next, in); len(fields) > 0 {
			return apperr.Invalid("the next engagement cannot be created as given", fields)
		}
		if err := tx.Create(&next).Error; err != nil {
			return err
		}
		copies := []string{
			"INSERT INTO engagement_objectives (engagement_id, requirement_id) SELECT ?, requirement_id FROM engagement_objectives WHERE engagement_id = ?",
			"INSERT INTO engagement_scope_overrides (engagement_id, control_id, included, reason) SELECT ?, control_id, included, reason FROM engagement_scope_overrides WHERE engagement_id = ?",
			// What did not apply to this period's report does not apply to the next one's until someone decides otherwise.
			"INSERT INTO engagement_applicability (engagement_id, requirement_id, reason, decided_by, decided_at) SELECT ?, requirement_id, reason, decided_by, decided_at FROM engagement_applicability WHERE engagement_id = ?",
		}
		for _, q := range copies {
			if err := tx.Exec(q, next.ID, id).Error; err != nil {
				return err
			}
		}
		cuecs, subs, err := s.complementaryIn(tx, id)
		if err != nil {
			return err
		}
		for _, c := range cuecs {
			c.ID, c.EngagementID, c.CreatedAt, c.Version = 0, next.ID, s.now(), 1
			if err := tx.Create(&c).Error; err != nil {
				return err
			}
		}
		// The CUECs and CSOCs keep their numbers, and the counters go on
		// from where this period's stopped.
		if err := tx.Exec("UPDATE engagements SET cuec_seq = (SELECT p.cuec_seq FROM engagements p WHERE p.id = ?), "+
			"csoc_seq = (SELECT p.csoc_seq FROM engagements p WHERE p.id = ?) WHERE id = ?", id, id, next.ID).Error; err != nil {
			return err
		}
		for _, sub := range subs {
			sub.ID, sub.EngagementID, sub.CreatedAt, sub.Version, sub.ReviewDue = 0, next.ID, s.now(), 1, true
			for i := range sub.CSOCs {
				sub.CSOCs[i].ID, sub.CSOCs[i].SubserviceID = 0, 0
			}
			if err := tx.Create(&sub).Error; err != nil {
				return err
			}
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement.roll_forward", ObjectType: "engagement",
			ObjectID: fmt.Sprint(next.ID), Changes: auditlog.Diff(nil, map[string]any{"from_engagement": id,
				"name": next.Name, "period_start": next.PeriodStart, "period_end": next.PeriodEnd, "as_of": next.AsOf})})
	})
	s.Changed.Notify(ctx, err, nil)
	return next, err
}

// NextDates are the dates a roll forward gives the next engagement when
// none are asked for: what its form offers as the default.
func NextDates(e Engagement) (asOf, start, end *string, err error) {
	err = nextDates(&e)
	return e.AsOf, e.PeriodStart, e.PeriodEnd, err
}

// nextDates moves an engagement's dates on to the next period.
func nextDates(e *Engagement) error {
	if e.AsOf != nil {
		d, err := civil.Parse(*e.AsOf)
		if err != nil {
			return err
		}
		next := period.MonthsFrom(d, 12).String()
		if d.AddDays(1).Day == 1 { // a month end stays a month end
			next = period.MonthsFrom(d.AddDays(1), 12).AddDays(-1).String()
		}
		e.AsOf = &next
	}
	if e.PeriodStart == nil || e.PeriodEnd == nil {
		return nil
	}
	p, err := PeriodOf(*e)
	if err != nil {
		return err
	}
	n := p.Next()
	start, end := n.Start.String(), n.End.String()
	e.PeriodStart, e.PeriodEnd = &start, &end
	return nil
}

func (s *Service) complementaryIn(tx *gorm.DB, id int64) ([]CUEC, []Subservice, error) {
	var cuecs []CUEC
	if err := tx.Where("engagement_id = ?", id).Order("id").Find(&cuecs).Error; err != nil {
		return nil, nil, err
	}
	var subs []Subservice
	err := tx.Preload("CSOCs", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Where("engagement_id = ?", id).Order("id").Find(&subs).Error
	return cuecs, subs, err
}
