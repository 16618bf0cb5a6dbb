package demo

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/complementary"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/tasks"
)

// gapRate is the share of past occurrence windows left without evidence,
// so the demo shows gaps to chase.
const gapRate = 0.06

// evidenceFiles uploads evidence for each control from the earliest period
// start to today: for a periodic control, a record of each operation on a
// day inside the windows the engagements expect (one record serves the
// windows of both engagements when they overlap); for a daily control, a
// monthly log export attached to each of the month's days; a quarterly
// configuration record for automated and continuous controls and a
// procedure for event-driven ones. Three items expire within the month,
// one already has.
func (l *loader) evidenceFiles() error {
	// The SOC 2 period's start, seven months ago, is before the SOC 1 one (five).
	start := l.monthStart(7)
	expected, err := l.expectedWindows()
	if err != nil {
		return err
	}
	expiring := map[string]int{"VEN-02": 12} // days from today
	later := []int{25, -3}
	for _, s := range controls {
		if s.Frequency == "annual" && s.Ref != "VEN-02" && len(later) > 0 {
			expiring[s.Ref], later = later[0], later[1:]
		}
	}
	for _, s := range controls {
		items := l.plannedEvidence(s, start, expected[s.Ref])
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

// engagementWindows are the windows one engagement expects of a control.
type engagementWindows struct {
	engagementID int64
	windows      []engagement.WindowState
}

// expectedWindows reads, per control, the windows each engagement expects.
func (l *loader) expectedWindows() (map[string][]engagementWindows, error) {
	out := map[string][]engagementWindows{}
	for _, id := range l.result.Engagements {
		scoped, err := l.engagements.Controls(l.ctx, id)
		if err != nil {
			return nil, err
		}
		for _, c := range scoped {
			if c.Included && c.Basis == period.ByWindows {
				out[c.Ref] = append(out[c.Ref], engagementWindows{engagementID: id, windows: c.Windows})
			}
		}
	}
	return out, nil
}

// plannedItem is one evidence file to upload, and the windows (by
// engagement) it is attached to as summary evidence.
type plannedItem struct {
	label, from, to, asOf, expires string
	attach                         map[int64][]string
}

func (l *loader) plannedEvidence(s controlSpec, start time.Time, expected []engagementWindows) []plannedItem {
	basis := period.Control{Frequency: s.Frequency, Nature: s.Nature}.Basis()
	switch {
	case s.Frequency == "event-driven":
		return []plannedItem{{label: "procedure", asOf: start.AddDate(0, 0, 5).Format(time.DateOnly)}}
	case basis != period.ByWindows:
		return l.configurationRecords(start)
	case s.Frequency == "daily" || s.Frequency == "several-times-a-day":
		return l.monthlyExports(start, expected)
	}
	return l.operationRecords(s, expected)
}

// configurationRecords are a record early in each quarter since start.
func (l *loader) configurationRecords(start time.Time) []plannedItem {
	yesterday := civil.Of(l.today).AddDays(-1)
	windows, _ := period.Windows(period.Control{Frequency: period.Quarterly, Nature: period.Manual},
		period.Period{Start: civil.Of(start), End: period.MonthsFrom(yesterday, 3)}, period.NewCalendar(nil))
	var out []plannedItem
	for _, w := range windows {
		asOf := w.Start.AddDays(9)
		if asOf.After(yesterday) || l.rng.Float64() < gapRate {
			continue
		}
		out = append(out, plannedItem{label: "configuration record " + w.Start.String(), asOf: asOf.String()})
	}
	return out
}

// monthlyExports are a log export per calendar month since start,
// attached to the month's days of each engagement.
func (l *loader) monthlyExports(start time.Time, expected []engagementWindows) []plannedItem {
	yesterday := civil.Of(l.today).AddDays(-1)
	var out []plannedItem
	for m := civil.Of(start); !m.After(yesterday); m = period.MonthsFrom(m, 1) {
		to := period.MonthsFrom(m, 1).AddDays(-1)
		if to.After(yesterday) {
			to = yesterday
		}
		if l.rng.Float64() < gapRate {
			continue
		}
		item := plannedItem{label: m.Time().Format("January 2006") + " log export", from: m.String(), to: to.String(), attach: map[int64][]string{}}
		span := period.Period{Start: m, End: to}
		for _, e := range expected {
			for _, w := range e.windows {
				if span.Contains(w.Start) {
					item.attach[e.engagementID] = append(item.attach[e.engagementID], w.Start.String())
				}
			}
		}
		out = append(out, item)
	}
	return out
}

// operationRecords are one record per expected window that has ended (or,
// for annual and semi-annual controls, started), dated a few days before
// its end: each window of either engagement holds one, and a record in
// windows of both serves both.
func (l *loader) operationRecords(s controlSpec, expected []engagementWindows) []plannedItem {
	yesterday := civil.Of(l.today).AddDays(-1)
	long := s.Frequency == "annual" || s.Frequency == "semi-annual"
	var windows []engagement.WindowState
	for _, e := range expected {
		for _, w := range e.windows {
			if !w.End.After(yesterday) || long && !w.Start.After(yesterday) {
				windows = append(windows, w)
			}
		}
	}
	slices.SortStableFunc(windows, func(a, b engagement.WindowState) int { return a.End.Compare(b.End) })
	var dates []civil.Date
	var out []plannedItem
	for _, w := range windows {
		if slices.ContainsFunc(dates, w.Period().Contains) {
			continue
		}
		last := w.End
		if last.After(yesterday) {
			last = yesterday
		}
		if long {
			last = w.Start.AddDays(20) // performed early in its window
		}
		day := last.AddDays(-l.rng.IntN(min(5, last.DaysSince(w.Start)+1)))
		dates = append(dates, day) // a gap is a window nobody asked again
		if l.rng.Float64() < gapRate || day.After(yesterday) {
			continue
		}
		out = append(out, plannedItem{label: w.Label, asOf: day.String()})
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
	name := strings.ToLower(s.Ref + "-" + strings.NewReplacer(" ", "-", "/", "-", "(", "", ")", "").Replace(item.label) + ".txt")
	body := fmt.Sprintf("Larkspur Payroll Ltd\n%s %s\n%s\n\nPeriod: %s\nPerformed by: %s\nSystems: %s\n",
		s.Ref, s.Title, s.Description, item.label, people[s.Owner].Name, s.Systems)
	e, err := l.evidence.CreateFile(l.ctx, l.principal, meta, func() (evidence.Upload, error) {
		return evidence.Upload{Name: name, MediaType: "text/plain", Body: strings.NewReader(body)}, nil
	})
	if err != nil {
		return err
	}
	l.result.Evidence++
	for _, engagementID := range slices.Sorted(maps.Keys(item.attach)) {
		if err := l.windows.AttachEvidenceToWindows(l.ctx, engagementID, ids[0], item.attach[engagementID], e.ID); err != nil {
			return fmt.Errorf("attaching %s: %w", item.label, err)
		}
	}
	return nil
}

// population is a control tested from its list of occurrences.
type population struct {
	ref, source, itemPrefix, what string
	perMonth                      int
	attributes                    []string
	exception                     string // the first sampled item fails with this description
	response                      string // management's response, if it has given one
	extend                        bool   // tested in full, extended after the deviation and concluded on
}

var populations = []population{
	{ref: "HR-02", source: "HRIS leavers report", itemPrefix: "T-", what: "Leaver", perMonth: 6, extend: true,
		attributes: []string{"access removed within one business day", "HR ticket references the leaver"},
		exception:  "Leaver access to the payroll administration console was removed four business days after the termination date."},
	{ref: "CM-02", source: "Jira change tickets deployed to production", itemPrefix: "CHG-", what: "Production change", perMonth: 24,
		attributes: []string{"approved before deployment", "tested", "peer reviewed"},
		exception:  "An emergency change was deployed before approval and approved retrospectively the next morning.",
		response:   "The emergency change procedure now requires retrospective approval within 24 hours, checked weekly by the change manager."},
}

// testing uploads populations, draws samples and records results and
// conclusions in the SOC 2 engagement, with one exception per population:
// the service auditor tests it, so its auditor draws and records them.
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
	tester := l.users[serviceAuditor.Email].ID
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
	var items []sampling.PopulationItem
	for day := start; day.Before(l.today); day = day.AddDate(0, 0, 1) {
		if l.rng.Float64() < float64(p.perMonth)/30 {
			date := day.Format(time.DateOnly)
			items = append(items, sampling.PopulationItem{Seq: len(items) + 1, ItemID: fmt.Sprintf("%s%04d", p.itemPrefix, 1000+len(items)),
				Date: &date, Description: fmt.Sprintf("%s on %s", p.what, date)})
		}
	}
	smp, err := l.sample(engagementID, controlID, tester, p.source, strings.ToLower(p.ref)+"-population.csv", items, p.attributes)
	if err != nil {
		return err
	}
	work, err := l.engagements.Work(l.ctx, engagementID, controlID)
	if err != nil {
		return err
	}
	sampled := work.Items[smp.ID]
	if !p.extend {
		// Fieldwork part-way through: the first seven in ten tested.
		return l.testItems(engagementID, smp.ID, tester, sampled[:len(sampled)*7/10], p, true)
	}
	// Every item tested; the deviation on the first extends the sample,
	// and the extension tests clean.
	if err := l.testItems(engagementID, smp.ID, tester, sampled, p, true); err != nil {
		return err
	}
	seed := l.rng.Uint64()
	more, err := l.sampling.ExtendSample(l.ctx, engagementID, smp.ID, tester, min(10, len(items)-len(sampled)), &seed,
		"a deviation was found: more items tested to see whether it was isolated")
	if err != nil {
		return err
	}
	if work, err = l.engagements.Work(l.ctx, engagementID, controlID); err != nil {
		return err
	}
	return l.testItems(engagementID, more.ID, tester, work.Items[more.ID], p, false)
}

// sample uploads a population and draws the sample the engagement's
// policy requires.
func (l *loader) sample(engagementID, controlID, tester int64, source, file string, items []sampling.PopulationItem, attributes []string) (engagement.DrawnSample, error) {
	if _, err := l.sampling.UploadPopulation(l.ctx, engagementID, controlID, tester, sampling.PopulationInput{
		Source: source, Query: "exported from " + source, GeneratedBy: people[1].Email, FileName: file, Items: items}); err != nil {
		return engagement.DrawnSample{}, err
	}
	seed := l.rng.Uint64()
	return l.sampling.DrawSample(l.ctx, engagementID, controlID, tester, sampling.DrawInput{Seed: &seed, Attributes: attributes})
}

// testItems records results for sampled items; with deviation the first
// fails its first attribute, which records the exception, given the
// population's description and management's response.
func (l *loader) testItems(engagementID, sampleID, tester int64, items []engagement.SampledItem, p population, deviation bool) error {
	for i, it := range items {
		results := map[string]string{}
		for _, a := range p.attributes {
			results[a] = "pass"
		}
		notes := ""
		if i == 0 && deviation {
			results[p.attributes[0]], notes = "fail", p.exception
		}
		if err := l.sampling.RecordSampleItem(l.ctx, engagementID, sampleID, it.Seq, tester,
			sampling.ItemInput{Results: results, Notes: notes}); err != nil {
			return err
		}
	}
	if !deviation || len(items) == 0 {
		return nil
	}
	list, err := l.engagements.Exceptions(l.ctx, engagementID)
	if err != nil {
		return err
	}
	for _, x := range list {
		if x.SampleID != nil && *x.SampleID == sampleID {
			description := fmt.Sprintf("%s (%s)", p.exception, items[0].ItemID)
			_, err = l.engagements.UpdateException(l.ctx, engagementID, x.ID, &description, &p.response, nil)
			return err
		}
	}
	return fmt.Errorf("the failed item %s recorded no exception", items[0].ItemID)
}

// conclusions records design results for most in-scope controls and
// operating results for about half, as fieldwork part-way through: a
// control concluded on is one whose sample was tested, so its n of m is
// its sample's.
func (l *loader) conclusions(engagementID int64, inScope map[int64]bool) error {
	tester := l.users[serviceAuditor.Email].ID
	for _, s := range controls {
		id := l.controlIDs[s.Ref]
		i := slices.IndexFunc(populations, func(p population) bool { return p.ref == s.Ref })
		tested := i >= 0
		extended := tested && populations[i].extend // tested in full: always concluded on
		if !inScope[id] || (!extended && l.rng.Float64() > 0.8) {
			continue
		}
		in := engagement.ResultInput{DesignResult: ptr("suitably_designed"),
			DesignNotes: ptr("Walkthrough with the control owner; procedure and one occurrence inspected.")}
		if extended {
			in.TestMethods, in.Result = &[]string{"inquiry", "inspection"}, ptr("exceptions_noted")
		}
		if !tested && l.rng.Float64() < 0.5 {
			cleaned, err := l.testClean(engagementID, id, tester, s.Ref)
			if err != nil {
				return fmt.Errorf("testing %s: %w", s.Ref, err)
			}
			if cleaned {
				in.TestMethods, in.Result = &[]string{"inquiry", "inspection"}, ptr("no_exceptions")
			}
		}
		if _, err := l.engagements.SetResult(l.ctx, engagementID, id, in); err != nil {
			return fmt.Errorf("result for %s: %w", s.Ref, err)
		}
	}
	return nil
}

// testClean tests a control on a list of its occurrences so far, as its
// frequency makes them, and finds every sampled item in order. A control
// none of whose windows has ended yet has nothing to test: it is not.
func (l *loader) testClean(engagementID, controlID, tester int64, ref string) (bool, error) {
	items, err := l.occurrencesSoFar(engagementID, controlID, ref)
	if err != nil || len(items) == 0 {
		return false, err
	}
	attrs := []string{"performed as described"}
	smp, err := l.sample(engagementID, controlID, tester, "control owner's log", strings.ToLower(ref)+"-occurrences.csv", items, attrs)
	if err != nil {
		return false, err
	}
	work, err := l.engagements.Work(l.ctx, engagementID, controlID)
	if err != nil {
		return false, err
	}
	return true, l.testItems(engagementID, smp.ID, tester, work.Items[smp.ID], population{attributes: attrs}, false)
}

// occurrencesSoFar lists a control's occurrences from the period's start
// to today, the population a tester would be given: one per window that
// has ended for a control tested by windows, the one configuration of an
// automated control, and an event a fortnight for an event-driven one.
func (l *loader) occurrencesSoFar(engagementID, controlID int64, ref string) ([]sampling.PopulationItem, error) {
	d, err := l.engagements.Get(l.ctx, engagementID)
	if err != nil {
		return nil, err
	}
	start, err := engagement.Day(*d.PeriodStart)
	if err != nil {
		return nil, err
	}
	scoped, err := l.engagements.Controls(l.ctx, engagementID)
	if err != nil {
		return nil, err
	}
	var items []sampling.PopulationItem
	add := func(day civil.Date, what string) {
		date := day.String()
		items = append(items, sampling.PopulationItem{Seq: len(items) + 1, ItemID: fmt.Sprintf("%s-%s", ref, date), Date: &date,
			Description: what + " on " + date})
	}
	today := civil.Of(l.today)
	for _, c := range scoped {
		if c.ID != controlID {
			continue
		}
		switch c.Basis {
		case period.ByWindows:
			for _, w := range c.Windows {
				if w.Ended(today) {
					add(w.End, "Occurrence")
				}
			}
		case period.Baseline:
			add(civil.Of(start), "Configuration")
		default:
			for day := civil.Of(start); day.Before(today); day = day.AddDays(14) {
				add(day, "Event")
			}
		}
	}
	return items, nil
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
			if _, err := l.complements.AddCUEC(l.ctx, id, c.Text, reqs(c)); err != nil {
				return err
			}
		}
		in := complementary.SubserviceInput{Name: "Stratus Cloud", Method: "carve-out", MonitoringControlID: &monitor,
			Services: "Infrastructure hosting: compute, managed PostgreSQL and object storage in two EU regions"}
		for _, c := range csocs {
			in.CSOCs = append(in.CSOCs, struct {
				Text         string
				Requirements []string
			}{c.Text, reqs(c)})
		}
		sub, err := l.complements.AddSubservice(l.ctx, id, in)
		if err != nil {
			return err
		}
		if i == 0 { // the SOC 2 relies on Stratus Cloud as a carve-out
			if err := l.carveOut(id, sub.ID); err != nil {
				return fmt.Errorf("Stratus Cloud carve-out: %w", err)
			}
		}
	}
	return nil
}

// carveOut makes Stratus Cloud's carve-out hold in the SOC 2: VEN-02, the
// control that monitors it, is tested on its one occurrence of the
// period and effective, and the review of Stratus Cloud's own SOC 2 Type
// II is recorded, with its bridge letter for the months between its
// period and ours and its CUECs each addressed by a control in scope.
func (l *loader) carveOut(engagementID, subID int64) error {
	monitor := l.controlIDs["VEN-02"]
	if err := l.testMonitor(engagementID, monitor); err != nil {
		return err
	}
	vendorEnd := l.monthStart(2).AddDate(0, 0, -1)
	reviewedOn := l.today.AddDate(0, 0, -20)
	title := "Stratus Cloud bridge letter from " + vendorEnd.AddDate(0, 0, 1).Format(time.DateOnly)
	asOf := reviewedOn.AddDate(0, 0, -2).Format(time.DateOnly)
	ids := []int64{monitor}
	bridge, err := l.evidence.CreateFile(l.ctx, l.principal, evidence.Meta{Title: &title, ControlIDs: &ids, AsOf: &asOf,
		SourceSystem: ptr("Vendor register"), ProvidedBy: ptr("Stratus Cloud")}, func() (evidence.Upload, error) {
		return evidence.Upload{Name: "stratus-cloud-bridge-letter.txt", MediaType: "text/plain", Body: strings.NewReader(
			"Stratus Cloud Ltd\nBridge letter\n\nNo material changes to the controls described in our SOC 2 Type II report for the period ended " +
				vendorEnd.Format(time.DateOnly) + ", and no deficiencies identified since.\n")}, nil
	})
	if err != nil {
		return err
	}
	l.result.Evidence++
	cuecs := []complementary.VendorCUECInput{
		{Text: "Customers control who can reach their cloud accounts and require multi-factor authentication for it.", ControlID: ptr(l.controlIDs["AC-02"])},
		{Text: "Customers review the users and roles of their cloud accounts periodically.", ControlID: ptr(l.controlIDs["AC-03"])},
	}
	_, err = l.complements.AddReview(l.ctx, engagementID, subID, l.users[people[1].Email].ID, complementary.ReviewInput{
		Report: ptr("soc2"), ReportType: ptr("type2"), PeriodStart: ptr(vendorEnd.AddDate(-1, 0, 1).Format(time.DateOnly)),
		PeriodEnd: ptr(vendorEnd.Format(time.DateOnly)), VendorAuditor: ptr("Calder Ross LLP"), Opinion: ptr("unmodified"),
		ExceptionsNoted:        ptr("One of 25 sampled data centre visitor badges was returned a day late."),
		ExceptionsRelevance:    ptr("None for Larkspur: visitor badges do not reach the cages that hold Larkspur's hosts."),
		BridgeLetterEvidenceID: &bridge.ID, ReviewedOn: ptr(reviewedOn.Format(time.DateOnly)), CUECs: &cuecs})
	return err
}

// testMonitor concludes VEN-02 effective in the engagement, testing its
// one annual occurrence so far unless its conclusion is already clean.
func (l *loader) testMonitor(engagementID, monitor int64) error {
	r, _, err := l.engagements.Result(l.ctx, engagementID, monitor)
	if err != nil || r.Result == "no_exceptions" {
		return err
	}
	tester := l.users[serviceAuditor.Email].ID
	date := l.today.AddDate(0, 0, -20).Format(time.DateOnly)
	items := []sampling.PopulationItem{{Seq: 1, ItemID: "VEN-02-" + date, Date: &date, Description: "Review of Stratus Cloud's SOC 2 Type II report"}}
	if _, err := l.sampling.UploadPopulation(l.ctx, engagementID, monitor, tester, sampling.PopulationInput{Source: "Vendor register",
		Query: "vendor reviews of the period", GeneratedBy: people[1].Email, FileName: "ven-02-reviews.csv", Items: items}); err != nil {
		return err
	}
	seed := uint64(2) // one item: the seed changes nothing, and the demo's other draws keep theirs
	attrs := []string{"report, exceptions and CUECs reviewed"}
	smp, err := l.sampling.DrawSample(l.ctx, engagementID, monitor, tester, sampling.DrawInput{Seed: &seed, Attributes: attrs})
	if err != nil {
		return err
	}
	work, err := l.engagements.Work(l.ctx, engagementID, monitor)
	if err != nil {
		return err
	}
	if err := l.testItems(engagementID, smp.ID, tester, work.Items[smp.ID], population{attributes: attrs}, false); err != nil {
		return err
	}
	_, err = l.engagements.SetResult(l.ctx, engagementID, monitor, engagement.ResultInput{DesignResult: ptr("suitably_designed"),
		DesignNotes: ptr("Walkthrough with the compliance lead; the review of the last report inspected."),
		TestMethods: &[]string{"inquiry", "inspection"}, Result: ptr("no_exceptions")})
	return err
}

// soc1Programme records the auditors' planned test of every control in
// the SOC 1 engagement's scope, so that its Section IV reads as the
// report will: each control with the test performed beneath it.
func (l *loader) soc1Programme() error {
	soc1 := l.result.Engagements[1]
	for _, s := range controls {
		if !slices.ContainsFunc(s.Requirements, func(r string) bool { return strings.HasPrefix(r, "org-soc1/") }) {
			continue
		}
		methods, procedure := plannedTest(s)
		in := engagement.ResultInput{TestMethods: &methods, TestProcedure: &procedure}
		if _, err := l.engagements.SetResult(l.ctx, soc1, l.controlIDs[s.Ref], in); err != nil {
			return fmt.Errorf("planned test of %s: %w", s.Ref, err)
		}
	}
	return nil
}

// plannedTest is a control's test: written for the payroll controls, and
// otherwise the usual test for its nature and frequency.
func plannedTest(s controlSpec) ([]string, string) {
	if p, ok := soc1Tests[s.Ref]; ok {
		return methodsOf(p), p
	}
	switch {
	case s.Nature == automated:
		return []string{"inquiry", "inspection", "observation"}, fmt.Sprintf("Inspected the configuration in %s that enforces the control and observed one instance of it operating; its operation over the period rests on the program change and logical access controls.", s.Systems)
	case s.Frequency == eventDriven:
		return []string{"inquiry", "inspection"}, fmt.Sprintf("Obtained the population of occurrences in the period from %s and, for a sample, inspected evidence that the control operated as described.", s.Systems)
	}
	return []string{"inquiry", "inspection"}, fmt.Sprintf("Inquired of the control owner and, for a sample of the period's %s occurrences, inspected evidence that the control operated as described.", s.Frequency)
}

// methodsOf names the test methods a written procedure uses.
func methodsOf(procedure string) []string {
	methods := []string{"inquiry"}
	for _, m := range []struct{ method, word string }{{"inspection", "nspect"}, {"observation", "bserv"},
		{"observation", "ttempted"}, {"reperformance", "eperform"}} {
		if strings.Contains(procedure, m.word) && !slices.Contains(methods, m.method) {
			methods = append(methods, m.method)
		}
	}
	return methods
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
