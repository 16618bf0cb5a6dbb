package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/tasks"
)

// gapRate is the share of past occurrence windows left without evidence,
// so the demo shows gaps to chase.
const gapRate = 0.06

// evidenceFiles uploads evidence for each control from the earliest period
// start to today: one file per past window for calendar controls (a
// monthly log export for daily and weekly ones), a quarterly configuration
// record for automated controls and a procedure for event-driven ones.
// Three items expire within the month, one already has.
func (l *loader) evidenceFiles() error {
	// The SOC 2 period's start, seven months ago, is before the SOC 1 one (five).
	start := l.monthStart(7)
	expiring := map[string]int{"VEN-02": 12} // days from today
	later := []int{25, -3}
	for _, s := range controls {
		if s.Frequency == "annual" && s.Ref != "VEN-02" && len(later) > 0 {
			expiring[s.Ref], later = later[0], later[1:]
		}
	}
	for _, s := range controls {
		items := l.plannedEvidence(s, start)
		if days, ok := expiring[s.Ref]; ok && len(items) > 0 {
			items[len(items)-1].expires = l.today.AddDate(0, 0, days).Format(time.DateOnly)
		}
		for _, item := range items {
			if err := l.upload(s, item); err != nil {
				return fmt.Errorf("evidence for %s: %w", s.Ref, err)
			}
		}
	}
	return nil
}

// plannedItem is one evidence file to upload.
type plannedItem struct {
	label, from, to, asOf, expires string
}

func (l *loader) plannedEvidence(s controlSpec, start time.Time) []plannedItem {
	yesterday := l.today.AddDate(0, 0, -1)
	frequency := s.Frequency
	switch frequency {
	case "weekly", "bi-weekly", "daily", "several-times-a-day":
		frequency = "monthly" // a monthly export of the log shows every run
	case "continuous":
		frequency = "quarterly"
	case "event-driven":
		return []plannedItem{{label: "procedure", asOf: start.AddDate(0, 0, 5).Format(time.DateOnly)}}
	case "annual", "semi-annual": // performed early in its window, which has not ended
		return []plannedItem{{label: "review", asOf: start.AddDate(0, 0, 20).Format(time.DateOnly)}}
	}
	// Windows anchored to the period's start, as the engagement's are;
	// only those that have ended.
	windows, _ := period.Windows(period.Control{Frequency: frequency, Nature: period.Manual},
		period.Period{Start: civil.Of(start), End: civil.Of(yesterday)}, period.NewCalendar(nil))
	var out []plannedItem
	for _, w := range windows {
		if l.rng.Float64() < gapRate {
			continue
		}
		item := plannedItem{label: w.Label, from: w.Start.String(), to: w.End.String()}
		if s.Frequency == "continuous" { // a configuration record early in each quarter
			asOf := w.Start.AddDays(9)
			if asOf.After(w.End) {
				asOf = w.End
			}
			item = plannedItem{label: w.Label, asOf: asOf.String()}
		}
		out = append(out, item)
	}
	return out
}

func (l *loader) upload(s controlSpec, item plannedItem) error {
	title := fmt.Sprintf("%s %s: %s", s.Ref, s.Title, item.label)
	if len([]rune(title)) > 200 {
		title = string([]rune(title)[:200])
	}
	ids := []int64{l.controlIDs[s.Ref]}
	meta := evidence.Meta{Title: &title, ControlIDs: &ids, SourceSystem: &s.Systems, ProvidedBy: ptr(people[s.Owner].Name)}
	if item.asOf != "" {
		meta.AsOf = &item.asOf
	} else {
		meta.CoversFrom, meta.CoversTo = &item.from, &item.to
	}
	if item.expires != "" {
		meta.ExpiresOn = &item.expires
	}
	name := strings.ToLower(s.Ref + "-" + strings.NewReplacer(" ", "-", "/", "-").Replace(item.label) + ".txt")
	body := fmt.Sprintf("Larkspur Payroll Ltd\n%s %s\n%s\n\nPeriod: %s\nPerformed by: %s\nSystems: %s\n",
		s.Ref, s.Title, s.Description, item.label, people[s.Owner].Name, s.Systems)
	_, err := l.evidence.CreateFile(l.ctx, l.principal, meta, func() (evidence.Upload, error) {
		return evidence.Upload{Name: name, MediaType: "text/plain", Body: strings.NewReader(body)}, nil
	})
	if err == nil {
		l.result.Evidence++
	}
	return err
}

// population is a control tested from its list of occurrences.
type population struct {
	ref, source, itemPrefix, what string
	perMonth                      int
	attributes                    []string
	exception                     string // the first sampled item fails with this description
	response                      string // management's response, if it has given one
}

var populations = []population{
	{ref: "HR-02", source: "HRIS leavers report", itemPrefix: "T-", what: "Leaver", perMonth: 6,
		attributes: []string{"access removed within one business day", "HR ticket references the leaver"},
		exception:  "Leaver access to the payroll administration console was removed four business days after the termination date."},
	{ref: "CM-02", source: "Jira change tickets deployed to production", itemPrefix: "CHG-", what: "Production change", perMonth: 24,
		attributes: []string{"approved before deployment", "tested", "peer reviewed"},
		exception:  "An emergency change was deployed before approval and approved retrospectively the next morning.",
		response:   "The emergency change procedure now requires retrospective approval within 24 hours, checked weekly by the change manager."},
}

// testing uploads populations, draws samples and records results and
// conclusions in the SOC 2 engagement, with one exception per population.
func (l *loader) testing() error {
	soc2 := l.result.Engagements[0]
	d, err := l.engagements.Get(l.ctx, soc2)
	if err != nil {
		return err
	}
	inScope, err := l.engagements.InScope(l.ctx, d)
	if err != nil {
		return err
	}
	tester := l.users[people[1].Email].ID
	for _, p := range populations {
		if err := l.testPopulation(soc2, tester, *d.PeriodStart, p); err != nil {
			return fmt.Errorf("testing %s: %w", p.ref, err)
		}
	}
	return l.conclusions(soc2, inScope)
}

func (l *loader) testPopulation(engagementID, tester int64, periodStart string, p population) error {
	controlID := l.controlIDs[p.ref]
	start, err := engagement.Day(periodStart)
	if err != nil {
		return err
	}
	var items []engagement.PopulationItem
	for day := start; day.Before(l.today); day = day.AddDate(0, 0, 1) {
		if l.rng.Float64() < float64(p.perMonth)/30 {
			date := day.Format(time.DateOnly)
			items = append(items, engagement.PopulationItem{Seq: len(items) + 1, ItemID: fmt.Sprintf("%s%04d", p.itemPrefix, 1000+len(items)),
				Date: &date, Description: fmt.Sprintf("%s on %s", p.what, date)})
		}
	}
	if _, err := l.engagements.UploadPopulation(l.ctx, engagementID, controlID, tester, p.source, "", strings.ToLower(p.ref)+"-population.csv", items); err != nil {
		return err
	}
	seed := l.rng.Uint64()
	smp, err := l.engagements.DrawSample(l.ctx, engagementID, controlID, tester, &seed, nil, p.attributes)
	if err != nil {
		return err
	}
	work, err := l.engagements.Work(l.ctx, engagementID, controlID)
	if err != nil {
		return err
	}
	sampled := work.Items[smp.ID]
	tested := len(sampled) * 7 / 10
	for i, it := range sampled[:tested] {
		results := map[string]string{}
		for _, a := range p.attributes {
			results[a] = "pass"
		}
		notes := ""
		if i == 0 {
			results[p.attributes[0]], notes = "fail", p.exception
		}
		if err := l.engagements.RecordSampleItem(l.ctx, engagementID, smp.ID, it.Seq, results, notes); err != nil {
			return err
		}
	}
	x, err := l.engagements.AddException(l.ctx, engagementID, controlID, fmt.Sprintf("%s (%s)", p.exception, sampled[0].ItemID), "")
	if err != nil || p.response == "" {
		return err
	}
	_, err = l.engagements.RespondToException(l.ctx, engagementID, x.ID, p.response, nil)
	return err
}

// conclusions records design results for most in-scope controls and
// operating results for about half, as fieldwork part-way through.
func (l *loader) conclusions(engagementID int64, inScope map[int64]bool) error {
	for _, s := range controls {
		id := l.controlIDs[s.Ref]
		if !inScope[id] || l.rng.Float64() > 0.8 {
			continue
		}
		in := engagement.ResultInput{DesignResult: ptr("suitably_designed"),
			DesignNotes: ptr("Walkthrough with the control owner; procedure and one occurrence inspected.")}
		for _, p := range populations {
			if p.ref == s.Ref {
				in.TestMethods, in.Result = &[]string{"inquiry", "inspection"}, ptr("exceptions_noted")
				in.ExceptionsFound, in.TestedCount = ptr(1), ptr(25)
			}
		}
		if in.Result == nil && l.rng.Float64() < 0.5 {
			in.TestMethods, in.Result = &[]string{"inquiry", "inspection"}, ptr("no_exceptions")
			in.ExceptionsFound, in.TestedCount = ptr(0), ptr(l.rng.IntN(20)+5)
		}
		if _, err := l.engagements.SetResult(l.ctx, engagementID, id, in); err != nil {
			return fmt.Errorf("result for %s: %w", s.Ref, err)
		}
	}
	return nil
}

// complementary adds the CUECs to both engagements and Stratus Cloud as a
// carved-out subservice organisation monitored by VEN-02, each control
// under the SOC 2 criteria or the SOC 1 objectives it supports.
func (l *loader) complementary() error {
	monitor := l.controlIDs["VEN-02"]
	for i, id := range l.result.Engagements {
		reqs := func(c complementarySpec) []string { return c.SOC2 }
		if i == 1 { // the SOC 1 engagement
			reqs = func(c complementarySpec) []string { return c.SOC1 }
		}
		for _, c := range cuecs {
			if _, err := l.engagements.AddCUEC(l.ctx, id, c.Text, reqs(c)); err != nil {
				return err
			}
		}
		in := engagement.SubserviceInput{Name: "Stratus Cloud", Method: "carve-out", MonitoringControlID: &monitor,
			Services: "Infrastructure hosting: compute, managed PostgreSQL and object storage in two EU regions"}
		for _, c := range csocs {
			in.CSOCs = append(in.CSOCs, struct {
				Text         string
				Requirements []string
			}{c.Text, reqs(c)})
		}
		if _, err := l.engagements.AddSubservice(l.ctx, id, in); err != nil {
			return err
		}
	}
	return nil
}

// followUp adds an auditor's follow-up request as an ad-hoc task.
func (l *loader) followUp() error {
	owner := l.users[people[2].Email].ID
	_, err := l.tasks.CreateAdhoc(l.ctx, l.users[people[1].Email].ID, tasks.AdhocInput{
		Title:        ptr("Auditor request: list of production database accounts with their roles, as of today"),
		Description:  ptr("Hartwell asked for it after the access review walkthrough; export it from the database, do not screenshot."),
		OwnerID:      &owner,
		DueOn:        ptr(l.today.AddDate(0, 0, 5).Format(time.DateOnly)),
		EngagementID: &l.result.Engagements[0],
	})
	return err
}
