// Package ingest reads what scanners and CI jobs already produce (Prowler,
// Powerpipe/Steampipe, Chef InSpec, OSCAL assessment results and a small
// generic format), maps their checks to controls, and keeps automated
// controls' evidence current: each scan becomes an evidence file, per-check
// result rows, links to the controls whose checks passed, and tasks for the
// owners of controls whose checks failed.
package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Format is a kind of scanner output, recognised from the content.
type Format string

const (
	ProwlerOCSF       Format = "prowler-ocsf"           // Prowler's OCSF JSON (an array of findings)
	ProwlerCompliance Format = "prowler-compliance-csv" // Prowler's per-framework compliance CSV
	Powerpipe         Format = "powerpipe-json"         // Powerpipe or Steampipe benchmark results, --export json
	InSpec            Format = "inspec-json"            // Chef InSpec, --reporter json
	OSCAL             Format = "oscal-assessment-results"
	GenericJSON       Format = "generic-json"
	GenericCSV        Format = "generic-csv"
)

// Status is a check result, the same words for every tool.
type Status string

const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Error Status = "error" // the check could not run: nothing is known, so it is no evidence
	Skip  Status = "skip"  // skipped, manual, informational or muted: neither pass nor fail
)

// Statuses lists every status, in display order.
var Statuses = []Status{Pass, Fail, Error, Skip}

// Limits on what one result carries. Messages and resources beyond them
// are shortened with a visible marker: the raw file is kept whole as
// evidence, the rows are for reading.
const (
	maxCheckID  = 300
	maxTitle    = 500
	maxResource = 1000
	maxMessage  = 4000
	// MaxResults bounds the results of one file.
	MaxResults = 1_000_000
)

// Result is one check on one resource.
type Result struct {
	CheckID  string
	Title    string
	Status   Status
	Resource string
	Message  string
	Time     time.Time // zero when the format does not say
	Criteria []string  // SOC 2 criteria the tool tags the check with, as written (cc_6_1, CC6.1 …)
	// CriteriaOnly marks a check reported again under more criteria (a
	// benchmark lists a control under each criterion it serves): it adds
	// its criteria to the check and is no result of its own.
	CriteriaOnly bool
}

// Scan describes a file as a whole; it is complete once the file has
// been read to the end.
type Scan struct {
	Format        Format
	FormatVersion string // the schema version the file declares, when it does
	Tool          string // the product that wrote it: Prowler, Powerpipe, Chef InSpec …
	ToolVersion   string
	ScanID        string    // the tool's own id of the run, "" when the format has none
	ScannedAt     time.Time // when the scan ran, zero when the file does not say
	Target        string    // what was scanned (account, host, benchmark), when known
}

// ParseError is input that cannot be ingested; Where points into the file.
type ParseError struct {
	Format Format
	Where  string // "finding 12", "row 4", "byte 1093"
	Reason string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Format != "" {
		b.WriteString(string(e.Format) + ": ")
	}
	if e.Where != "" {
		b.WriteString(e.Where + ": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

func parseErr(f Format, where, format string, args ...any) *ParseError {
	return &ParseError{Format: f, Where: where, Reason: fmt.Sprintf(format, args...)}
}

// peekSize is how much of the start of a file detection may look at.
const peekSize = 64 << 10

// Parse recognises the format of r from its content and streams its
// results to emit, one at a time, so a file of any size is read in
// constant memory. It returns what the file says about the scan.
func Parse(r io.Reader, emit func(Result) error) (Scan, error) {
	br := bufio.NewReaderSize(r, peekSize)
	head, err := br.Peek(peekSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return Scan{}, err
	}
	format, err := Detect(head)
	if err != nil {
		return Scan{}, err
	}
	if err := skipBOM(br); err != nil {
		return Scan{}, err
	}
	n := 0
	counted := func(res Result) error {
		if res.CriteriaOnly {
			return emit(res)
		}
		if n++; n > MaxResults {
			return parseErr(format, "", "more than %d results in one file; split the scan", MaxResults)
		}
		if err := clean(&res); err != nil {
			return parseErr(format, fmt.Sprintf("result %d", n), "%s", err)
		}
		return emit(res)
	}
	scan := Scan{Format: format}
	switch format {
	case ProwlerOCSF:
		err = parseOCSF(br, &scan, counted)
	case ProwlerCompliance:
		err = parseProwlerCSV(br, &scan, counted)
	case Powerpipe:
		err = parsePowerpipe(br, &scan, counted)
	case InSpec:
		err = parseInSpec(br, &scan, counted)
	case OSCAL:
		err = parseOSCAL(br, &scan, counted)
	case GenericJSON:
		err = parseGenericJSON(br, &scan, counted)
	case GenericCSV:
		err = parseGenericCSV(br, &scan, counted)
	}
	if err != nil {
		return scan, err
	}
	if n == 0 {
		return scan, parseErr(format, "", "the file holds no check results")
	}
	return scan, nil
}

func skipBOM(br *bufio.Reader) error {
	b, err := br.Peek(3)
	if err == nil && bytes.Equal(b, utf8BOM) {
		_, err = br.Discard(3)
		return err
	}
	return nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// clean checks the fields every result must have and bounds the others.
func clean(r *Result) error {
	r.CheckID = strings.TrimSpace(r.CheckID)
	switch {
	case r.CheckID == "":
		return errors.New("the check has no id")
	case utf8.RuneCountInString(r.CheckID) > maxCheckID:
		return fmt.Errorf("the check id is longer than %d characters", maxCheckID)
	case r.CriteriaOnly:
		return nil
	case !validStatus(r.Status):
		return fmt.Errorf("check %s: unknown status %q", r.CheckID, r.Status)
	}
	r.Title = shorten(strings.TrimSpace(r.Title), maxTitle)
	r.Resource = shorten(strings.TrimSpace(r.Resource), maxResource)
	r.Message = shorten(strings.TrimSpace(r.Message), maxMessage)
	return nil
}

func validStatus(s Status) bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// shorten cuts s to at most n characters, marking the cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// laterOf keeps the later of two times, ignoring zero ones.
func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// parseTime reads the time stamps scanners write: RFC 3339 with or without
// a zone (no zone is UTC), with a space instead of the T, and epoch
// seconds or milliseconds.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05 -0700", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// epoch reads an OCSF time stamp: the schema says milliseconds, Prowler
// writes seconds; a value this large can only be milliseconds.
func epoch(n int64) time.Time {
	if n <= 0 {
		return time.Time{}
	}
	if n > 100_000_000_000 {
		return time.UnixMilli(n).UTC()
	}
	return time.Unix(n, 0).UTC()
}
