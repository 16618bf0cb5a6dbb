package demo

import (
	"fmt"
	"time"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/results"
)

// typeOneControls are the controls the demo's SOC 2 Type I has walked
// through, with the instance traced in each.
var typeOneControls = []struct{ ref, participants, instance string }{
	{"AC-03", "Tomasz Nowak (IT security); Aisha Okafor (compliance)", "The last quarter's access review of the payroll platform, from the account listing to the removals it asked for"},
	{"GOV-07", "Aisha Okafor (compliance); the control owners", "The last quarter's control monitoring review, from its agenda to the findings it opened"},
	{"AC-02", "Tomasz Nowak (IT security)", "A sign-in to the payroll console, observed through the identity provider's MFA prompt and its log"},
}

// typeOne adds a SOC 2 Type I (Security) as of the end of the month
// before last, readiness-tested by management: a few controls walked
// through, each concluded suitably designed and, where evidence within
// the 90 days before the as-of date shows it, implemented as of the date.
func (l *loader) typeOne() error {
	asOf := l.monthStart(1).AddDate(0, 0, -1).Format(time.DateOnly)
	e, err := l.engagements.Create(l.ctx, engagement.Input{Name: ptr("SOC 2 Type I as of " + asOf), Report: ptr("soc2"),
		ReportType: ptr("type1"), AsOf: &asOf, AuditFirm: ptr("Hartwell & Co LLP")})
	if err != nil {
		return fmt.Errorf("the Type I engagement: %w", err)
	}
	l.result.Engagements = append(l.result.Engagements, e.ID)
	windowFrom := l.monthStart(1).AddDate(0, 0, -1-engagement.DefaultEvidenceWindowDays).Format(time.DateOnly)
	walkedOn := l.monthStart(1).AddDate(0, 0, -6).Format(time.DateOnly)
	tester := l.users["compliance@larkspur.example"].ID
	walkthroughs := results.NewService(l.db, l.engagements, l.sampling)
	for _, c := range typeOneControls {
		id := l.controlIDs[c.ref]
		recent, err := l.db.LiveEvidenceDatedBetween(l.ctx, id, windowFrom, asOf, 2)
		if err != nil {
			return err
		}
		in := engagement.ResultInput{DesignResult: ptr("suitably_designed"), EvidenceIDs: &recent,
			DesignNotes: ptr("Walked through with the control owner; the design addresses the risk as described.")}
		if len(recent) > 0 {
			in.Implementation = ptr("implemented")
		}
		if _, err := l.engagements.SetResult(l.ctx, e.ID, id, in); err != nil {
			return fmt.Errorf("Type I result for %s: %w", c.ref, err)
		}
		if _, err := walkthroughs.SetWalkthrough(l.ctx, e.ID, id, tester, results.WalkthroughInput{PerformedOn: &walkedOn,
			Participants: &c.participants, InstanceTraced: &c.instance, EvidenceIDs: &recent,
			EvidenceInspected: ptr("The records of the instance traced, inspected with the control owner.")}); err != nil {
			return fmt.Errorf("walkthrough of %s: %w", c.ref, err)
		}
	}
	return nil
}
