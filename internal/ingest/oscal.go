package ingest

import (
	"fmt"
	"io"
	"strings"
)

// An OSCAL assessment-results document holds results, each with findings
// (a control objective or statement and whether it was satisfied) and the
// observations behind them (what was looked at: their subjects). A
// finding is one check: its target-id is the check id, its status the
// result, the subjects of its observations the resources. A target-id
// that names a SOC 2 criterion (cc6.1, cc6.1_obj) is also its criterion.
type oscalResult struct {
	UUID     string `json:"uuid"`
	Title    string `json:"title"`
	Start    string `json:"start"`
	End      string `json:"end"`
	Findings []struct {
		UUID        string `json:"uuid"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Target      struct {
			Type     string `json:"type"`
			TargetID string `json:"target-id"`
			Title    string `json:"title"`
			Status   struct {
				State   string `json:"state"`
				Reason  string `json:"reason"`
				Remarks string `json:"remarks"`
			} `json:"status"`
		} `json:"target"`
		Props               []oscalProp `json:"props"`
		RelatedObservations []struct {
			ObservationUUID string `json:"observation-uuid"`
		} `json:"related-observations"`
	} `json:"findings"`
	Observations []struct {
		UUID     string `json:"uuid"`
		Subjects []struct {
			SubjectUUID string `json:"subject-uuid"`
			Type        string `json:"type"`
			Title       string `json:"title"`
		} `json:"subjects"`
		Collected string `json:"collected"`
	} `json:"observations"`
}

type oscalProp struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	NS    string `json:"ns"`
}

func parseOSCAL(r io.Reader, scan *Scan, emit func(Result) error) error {
	s := newStream(r, OSCAL)
	scan.Tool = "OSCAL"
	err := s.object("the document", func(key string) error {
		if key != "assessment-results" {
			return s.skip()
		}
		return s.object("assessment-results", func(key string) error {
			switch key {
			case "uuid":
				return s.value(&scan.ScanID)
			case "metadata":
				var m struct {
					Title        string `json:"title"`
					LastModified string `json:"last-modified"`
					OSCALVersion string `json:"oscal-version"`
					Version      string `json:"version"`
					Parties      []struct {
						Type string `json:"type"`
						Name string `json:"name"`
					} `json:"parties"`
				}
				if err := s.value(&m); err != nil {
					return err
				}
				scan.FormatVersion, scan.Target, scan.ToolVersion = m.OSCALVersion, m.Title, m.Version
				if t, ok := parseTime(m.LastModified); ok && scan.ScannedAt.IsZero() {
					scan.ScannedAt = t
				}
				return nil
			case "results":
				var scanned bool
				return s.array("results", func(i int) error {
					var res oscalResult
					if err := s.value(&res); err != nil {
						return err
					}
					// A result's end (or start) is when its assessment ran;
					// it wins over the document's last-modified time.
					if t, ok := parseTime(firstNonEmpty(res.End, res.Start)); ok {
						if !scanned {
							scan.ScannedAt, scanned = t, true
						}
						scan.ScannedAt = laterOf(scan.ScannedAt, t)
					}
					return res.emit(i, emit)
				})
			}
			return s.skip()
		})
	})
	if err != nil {
		return err
	}
	if scan.FormatVersion == "" {
		return parseErr(OSCAL, "metadata", "oscal-version is missing: not an OSCAL document")
	}
	return s.end()
}

func (res oscalResult) emit(i int, emit func(Result) error) error {
	subjects := map[string]string{}
	for _, o := range res.Observations {
		var names []string
		for _, sub := range o.Subjects {
			names = append(names, firstNonEmpty(sub.Title, sub.SubjectUUID))
		}
		subjects[o.UUID] = strings.Join(names, ", ")
	}
	for j, f := range res.Findings {
		where := fmt.Sprintf("result %d, finding %d", i+1, j+1)
		r := Result{CheckID: f.Target.TargetID, Title: firstNonEmpty(f.Target.Title, f.Title),
			Message: firstNonEmpty(f.Target.Status.Remarks, f.Description)}
		switch f.Target.Status.State {
		case "satisfied":
			r.Status = Pass
		case "not-satisfied":
			r.Status = Fail
		default:
			return parseErr(OSCAL, where, "target status state %q (expected satisfied or not-satisfied)", f.Target.Status.State)
		}
		if f.Target.Status.Reason == "other" {
			r.Status = Skip
		}
		var resources []string
		for _, ro := range f.RelatedObservations {
			if s := subjects[ro.ObservationUUID]; s != "" {
				resources = append(resources, s)
			}
		}
		r.Resource = strings.Join(resources, "; ")
		if ref, ok := CriterionRef(f.Target.TargetID); ok {
			r.Criteria = append(r.Criteria, ref)
		}
		for _, p := range f.Props {
			if isSOC2Framework(p.Name) {
				r.Criteria = append(r.Criteria, p.Value)
			}
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
