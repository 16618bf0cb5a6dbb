package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Detect names the format of a file from its first bytes. Each format is
// recognised by what only it writes first: a JSON array of OCSF findings,
// the first key of a JSON document, or the header row of a CSV file.
func Detect(head []byte) (Format, error) {
	head = bytes.TrimPrefix(head, utf8BOM)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return "", parseErr("", "", "the file is empty")
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "", parseErr("", "", "this is a binary file, not scanner output in JSON or CSV")
	}
	switch trimmed[0] {
	case '[':
		return detectArray(trimmed)
	case '{':
		return detectObject(trimmed)
	}
	return detectCSV(trimmed)
}

// detectArray: an array is Prowler's OCSF output when its first element
// is an OCSF finding.
func detectArray(head []byte) (Format, error) {
	dec := json.NewDecoder(bytes.NewReader(head))
	if _, err := dec.Token(); err != nil {
		return "", jsonErr("", err)
	}
	if !dec.More() {
		return "", parseErr("", "", "the file is an empty JSON array: no check results")
	}
	var first struct {
		ClassUID    *int            `json:"class_uid"`
		Metadata    json.RawMessage `json:"metadata"`
		FindingInfo json.RawMessage `json:"finding_info"`
	}
	if err := dec.Decode(&first); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return "", parseErr("", "", "the first element of the JSON array is larger than %d KiB; this is not OCSF findings output", peekSize>>10)
		}
		return "", jsonErr("", err)
	}
	if first.ClassUID != nil || (first.Metadata != nil && first.FindingInfo != nil) {
		return ProwlerOCSF, nil
	}
	return "", parseErr("", "", "a JSON array of something other than OCSF findings (no class_uid or finding_info in its first element)")
}

// Each JSON document format starts with a key only it writes first.
var firstKeys = map[string]Format{
	"assessment-results": OSCAL,
	"platform":           InSpec, "profiles": InSpec,
	"group_id": Powerpipe,
	"format":   GenericJSON, "results": GenericJSON, "scan_id": GenericJSON, "tool": GenericJSON, "scanned_at": GenericJSON,
}

func detectObject(head []byte) (Format, error) {
	dec := json.NewDecoder(bytes.NewReader(head))
	if _, err := dec.Token(); err != nil {
		return "", jsonErr("", err)
	}
	var keys []string
	for dec.More() && len(keys) < 5 {
		tok, err := dec.Token()
		if err != nil {
			return "", jsonErr("", err)
		}
		key, _ := tok.(string)
		if f, ok := firstKeys[key]; ok {
			return f, nil
		}
		keys = append(keys, key)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			break // a large first value: what we saw is all we can tell
		}
	}
	if len(keys) == 0 {
		return "", parseErr("", "", "the file is an empty JSON object: no check results")
	}
	return "", parseErr("", "", "unknown JSON format (it starts with the keys %s); expected Prowler OCSF, Powerpipe/Steampipe, "+
		"Chef InSpec, OSCAL assessment results or the generic format", strings.Join(quoted(keys), ", "))
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// detectCSV reads the header row: Prowler's compliance CSV is written with
// ';' and upper-case column names; the generic CSV has check_id and status.
func detectCSV(head []byte) (Format, error) {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	if !utf8.Valid(line) {
		return "", parseErr("", "", "the file is neither JSON nor UTF-8 CSV")
	}
	header := string(bytes.TrimRight(line, "\r"))
	if cols := headerCols(header, ';'); slices.Contains(cols, "checkid") && slices.Contains(cols, "requirements_id") {
		return ProwlerCompliance, nil
	}
	for _, sep := range []rune{',', ';', '\t'} {
		cols := headerCols(header, sep)
		if slices.Contains(cols, "check_id") && slices.Contains(cols, "status") {
			return GenericCSV, nil
		}
	}
	return "", parseErr("", "", "unknown format: not JSON, and the first line is not a CSV header with check_id and status "+
		"(generic CSV) or CHECKID and REQUIREMENTS_ID (Prowler compliance CSV)")
}

// jsonErr turns a decoder error into a ParseError that says where.
func jsonErr(f Format, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return parseErr(f, fmt.Sprintf("byte %d", syn.Offset), "not valid JSON: %s", syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "a value"
		}
		return parseErr(f, fmt.Sprintf("byte %d", typ.Offset), "%s is a JSON %s where %s was expected", field, typ.Value, typeName(typ.Type.String()))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return parseErr(f, "", "the JSON ends early: the file is cut off")
	}
	return err
}

func typeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.HasPrefix(goType, "map"), strings.HasPrefix(goType, "struct"), strings.Contains(goType, "."):
		return "an object"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	}
	return "a " + goType
}
