package bridge

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// Input is what management gives for a bridge letter.
type Input struct {
	CoversTo    string // the last day the letter speaks for
	SignerName  string
	SignerTitle string
}

// Letter is management's letter covering the gap between the end of
// an issued Type II report's period and a later date: the report, the
// gap, the material changes to the controls in the gap (from the audit
// trail) and the deficiencies the report already noted.
type Letter struct {
	Organisation string
	Engagement   engagement.Detail
	GapFrom      civil.Date
	CoversTo     civil.Date
	Changes      []string
	Deficiencies []string
	SignerName   string
	SignerTitle  string
	Date         civil.Date // the day it is drafted or signed
}

// Draft drafts the bridge letter of an issued Type II.
func (s *Service) Draft(ctx context.Context, id int64, in Input) (Letter, error) {
	var l Letter
	d, err := s.eng.Get(ctx, id)
	if err != nil {
		return l, err
	}
	if d.ReportType != "type2" || (d.Status != "issued" && d.Status != "closed") {
		return l, apperr.Conflict("a bridge letter follows an issued Type II report; the engagement %q is a %s in %s",
			d.Name, exports.Words(d.ReportType), d.Status)
	}
	p, err := engagement.PeriodOf(d.Engagement)
	if err != nil {
		return l, err
	}
	l = Letter{Engagement: d, GapFrom: p.End.AddDays(1), SignerName: strings.TrimSpace(in.SignerName),
		SignerTitle: strings.TrimSpace(in.SignerTitle), Date: civil.Of(s.eng.Now())}
	fields := apperr.Fields{}
	if l.CoversTo, err = civil.Parse(in.CoversTo); err != nil {
		fields["covers_to"] = "the last day the letter covers, e.g. 2026-09-30"
	} else if !l.CoversTo.After(p.End) {
		fields["covers_to"] = "must be after the end of the report's period (" + p.End.String() + ")"
	}
	fields.Require("signer_name", l.SignerName)
	fields.Text("signer_name", &l.SignerName, &l.SignerName, 200)
	fields.Text("signer_title", &l.SignerTitle, &l.SignerTitle, 200)
	if err := fields.Err("the bridge letter cannot be drafted as given"); err != nil {
		return l, err
	}
	if l.Organisation, err = s.eng.OrganisationName(ctx); err != nil {
		return l, err
	}
	if l.Changes, err = s.changesInGap(ctx, id, l.GapFrom, l.CoversTo); err != nil {
		return l, err
	}
	l.Deficiencies, err = s.knownDeficiencies(ctx, id)
	return l, err
}

// changesInGap lists the changes to the in-scope controls recorded from
// the first day of the gap to its last, and the controls implemented or
// retired in it.
func (s *Service) changesInGap(ctx context.Context, id int64, from, to civil.Date) ([]string, error) {
	ids, err := s.eng.IncludedIDs(ctx, id)
	if err != nil {
		return nil, err
	}
	controls, err := s.st.ControlsByRef(ctx, ids)
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	var out []string
	inGap := func(d *string) bool { return d != nil && *d >= from.String() && *d <= to.String() }
	for _, c := range controls {
		refs[fmt.Sprint(c.ID)] = c.Ref
		if inGap(c.ImplementedOn) {
			out = append(out, fmt.Sprintf("%s: %s (%s) was implemented.", *c.ImplementedOn, c.Ref, c.Title))
		}
		if inGap(c.RetiredOn) {
			out = append(out, fmt.Sprintf("%s: %s (%s) was retired.", *c.RetiredOn, c.Ref, c.Title))
		}
	}
	entries, err := s.st.ControlChanges(ctx, ids, from.Time(), to.AddDays(1).Time())
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		var changes map[string]auditlog.Change
		if err := json.Unmarshal([]byte(e.Changes), &changes); err != nil {
			return nil, err
		}
		what := strings.TrimPrefix(e.Action, "control.")
		out = append(out, fmt.Sprintf("%s: %s was %sd (%s).", e.At.UTC().Format(time.DateOnly), refs[e.ObjectID], what,
			strings.Join(slices.Sorted(maps.Keys(changes)), ", ")))
	}
	slices.Sort(out)
	return out, nil
}

// knownDeficiencies are the exceptions the report noted and the controls
// it found not suitably designed.
func (s *Service) knownDeficiencies(ctx context.Context, id int64) ([]string, error) {
	exceptions, err := s.eng.Exceptions(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, x := range exceptions {
		if x.WithdrawnAt == nil {
			out = append(out, fmt.Sprintf("%s: %s", x.ControlRef, x.Description))
		}
	}
	results, _, err := s.eng.Results(ctx, id)
	if err != nil {
		return nil, err
	}
	scoped, err := s.eng.Controls(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, c := range scoped {
		if r, ok := results[c.ID]; ok && c.Included && r.DesignResult == "design_deficiency" {
			out = append(out, fmt.Sprintf("%s: the control was not suitably designed.", c.Ref))
		}
	}
	return out, nil
}

// Paragraphs are the letter's text.
func (l Letter) Paragraphs() []exports.Paragraph {
	d := l.Engagement
	report := map[string]string{"soc1": "SOC 1", "soc2": "SOC 2"}[d.Report] + " Type II"
	firm := cmp.Or(d.AuditFirm, "the service auditor")
	ps := []exports.Paragraph{
		{Text: "Bridge letter", Heading: true},
		{Text: l.Date.String()},
		{Text: fmt.Sprintf("To the users of %s's %s report", cmp.Or(l.Organisation, "our"), report)},
		{Text: fmt.Sprintf("%s's %s report \"%s\", examined by %s, covers the period from %s to %s. "+
			"This letter covers the time since: from %s to %s (%d days). It is management's own statement and has not been examined by %s.",
			cmp.Or(l.Organisation, "Our"), report, d.Name, firm, deref(d.PeriodStart), deref(d.PeriodEnd),
			l.GapFrom, l.CoversTo, l.CoversTo.DaysSince(l.GapFrom)+1, firm)},
		{Text: "Material changes to the controls since the period", Heading: true},
	}
	if len(l.Changes) == 0 {
		ps = append(ps, exports.Paragraph{Text: "We are not aware of changes to the controls in scope of the report in this time."})
	}
	for _, c := range l.Changes {
		ps = append(ps, exports.Paragraph{Text: c, Bullet: true})
	}
	ps = append(ps, exports.Paragraph{Text: "Known deficiencies", Heading: true})
	if len(l.Deficiencies) == 0 {
		ps = append(ps, exports.Paragraph{Text: "The report noted no exceptions, and we are not aware of deficiencies since."})
	} else {
		ps = append(ps, exports.Paragraph{Text: "The report noted the following; we are not aware of other deficiencies since:"})
	}
	for _, x := range l.Deficiencies {
		ps = append(ps, exports.Paragraph{Text: x, Bullet: true})
	}
	return append(ps,
		exports.Paragraph{Text: fmt.Sprintf("To the best of our knowledge, apart from the above, the controls described in the report "+
			"continued to operate as described from %s to %s.", l.GapFrom, l.CoversTo)},
		exports.Paragraph{Text: "Signed"},
		exports.Paragraph{Text: l.SignerName},
		exports.Paragraph{Text: l.SignerTitle},
		exports.Paragraph{Text: cmp.Or(l.Organisation, "")})
}

// Signed is a signed bridge letter: who signed it and the
// evidence that keeps the document.
type Signed = store.BridgeLetterRecord

// Keep keeps a signed letter, stored as evidence.
func (s *Service) Keep(ctx context.Context, l Letter, evidenceID int64, sha string) (Signed, error) {
	r := Signed{EngagementID: l.Engagement.ID, CoversTo: l.CoversTo.String(), SignerName: l.SignerName,
		SignerTitle: l.SignerTitle, SignedAt: s.eng.Now(), SignedBy: auditlog.ActorFrom(ctx).UserID, EvidenceID: evidenceID, SHA256: sha}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.CreateBridgeLetter(ctx, &r); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.bridge_letter", ObjectType: "engagement",
			ObjectID: fmt.Sprint(r.EngagementID), Changes: auditlog.Diff(nil, map[string]any{"covers_to": r.CoversTo,
				"signer_name": r.SignerName, "signer_title": r.SignerTitle, "evidence_id": evidenceID, "sha256": sha})})
	})
	return r, err
}

// List lists an engagement's signed bridge letters, newest first.
func (s *Service) List(ctx context.Context, id int64) ([]Signed, error) {
	return s.st.BridgeLettersOf(ctx, id)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
