package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Powerpipe (and Steampipe before it) writes a benchmark run with
// --export json as nested result groups: each group has group_id, title,
// tags, summary, child groups and controls, and each control its result
// rows (reason, resource, status, dimensions). A compliance mod's SOC 2
// benchmark puts every control under the group of the criterion it serves
// (…benchmark.soc_2_cc_6_1), so the enclosing groups are its criteria. The
// same control can sit under several criteria: its rows are counted once.
type powerpipeControl struct {
	ControlID string            `json:"control_id"`
	Title     string            `json:"title"`
	Tags      map[string]string `json:"tags"`
	RunStatus json.Number       `json:"run_status"`
	RunError  string            `json:"run_error"`
	Results   []struct {
		Reason   string `json:"reason"`
		Resource string `json:"resource"`
		Status   string `json:"status"`
	} `json:"results"`
}

type powerpipeParser struct {
	s    *stream
	emit func(Result) error
	seen map[string]bool // control ids already emitted
	n    int             // controls read, for messages
}

func parsePowerpipe(r io.Reader, scan *Scan, emit func(Result) error) error {
	p := &powerpipeParser{s: newStream(r, Powerpipe), emit: emit, seen: map[string]bool{}}
	scan.Tool = "Powerpipe"
	if err := p.group(nil, scan, true); err != nil {
		return err
	}
	return p.s.end()
}

// group walks one result group; criteria are those of the groups above.
func (p *powerpipeParser) group(criteria []string, scan *Scan, root bool) error {
	return p.s.object("a result group", func(key string) error {
		switch key {
		case "group_id":
			var id string
			if err := p.s.value(&id); err != nil {
				return err
			}
			if root && id != "root_result_group" {
				scan.Target = id
			}
			if c, ok := powerpipeCriterion(id); ok {
				criteria = append(criteria[:len(criteria):len(criteria)], c)
			}
			return nil
		case "title":
			if !root {
				return p.s.skip()
			}
			var title string
			if err := p.s.value(&title); err != nil {
				return err
			}
			if scan.Target == "" {
				scan.Target = title
			}
			return nil
		case "groups":
			return p.s.array("groups", func(int) error { return p.group(criteria, scan, false) })
		case "controls":
			return p.s.array("controls", func(int) error { return p.control(criteria) })
		}
		return p.s.skip()
	})
}

func (p *powerpipeParser) control(criteria []string) error {
	var c powerpipeControl
	if err := p.s.value(&c); err != nil {
		return err
	}
	p.n++
	where := fmt.Sprintf("control %d", p.n)
	if c.ControlID == "" {
		return parseErr(Powerpipe, where, "the control has no control_id")
	}
	criteria = append(criteria[:len(criteria):len(criteria)], taggedCriteria(c.Tags)...)
	if p.seen[c.ControlID] {
		// Already counted under another criterion: only its criteria are new.
		return p.emit(Result{CheckID: c.ControlID, Criteria: criteria, CriteriaOnly: true})
	}
	p.seen[c.ControlID] = true
	if len(c.Results) == 0 {
		status, msg := Skip, "the control returned no rows"
		if c.RunError != "" || c.RunStatus.String() == "8" {
			status, msg = Error, c.RunError
		}
		return p.emit(Result{CheckID: c.ControlID, Title: c.Title, Status: status, Message: msg, Criteria: criteria})
	}
	for _, row := range c.Results {
		st, ok := powerpipeStatus[row.Status]
		if !ok {
			return parseErr(Powerpipe, where, "control %s: unknown status %q (expected ok, alarm, error, skip or info)", c.ControlID, row.Status)
		}
		res := Result{CheckID: c.ControlID, Title: c.Title, Status: st, Resource: row.Resource, Message: row.Reason, Criteria: criteria}
		if err := p.emit(res); err != nil {
			return err
		}
	}
	return nil
}

var powerpipeStatus = map[string]Status{"ok": Pass, "alarm": Fail, "error": Error, "skip": Skip, "info": Skip}

// powerpipeCriterion reads the criterion from a SOC 2 benchmark group id,
// e.g. aws_compliance.benchmark.soc_2_cc_6_1 → cc_6_1.
func powerpipeCriterion(groupID string) (string, bool) {
	name := groupID[strings.LastIndexByte(groupID, '.')+1:]
	i := strings.Index(name, "soc_2_")
	if i < 0 {
		return "", false
	}
	ref, ok := CriterionRef(name[i+len("soc_2_"):])
	return ref, ok
}

// taggedCriteria reads criteria from tags whose name says SOC 2
// (soc_2_item_id = "CC6.1", soc2 = "CC6.1, CC6.2").
func taggedCriteria(tags map[string]string) []string {
	var out []string
	for k, v := range tags {
		if !isSOC2Framework(k) {
			continue
		}
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			if ref, ok := CriterionRef(part); ok {
				out = append(out, ref)
			}
		}
	}
	return out
}
