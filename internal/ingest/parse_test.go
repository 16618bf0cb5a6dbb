package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/apperr"
)

// parseFile parses a fixture and returns the scan and one line per result:
// check|status|resource|criteria (normalised, sorted).
func parseFile(t *testing.T, name string) (Scan, []string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	scan, err := Parse(f, func(r Result) error {
		var crit []string
		for _, c := range r.Criteria {
			if ref, ok := CriterionRef(c); ok && !slices.Contains(crit, ref) {
				crit = append(crit, ref)
			}
		}
		slices.Sort(crit)
		prefix := string(r.Status)
		if r.CriteriaOnly {
			prefix = "+criteria"
		}
		lines = append(lines, r.CheckID+"|"+prefix+"|"+r.Resource+"|"+strings.Join(crit, ","))
		return nil
	})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return scan, lines
}

func TestParseFixtures(t *testing.T) {
	for _, tc := range []struct {
		file    string
		scan    Scan
		results []string
	}{
		{"prowler-ocsf-1.4.0.json",
			Scan{Format: ProwlerOCSF, FormatVersion: "1.4.0", Tool: "Prowler", ToolVersion: "5.12.1",
				ScanID: "0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4", ScannedAt: at("2026-03-02T02:14:07.120331Z"), Target: "aws 210987654321"},
			[]string{
				"iam_root_mfa_enabled|pass|arn:aws:iam::210987654321:root|CC6.1",
				"iam_user_mfa_enabled_console_access|fail|arn:aws:iam::210987654321:user/dana|CC6.1,CC6.2",
				"iam_user_mfa_enabled_console_access|pass|arn:aws:iam::210987654321:user/eli|CC6.1,CC6.2",
				"s3_bucket_default_encryption|pass|arn:aws:s3:::larkspur-payroll-exports|C1.1,CC6.1",
				"s3_bucket_public_access|fail|arn:aws:s3:::larkspur-marketing-site|CC6.6",
				"cloudtrail_multi_region_enabled|pass|arn:aws:cloudtrail:us-east-1:210987654321:trail/org-trail|CC2.1,CC7.2",
				"ec2_instance_imdsv2_enabled|skip|arn:aws:ec2:eu-west-2:210987654321:instance/i-0a1b2c3d4e5f60718|", // muted
				"account_maintain_current_contact_details|skip|arn:aws:iam::210987654321:root|",
			}},
		{"prowler-soc2-aws-compliance-5.x.csv",
			Scan{Format: ProwlerCompliance, Tool: "Prowler", ScannedAt: at("2026-03-09T03:05:12.41823Z"), Target: "aws 210987654321"},
			[]string{
				"iam_root_mfa_enabled|pass|arn:aws:iam::210987654321:root|CC6.1",
				"iam_user_mfa_enabled_console_access|fail|arn:aws:iam::210987654321:user/dana|CC6.1,CC6.2", // two rows, one finding
				"cloudtrail_multi_region_enabled|pass|arn:aws:cloudtrail:us-east-1:210987654321:trail/org-trail|CC7.2",
				"rds_instance_backup_enabled|pass|arn:aws:rds:eu-west-2:210987654321:db:payroll-db|A1.2",
				"rds_instance_backup_enabled|skip|arn:aws:rds:eu-west-2:210987654321:db:reporting-db|A1.2", // muted
			}},
		{"powerpipe-soc2-json-template-1.1.2.json",
			Scan{Format: Powerpipe, Tool: "Powerpipe", Target: "SOC 2"},
			[]string{
				"aws_compliance.control.iam_user_mfa_enabled|fail|arn:aws:iam::210987654321:user/dana|CC6.1",
				"aws_compliance.control.iam_user_mfa_enabled|pass|arn:aws:iam::210987654321:user/eli|CC6.1",
				"aws_compliance.control.s3_bucket_default_encryption_enabled|pass|arn:aws:s3:::larkspur-payroll-exports|CC6.1",
				"aws_compliance.control.s3_bucket_default_encryption_enabled|pass|arn:aws:s3:::larkspur-marketing-site|CC6.1",
				"aws_compliance.control.s3_bucket_restrict_public_read_access|fail|arn:aws:s3:::larkspur-marketing-site|CC6.1",
				"aws_compliance.control.s3_bucket_restrict_public_read_access|pass|arn:aws:s3:::larkspur-payroll-exports|CC6.1",
				"aws_compliance.control.s3_bucket_restrict_public_read_access|+criteria||CC6.6", // listed again under CC6.6
				"aws_compliance.control.guardduty_enabled|error||CC7.2",
				"aws_compliance.control.rds_db_instance_backup_enabled|pass|arn:aws:rds:eu-west-2:210987654321:db:payroll-db|A1.2",
			}},
		{"inspec-exec-json-5.22.json",
			Scan{Format: InSpec, FormatVersion: "exec-json", Tool: "Chef InSpec", ToolVersion: "5.22.58",
				ScannedAt: at("2026-03-02T04:30:15Z"), Target: "payroll-app-01"},
			[]string{
				"sshd-01|pass|/etc/ssh/sshd_config|CC6.1,CC6.6",
				"sshd-07|pass|/etc/ssh/sshd_config|CC6.7",
				"sshd-07|fail|/etc/ssh/sshd_config|CC6.7",
				"pkg-02|pass|unattended-upgrades|CC7.1",
				"auditd-03|error|payroll-app-01|CC7.2", // an exception: the test could not run
				"fs-09|skip|payroll-app-01|CC6.7",
				"net-11|skip|payroll-app-01|CC6.6", // waived
			}},
		{"oscal-assessment-results-1.1.2.json",
			Scan{Format: OSCAL, FormatVersion: "1.1.2", Tool: "OSCAL", ToolVersion: "1.0", ScanID: "5e1f0c2a-8b3d-4f6e-a9c7-2d4b6e8f0a13",
				ScannedAt: at("2026-03-31T18:30:00Z"), Target: "Larkspur quarterly control assessment, Q1 2026"},
			[]string{
				"cc6.2_obj|pass|Corporate directory|CC6.2",
				"a1.2_obj|pass|payroll-db|A1.2",
				"cc8.1_obj|fail|Deployment pipeline|CC8.1",
			}},
		{"generic-socmap-results-1.json",
			Scan{Format: GenericJSON, FormatVersion: GenericVersion, Tool: "backup-verifier", ToolVersion: "2.3.0",
				ScanID: "backup-verifier-2026-03-03", ScannedAt: at("2026-03-03T01:00:00Z"), Target: "production databases"},
			[]string{
				"backup.restore_test|pass|payroll-db|A1.2,A1.3",
				"backup.restore_test|fail|reporting-db|A1.2",
				"backup.offsite_copy|pass|payroll-db|A1.2",
				"backup.encryption|skip|reporting-db|",
			}},
		{"generic-results.csv",
			Scan{Format: GenericCSV, FormatVersion: GenericVersion, Tool: "generic", ScannedAt: at("2026-03-04T06:01:00Z")},
			[]string{
				"hr.leavers_disabled|pass|corporate-directory|CC6.2",
				"hr.leavers_disabled|fail|payroll-app|CC6.2,CC6.3",
				"vuln.scan_age|pass|payroll-app|CC7.1",
			}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			scan, results := parseFile(t, tc.file)
			if scan != tc.scan {
				t.Errorf("scan:\n got %+v\nwant %+v", scan, tc.scan)
			}
			if !slices.Equal(results, tc.results) {
				t.Errorf("results:\n got %s\nwant %s", strings.Join(results, "\n     "), strings.Join(tc.results, "\n     "))
			}
		})
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCriterionRef(t *testing.T) {
	for in, want := range map[string]string{
		"cc_6_1": "CC6.1", "CC6.1": "CC6.1", "cc6.1": "CC6.1", "CC 6.1": "CC6.1", "cc_a_1_1": "A1.1",
		"cc_c_1_2": "C1.2", "pi_1_3": "PI1.3", "PI1.5": "PI1.5", "p_4_2": "P4.2", "A1.2": "A1.2",
		"cc6.1_obj": "CC6.1", "cc8.1_smt.a": "CC8.1", "cc_10_1": "", "true": "", "1.10": "", "cc_6": "", "ac-2": "",
	} {
		got, ok := CriterionRef(in)
		if ok != (want != "") || (ok && got != want) {
			t.Errorf("CriterionRef(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// Bad input is refused with a message that says what and where.
func TestParseRefusesBadInput(t *testing.T) {
	for _, tc := range []struct{ name, input, want string }{
		{"empty", "  \n", "the file is empty"},
		{"binary", "PK\x03\x04\x00\x00", "binary file"},
		{"unknown json", `{"name": "x", "items": []}`, `unknown JSON format (it starts with the keys "name", "items")`},
		{"unknown csv", "a,b,c\n1,2,3\n", "unknown format"},
		{"not ocsf", `[{"id": 1}]`, "other than OCSF findings"},
		{"empty array", `[]`, "empty JSON array"},
		{"cut off ocsf", `[{"class_uid": 2004, "metadata": {"event_code": "x"}, "status_code": "PASS"}, {"class_uid": 2004`, "cut off"},
		{"bad ocsf status", `[{"class_uid": 2004, "metadata": {"event_code": "x"}, "status_code": "MAYBE"}]`, `prowler-ocsf: finding 1: check x: unknown status_code "MAYBE"`},
		{"ocsf without check", `[{"class_uid": 2004, "status_code": "PASS"}]`, "result 1: the check has no id"},
		{"trailing data", `[{"class_uid": 2004, "metadata": {"event_code": "x"}, "status_code": "PASS"}] []`, "more data after the end"},
		{"generic bad status", `{"results": [{"check_id": "a", "status": "green"}]}`, `generic-json: result 1: status "green"`},
		{"generic unknown field", `{"results": [], "extra": 1}`, `unknown field "extra"`},
		{"generic wrong format", `{"format": "socmap-results/9", "results": []}`, `"socmap-results/9" is not a format socmap knows`},
		{"generic no results", `{"format": "socmap-results/1", "results": []}`, "holds no check results"},
		{"generic bad time", `{"results": [{"check_id": "a", "status": "pass", "time": "yesterday"}]}`, `time "yesterday"`},
		{"generic wrong type", `{"results": [{"check_id": 7, "status": "pass"}]}`, "check_id is a JSON number where a string was expected"},
		{"generic csv bad status", "check_id,status\nx,pass\ny,purple\n", `generic-csv: row 3: status "purple"`},
		{"generic csv unknown column", "check_id,status,colour\nx,pass,red\n", `unknown column "colour"`},
		{"generic csv no check", "check_id,status\n,pass\n", "row 2: check_id is empty"},
		{"prowler csv missing column", "CHECKID;REQUIREMENTS_ID\nx;cc_6_1\n", "the column STATUS is missing"},
		{"prowler csv bad status", "CHECKID;REQUIREMENTS_ID;STATUS\nx;cc_6_1;WHAT\n", `row 2: unknown STATUS "WHAT"`},
		{"inspec bad status", `{"platform": {"name": "x", "release": "1"}, "profiles": [{"controls": [{"id": "c", "results": [{"status": "odd"}]}]}]}`, `control c: unknown result status "odd"`},
		{"oscal without version", `{"assessment-results": {"uuid": "u", "metadata": {"title": "t"}, "results": [{"findings": [{"target": {"target-id": "x", "status": {"state": "satisfied"}}}]}]}}`, "oscal-version is missing"},
		{"oscal bad state", `{"assessment-results": {"metadata": {"oscal-version": "1.1.2"}, "results": [{"findings": [{"target": {"target-id": "x", "status": {"state": "unknown"}}}]}]}}`, `result 1, finding 1: target status state "unknown"`},
		{"powerpipe bad status", `{"group_id": "root_result_group", "controls": [{"control_id": "c", "results": [{"status": "odd"}]}]}`, `control c: unknown status "odd"`},
		{"syntax error", `{"group_id": "root_result_group", "controls": [}`, "not valid JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.input), func(Result) error { return nil })
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want a ParseError", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, id string
		want        bool
	}{
		{"iam_*", "iam_root_mfa_enabled", true},
		{"IAM_*", "iam_root_mfa_enabled", true},
		{"iam_*", "s3_iam_thing", false},
		{"*_mfa_*", "iam_user_mfa_enabled_console_access", true},
		{"s3_bucket_?ublic_access", "s3_bucket_public_access", true},
		{"sshd-01", "sshd-01", true},
		{"sshd-01", "sshd-010", false},
		{"aws_compliance.control.*", "aws_compliance.control.iam_user_mfa_enabled", true},
		{"*a*b*c", "xaxbxbxc", true},
		{"*a*b*c", "xaxbxbx", false},
	} {
		if got := Match(tc.pattern, tc.id); got != tc.want {
			t.Errorf("Match(%q, %q) = %v", tc.pattern, tc.id, got)
		}
	}
	for _, bad := range []string{"", " ", "*", "**?", "iam user"} {
		if CheckPattern(bad) == nil {
			t.Errorf("CheckPattern(%q) accepted it", bad)
		}
	}
}

func TestResolve(t *testing.T) {
	checks := []Check{
		{ID: "iam_root_mfa_enabled", Criteria: []string{"CC6.1"}},
		{ID: "iam_user_mfa_enabled_console_access", Criteria: []string{"CC6.1", "CC6.2"}},
		{ID: "s3_bucket_public_access", Criteria: []string{"CC6.6"}},
		{ID: "ec2_unmapped"},
	}
	rules := []Rule{{Pattern: "iam_*", ControlID: 3}, {Pattern: "iam_user_*", ControlID: 4}}
	byCriterion := map[string][]int64{"CC6.1": {1, 2}, "CC6.6": {2, 5}}
	got := Resolve(checks, rules, byCriterion)
	want := map[string]Target{
		"iam_root_mfa_enabled":                {Controls: []int64{3}, Via: ViaRule}, // the rule wins over CC6.1's controls
		"iam_user_mfa_enabled_console_access": {Controls: []int64{3, 4}, Via: ViaRule},
		"s3_bucket_public_access":             {Controls: []int64{2, 5}, Via: ViaCriteria},
		"ec2_unmapped":                        {},
	}
	for id, w := range want {
		if g := got[id]; !slices.Equal(g.Controls, w.Controls) || g.Via != w.Via {
			t.Errorf("%s → %+v, want %+v", id, g, w)
		}
	}
	byControl := ChecksOf(got)
	if !slices.Equal(byControl[3], []string{"iam_root_mfa_enabled", "iam_user_mfa_enabled_console_access"}) || len(byControl[1]) != 0 {
		t.Errorf("ChecksOf = %v", byControl)
	}
}

// FuzzParse: any input is parsed or refused with a ParseError; nothing
// panics and every result has a check id and a known status.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join("testdata", e.Name())); err == nil && e.Name() != "README.md" {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"group_id": "root_result_group", "groups": [{"group_id": "x.soc_2_cc_6_1", "controls": null}]}`))
	f.Add([]byte("check_id;status\nx;pass\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Parse(bytes.NewReader(b), func(r Result) error {
			if r.CheckID == "" || (!r.CriteriaOnly && !validStatus(r.Status)) {
				t.Fatalf("result %+v", r)
			}
			return nil
		})
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error %v (%T) is not a ParseError", err, err)
		}
	})
}

func TestReadRules(t *testing.T) {
	for _, in := range []string{"pattern,control,note\niam_*,AC-01,IAM\n\n", "check_id;control_ref\niam_*;AC-01\n", "Pattern\tControl\niam_*\tAC-01\n"} {
		rules, err := ReadRules(strings.NewReader(in))
		if err != nil || len(rules) != 1 || rules[0].Pattern != "iam_*" || rules[0].ControlRef != "AC-01" || rules[0].Row != 2 {
			t.Errorf("ReadRules(%q) = %+v, %v", in, rules, err)
		}
	}
	for in, want := range map[string]string{
		"pattern,note\nx,y\n":       "missing column control",
		"pattern,control\n\"x,AC\n": "row 2",
	} {
		if _, err := ReadRules(strings.NewReader(in)); err == nil || !strings.Contains(fmt.Sprint(err, " ", errFields(err)), want) {
			t.Errorf("ReadRules(%q): %v, want it to say %q", in, err, want)
		}
	}
}

func errFields(err error) map[string]string {
	if e, ok := apperr.As(err); ok {
		return e.Fields
	}
	return nil
}
