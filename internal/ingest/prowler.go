package ingest

import (
	"encoding/json"
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
	return strings.HasPrefix(separators.Replace(strings.ToLower(name)), "soc2")
}

var separators = strings.NewReplacer(" ", "", "_", "", "-", "")

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// prowlerColumns are the compliance CSV columns socmap needs (Prowler's
// GenericComplianceModel, written with upper-case names and ';').
var prowlerColumns = []string{"checkid", "status", "requirements_id"}

// parseProwlerCSV reads a compliance CSV. It has one row per requirement
// and finding, so a finding that serves three requirements comes three
// times: it is one result, with all three as criteria.
func parseProwlerCSV(r io.Reader, scan *Scan, emit func(Result) error) error {
	t, err := openTable(r, "checkid")
	if err != nil {
		return asParseError(ProwlerCompliance, err)
	}
	for _, c := range prowlerColumns {
		if !t.has(c) {
			return parseErr(ProwlerCompliance, "row 1", "the column %s is missing", strings.ToUpper(c))
		}
	}
	scan.Tool = "Prowler"
	// Rows of one finding are adjacent only by chance, so findings are
	// collected by check and resource and emitted at the end; a compliance
	// CSV holds one framework's findings, far fewer than the OCSF file.
	type key struct{ check, account, region, resource string }
	var order []key
	found := map[key]*Result{}
	targets := map[string]bool{}
	err = t.each(func(row int, cell func(string) string) error {
		status, ok := prowlerStatus(cell("status"), cell("muted"))
		if !ok {
			return parseErr(ProwlerCompliance, fmt.Sprintf("row %d", row), "unknown STATUS %q (expected PASS, FAIL or MANUAL)", cell("status"))
		}
		check := cell("checkid")
		if check == "manual" || check == "" {
			return nil // a requirement no check covers: nothing was tested
		}
		k := key{check, cell("accountid"), cell("region"), cell("resourceid")}
		res := found[k]
		if res == nil {
			res = &Result{CheckID: check, Status: status, Resource: k.resource, Message: cell("statusextended")}
			if t, ok := parseTime(cell("assessmentdate")); ok {
				res.Time = t
				scan.ScannedAt = laterOf(scan.ScannedAt, t)
			}
			found[k] = res
			order = append(order, k)
		}
		if fw := cell("framework"); fw == "" || isSOC2Framework(fw) {
			res.Criteria = append(res.Criteria, cell("requirements_id"))
		}
		if k.account != "" {
			targets[cell("provider")+" "+k.account] = true
		}
		return nil
	})
	if err != nil {
		return asParseError(ProwlerCompliance, err)
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
