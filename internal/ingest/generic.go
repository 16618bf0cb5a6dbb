package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// GenericVersion is the version of socmap's own result format.
const GenericVersion = "socmap-results/1"

// genericResult is one result in the generic JSON format (see
// docs/ingest.md); criteria may be an array or one string.
type genericResult struct {
	CheckID  string          `json:"check_id"`
	Title    string          `json:"title"`
	Status   string          `json:"status"`
	Resource string          `json:"resource"`
	Message  string          `json:"message"`
	Time     string          `json:"time"`
	Criteria json.RawMessage `json:"criteria"`
}

// genericStatus accepts the usual words for each status.
var genericStatus = map[string]Status{
	"pass": Pass, "passed": Pass, "ok": Pass, "success": Pass,
	"fail": Fail, "failed": Fail, "alarm": Fail, "failure": Fail,
	"error": Error, "errored": Error,
	"skip": Skip, "skipped": Skip, "info": Skip, "manual": Skip, "not_applicable": Skip, "n/a": Skip,
}

func genericResultOf(g genericResult, criteria []string, where string, f Format) (Result, error) {
	st, ok := genericStatus[strings.ToLower(strings.TrimSpace(g.Status))]
	if !ok {
		return Result{}, parseErr(f, where, "status %q: use pass, fail, error or skip", g.Status)
	}
	r := Result{CheckID: g.CheckID, Title: g.Title, Status: st, Resource: g.Resource, Message: g.Message, Criteria: criteria}
	if g.Time != "" {
		t, ok := parseTime(g.Time)
		if !ok {
			return r, parseErr(f, where, "time %q is not a date and time such as 2026-03-02T02:00:00Z", g.Time)
		}
		r.Time = t
	}
	return r, nil
}

// criteriaOf reads the criteria of a JSON result: an array, or one string.
func criteriaOf(raw json.RawMessage, where string) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return splitList(one), nil
	}
	var many []string
	if json.Unmarshal(raw, &many) != nil {
		return nil, parseErr(GenericJSON, where, "criteria must be a list of criteria such as [\"CC6.1\"]")
	}
	return many, nil
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '|' })
}

func parseGenericJSON(r io.Reader, scan *Scan, emit func(Result) error) error {
	s := newStream(r, GenericJSON)
	var scannedAt string
	n := 0
	err := s.object("the document", func(key string) error {
		switch key {
		case "format":
			if err := s.value(&scan.FormatVersion); err != nil {
				return err
			}
			if scan.FormatVersion != GenericVersion {
				return parseErr(GenericJSON, "format", "%q is not a format socmap knows (use %q)", scan.FormatVersion, GenericVersion)
			}
			return nil
		case "tool":
			return s.value(&scan.Tool)
		case "tool_version":
			return s.value(&scan.ToolVersion)
		case "scan_id":
			return s.value(&scan.ScanID)
		case "target":
			return s.value(&scan.Target)
		case "scanned_at":
			return s.value(&scannedAt)
		case "results":
			return s.array("results", func(i int) error {
				var g genericResult
				if err := s.value(&g); err != nil {
					return err
				}
				n++
				where := fmt.Sprintf("result %d", n)
				criteria, err := criteriaOf(g.Criteria, where)
				if err != nil {
					return err
				}
				res, err := genericResultOf(g, criteria, where, GenericJSON)
				if err != nil {
					return err
				}
				scan.ScannedAt = laterOf(scan.ScannedAt, res.Time)
				return emit(res)
			})
		}
		return parseErr(GenericJSON, key, "unknown field %q (expected format, tool, tool_version, scan_id, target, scanned_at, results)", key)
	})
	if err != nil {
		return err
	}
	if err := finishGeneric(scan, scannedAt, GenericJSON); err != nil {
		return err
	}
	return s.end()
}

// finishGeneric applies the document's own scan time, which wins over
// the results' times.
func finishGeneric(scan *Scan, scannedAt string, f Format) error {
	if scan.FormatVersion == "" {
		scan.FormatVersion = GenericVersion
	}
	if scan.Tool == "" {
		scan.Tool = "generic"
	}
	if scannedAt == "" {
		return nil
	}
	t, ok := parseTime(scannedAt)
	if !ok {
		return parseErr(f, "scanned_at", "%q is not a date and time such as 2026-03-02T02:00:00Z", scannedAt)
	}
	scan.ScannedAt = t
	return nil
}

// The generic CSV has a header row; check_id and status are required,
// the other columns optional, in any order. Criteria are separated by ';'
// or spaces within their cell.
var genericColumns = []string{"check_id", "title", "status", "resource", "message", "time", "criteria"}

func parseGenericCSV(r io.Reader, scan *Scan, emit func(Result) error) error {
	t, err := openTable(r, "check_id")
	if err != nil {
		return asParseError(GenericCSV, err)
	}
	for name := range t.col {
		if name != "" && !slices.Contains(genericColumns, name) {
			return parseErr(GenericCSV, "row 1", "unknown column %q (expected %s)", name, strings.Join(genericColumns, ", "))
		}
	}
	err = t.each(func(row int, cell func(string) string) error {
		where := fmt.Sprintf("row %d", row)
		res, err := genericResultOf(genericResult{CheckID: cell("check_id"), Title: cell("title"), Status: cell("status"),
			Resource: cell("resource"), Message: cell("message"), Time: cell("time")}, splitList(cell("criteria")), where, GenericCSV)
		if err != nil {
			return err
		}
		if res.CheckID == "" {
			return parseErr(GenericCSV, where, "check_id is empty")
		}
		scan.ScannedAt = laterOf(scan.ScannedAt, res.Time)
		return emit(res)
	})
	if err != nil {
		return asParseError(GenericCSV, err)
	}
	return finishGeneric(scan, "", GenericCSV)
}
