package ingest

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
)

// ocsfFinding is the part of an OCSF Detection Finding (class 2004; 2003,
// Compliance Finding, reads the same) that socmap uses. Prowler writes one
// per check and resource: metadata.event_code is the check id,
// status_code PASS / FAIL / MANUAL, unmapped.compliance the frameworks'
// requirement ids (SOC 2's as cc_6_1) and unmapped.scan_id the run.
type ocsfFinding struct {
	ClassUID   *int        `json:"class_uid"`
	Message    string      `json:"message"`
	StatusCode string      `json:"status_code"`
	Status     string      `json:"status"`
	StatusID   json.Number `json:"status_id"`
	Detail     string      `json:"status_detail"`
	Time       json.Number `json:"time"`
	TimeDT     string      `json:"time_dt"`
	Metadata   struct {
		EventCode string `json:"event_code"`
		Version   string `json:"version"`
		Product   struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"product"`
	} `json:"metadata"`
	FindingInfo struct {
		Title string `json:"title"`
		UID   string `json:"uid"`
	} `json:"finding_info"`
	Compliance *struct {
		Control      string   `json:"control"`
		Requirements []string `json:"requirements"`
		Standards    []string `json:"standards"`
		Status       string   `json:"status"`
	} `json:"compliance"`
	Resources []struct {
		UID  string `json:"uid"`
		Name string `json:"name"`
	} `json:"resources"`
	Cloud struct {
		Provider string `json:"provider"`
		Account  struct {
			UID string `json:"uid"`
		} `json:"account"`
	} `json:"cloud"`
	Unmapped struct {
		Compliance map[string][]string `json:"compliance"`
		ScanID     string              `json:"scan_id"`
	} `json:"unmapped"`
}

// ocsfSuppressed is OCSF's status_id for a finding that was muted.
const ocsfSuppressed = "3"

func parseOCSF(r io.Reader, scan *Scan, emit func(Result) error) error {
	s := newStream(r, ProwlerOCSF)
	scanIDs := map[string]bool{}
	targets := map[string]bool{}
	err := s.array("the document", func(i int) error {
		var f ocsfFinding
		if err := s.value(&f); err != nil {
			return err
		}
		where := fmt.Sprintf("finding %d", i+1)
		if f.ClassUID == nil {
			return parseErr(ProwlerOCSF, where, "not an OCSF finding: it has no class_uid")
		}
		res, err := f.result()
		if err != nil {
			return parseErr(ProwlerOCSF, where, "%s", err)
		}
		if scan.Tool == "" {
			scan.Tool, scan.ToolVersion, scan.FormatVersion = f.Metadata.Product.Name, f.Metadata.Product.Version, f.Metadata.Version
		}
		scan.ScannedAt = laterOf(scan.ScannedAt, res.Time)
		if f.Unmapped.ScanID != "" {
			scanIDs[f.Unmapped.ScanID] = true
		}
		if f.Cloud.Account.UID != "" {
			targets[f.Cloud.Provider+" "+f.Cloud.Account.UID] = true
		}
		return emit(res)
	})
	if err != nil {
		return err
	}
	if scan.Tool == "" {
		scan.Tool = "OCSF"
	}
	scan.ScanID = strings.Join(sortedKeys(scanIDs), "+")
	scan.Target = strings.Join(sortedKeys(targets), ", ")
	return s.end()
}

func (f ocsfFinding) result() (Result, error) {
	res := Result{CheckID: f.Metadata.EventCode, Title: f.FindingInfo.Title, Message: f.Detail}
	if res.Message == "" {
		res.Message = f.Message
	}
	if res.CheckID == "" && f.Compliance != nil {
		res.CheckID = f.Compliance.Control
	}
	if len(f.Resources) > 0 {
		res.Resource = f.Resources[0].UID
		if res.Resource == "" {
			res.Resource = f.Resources[0].Name
		}
	}
	status := f.StatusCode
	if status == "" && f.Compliance != nil {
		status = f.Compliance.Status
	}
	switch strings.ToUpper(status) {
	case "PASS":
		res.Status = Pass
	case "FAIL":
		res.Status = Fail
	case "MANUAL", "WARNING", "NOT_APPLICABLE", "N/A":
		res.Status = Skip
	default:
		return res, fmt.Errorf("check %s: unknown status_code %q (expected PASS, FAIL or MANUAL)", res.CheckID, status)
	}
	if f.StatusID.String() == ocsfSuppressed || strings.EqualFold(f.Status, "Suppressed") {
		res.Status = Skip // muted: an accepted risk, not a failure to chase
	}
	if t, ok := parseTime(f.TimeDT); ok {
		res.Time = t
	} else if n, err := f.Time.Int64(); err == nil {
		res.Time = epoch(n)
	}
	for framework, ids := range f.Unmapped.Compliance {
		if isSOC2Framework(framework) {
			res.Criteria = append(res.Criteria, ids...)
		}
	}
	if f.Compliance != nil && slices.ContainsFunc(f.Compliance.Standards, isSOC2Framework) {
		res.Criteria = append(res.Criteria, f.Compliance.Requirements...)
	}
	return res, nil
}

// isSOC2Framework recognises the names tools give the SOC 2 framework:
// Prowler's "SOC2", and spellings such as "SOC 2" or "soc_2".
func isSOC2Framework(name string) bool {
	n := strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(name))
	return strings.HasPrefix(n, "soc2")
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// prowlerColumns are the compliance CSV columns socmap reads (Prowler's
// GenericComplianceModel, written with upper-case names and ';').
var prowlerColumns = []string{"checkid", "status", "requirements_id"}

// parseProwlerCSV reads a compliance CSV. It has one row per requirement
// and finding, so a finding that serves three requirements comes three
// times: it is one result, with all three as criteria.
func parseProwlerCSV(r io.Reader, scan *Scan, emit func(Result) error) error {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return parseErr(ProwlerCompliance, "row 1", "unreadable header: %s", err)
	}
	col := columnIndex(header)
	for _, c := range prowlerColumns {
		if _, ok := col[c]; !ok {
			return parseErr(ProwlerCompliance, "row 1", "the column %s is missing", strings.ToUpper(c))
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	scan.Tool = "Prowler"
	// Rows of one finding are adjacent only by chance, so findings are
	// collected by check and resource and emitted at the end; a compliance
	// CSV holds one framework's findings, far fewer than the OCSF file.
	type key struct{ check, account, region, resource string }
	var order []key
	found := map[key]*Result{}
	targets := map[string]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		where := fmt.Sprintf("row %d", csvRow(cr, rec, err))
		if err != nil {
			return parseErr(ProwlerCompliance, where, "%s", csvReason(err))
		}
		status, ok := prowlerStatus(get(rec, "status"), get(rec, "muted"))
		if !ok {
			return parseErr(ProwlerCompliance, where, "unknown STATUS %q (expected PASS, FAIL or MANUAL)", get(rec, "status"))
		}
		check := get(rec, "checkid")
		if check == "manual" || check == "" {
			continue // a requirement no check covers: nothing was tested
		}
		k := key{check, get(rec, "accountid"), get(rec, "region"), get(rec, "resourceid")}
		res := found[k]
		if res == nil {
			res = &Result{CheckID: check, Status: status, Resource: k.resource, Message: get(rec, "statusextended")}
			if t, ok := parseTime(get(rec, "assessmentdate")); ok {
				res.Time = t
				scan.ScannedAt = laterOf(scan.ScannedAt, t)
			}
			found[k] = res
			order = append(order, k)
		}
		if fw := get(rec, "framework"); fw == "" || isSOC2Framework(fw) {
			res.Criteria = append(res.Criteria, get(rec, "requirements_id"))
		}
		if k.account != "" {
			targets[get(rec, "provider")+" "+k.account] = true
		}
	}
	scan.Target = strings.TrimSpace(strings.Join(sortedKeys(targets), ", "))
	for _, k := range order {
		if err := emit(*found[k]); err != nil {
			return err
		}
	}
	return nil
}

func prowlerStatus(status, muted string) (Status, bool) {
	if strings.EqualFold(strings.TrimSpace(muted), "true") {
		return Skip, true
	}
	switch strings.ToUpper(strings.TrimSpace(status)) {
	case "PASS":
		return Pass, true
	case "FAIL":
		return Fail, true
	case "MANUAL", "INFO":
		return Skip, true
	}
	return "", false
}

func columnIndex(header []string) map[string]int {
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	return col
}

// csvRow is the line a record (or the error reading it) starts on.
func csvRow(cr *csv.Reader, rec []string, err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	if len(rec) == 0 {
		return 0
	}
	line, _ := cr.FieldPos(0)
	return line
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("malformed CSV at column %d: %s", pe.Column, pe.Err)
	}
	return err.Error()
}
