package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Chef InSpec's JSON reporter (inspec exec --reporter json, schema
// "exec-json") writes the platform, then profiles with their controls,
// each with the results of its tests, then statistics and the InSpec
// version. A control is a check; each test result is one row, on the
// resource it names or else on the scanned target.
type inspecControl struct {
	ID         string                     `json:"id"`
	Title      *string                    `json:"title"`
	Tags       map[string]json.RawMessage `json:"tags"`
	WaiverData *struct {
		Run           *bool  `json:"run"`
		SkippedWaiver bool   `json:"skipped_due_to_waiver"`
		Message       string `json:"message"`
	} `json:"waiver_data"`
	Results []struct {
		Status      string `json:"status"`
		CodeDesc    string `json:"code_desc"`
		StartTime   string `json:"start_time"`
		Resource    string `json:"resource"`
		ResourceID  string `json:"resource_id"`
		Message     string `json:"message"`
		SkipMessage string `json:"skip_message"`
		Exception   string `json:"exception"`
	} `json:"results"`
}

func parseInSpec(r io.Reader, scan *Scan, emit func(Result) error) error {
	s := newStream(r, InSpec)
	scan.Tool = "Chef InSpec"
	target := ""
	n := 0
	err := s.object("the document", func(key string) error {
		switch key {
		case "platform":
			var p struct {
				Name     string `json:"name"`
				Release  string `json:"release"`
				TargetID string `json:"target_id"`
			}
			if err := s.value(&p); err != nil {
				return err
			}
			target = p.TargetID
			if target == "" {
				target = strings.TrimSpace(p.Name + " " + p.Release)
			}
			scan.Target = target
			return nil
		case "version":
			return s.value(&scan.ToolVersion)
		case "profiles":
			return s.array("profiles", func(int) error {
				return s.object("a profile", func(key string) error {
					if key != "controls" {
						return s.skip()
					}
					return s.array("controls", func(int) error {
						var c inspecControl
						if err := s.value(&c); err != nil {
							return err
						}
						n++
						return c.emit(fmt.Sprintf("control %d", n), target, scan, emit)
					})
				})
			})
		}
		return s.skip()
	})
	if err != nil {
		return err
	}
	scan.FormatVersion = "exec-json"
	return s.end()
}

func (c inspecControl) emit(where, target string, scan *Scan, emit func(Result) error) error {
	if c.ID == "" {
		return parseErr(InSpec, where, "the control has no id")
	}
	title := c.ID
	if c.Title != nil && *c.Title != "" {
		title = *c.Title
	}
	criteria := c.criteria()
	waived := c.WaiverData != nil && (c.WaiverData.SkippedWaiver || (c.WaiverData.Run != nil && !*c.WaiverData.Run))
	if len(c.Results) == 0 || waived {
		msg := "the control ran no tests"
		if waived {
			msg = "waived: " + c.WaiverData.Message
		}
		return emit(Result{CheckID: c.ID, Title: title, Status: Skip, Resource: target, Message: msg, Criteria: criteria})
	}
	for _, t := range c.Results {
		res := Result{CheckID: c.ID, Title: title, Resource: t.ResourceID, Criteria: criteria}
		if res.Resource == "" {
			res.Resource = target
		}
		switch {
		case t.Exception != "" && t.Status != "skipped":
			res.Status, res.Message = Error, t.Exception+": "+t.Message
		case t.Status == "passed":
			res.Status, res.Message = Pass, t.CodeDesc
		case t.Status == "failed":
			res.Status, res.Message = Fail, strings.TrimSpace(t.CodeDesc+"\n"+t.Message)
		case t.Status == "skipped":
			res.Status, res.Message = Skip, t.SkipMessage
		case t.Status == "error":
			res.Status, res.Message = Error, t.Message
		default:
			return parseErr(InSpec, where, "control %s: unknown result status %q (expected passed, failed or skipped)", c.ID, t.Status)
		}
		if ts, ok := parseTime(t.StartTime); ok {
			res.Time = ts
			scan.ScannedAt = laterOf(scan.ScannedAt, ts)
		}
		if err := emit(res); err != nil {
			return err
		}
	}
	return nil
}

// criteria reads SOC 2 criteria from the control's tags, e.g.
// tag soc2: ["CC6.1", "CC6.6"] or tag "soc_2": "CC7.2".
func (c inspecControl) criteria() []string {
	var out []string
	for k, raw := range c.Tags {
		if !isSOC2Framework(k) {
			continue
		}
		var one string
		var many []string
		switch {
		case json.Unmarshal(raw, &one) == nil:
			out = append(out, strings.FieldsFunc(one, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })...)
		case json.Unmarshal(raw, &many) == nil:
			out = append(out, many...)
		}
	}
	return out
}
