package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// NewRule is a rule as someone writes it: a check id or pattern, the
// reference of the control, an optional note.
type NewRule struct {
	Pattern    string
	ControlRef string
	Note       string
	Row        int // its row in an imported file, for messages; 0 otherwise
}

// MaxRuleImport bounds the rules of one import.
const MaxRuleImport = 5000

// CreateRules adds rules, all or none; a rule that exists already is
// skipped. Past runs are mapped again at once, so their evidence and the
// controls' history follow the new rules. It returns how many were new.
func (s *Service) CreateRules(ctx context.Context, by *int64, rules []NewRule) (int, error) {
	if len(rules) == 0 {
		return 0, apperr.Invalid("no rules given", map[string]string{"rules": "give at least one rule"})
	}
	if len(rules) > MaxRuleImport {
		return 0, apperr.Invalid("too many rules", map[string]string{"rules": fmt.Sprintf("at most %d at once", MaxRuleImport)})
	}
	refs := make([]string, len(rules))
	for i, r := range rules {
		refs[i] = strings.TrimSpace(r.ControlRef)
	}
	ids, err := s.db.ControlIDsByRef(ctx, refs)
	if err != nil {
		return 0, err
	}
	fields := apperr.Fields{}
	rows := make([]store.IngestRule, len(rules))
	now := s.now()
	for i, r := range rules {
		pattern, note := strings.TrimSpace(r.Pattern), strings.TrimSpace(r.Note)
		if err := CheckPattern(pattern); err != nil {
			fields[fieldOf(r, "pattern")] = err.Error()
		}
		id, ok := ids[refs[i]]
		if !ok {
			fields[fieldOf(r, "control")] = fmt.Sprintf("no control has the reference %q", refs[i])
		}
		if utf8.RuneCountInString(note) > 500 {
			fields[fieldOf(r, "note")] = "at most 500 characters"
		}
		rows[i] = store.IngestRule{Pattern: pattern, ControlID: id, Note: note, CreatedBy: by, CreatedAt: now}
	}
	if len(fields) > 0 {
		return 0, apperr.Invalid("the rules cannot be saved as given", fields)
	}
	var created int
	var changed []int64
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		skipped, err := s.db.CreateIngestRules(ctx, rows)
		if err != nil {
			return err
		}
		var events []auditlog.Event
		for i, r := range rows {
			if slices.Contains(skipped, i) {
				continue
			}
			created++
			events = append(events, auditlog.Event{Action: "ingest.rule.create", ObjectType: "ingest_rule", ObjectID: fmt.Sprint(r.ID),
				Changes: auditlog.Diff(nil, map[string]any{"pattern": r.Pattern, "control": refs[i], "note": r.Note})})
		}
		relinked, more, err := s.relink(ctx, nil)
		if err != nil {
			return err
		}
		changed = relinked
		return auditlog.AppendIn(ctx, s.db, append(events, more...)...)
	})
	s.Changed.Notify(ctx, err, changed)
	return created, err
}

// fieldOf names a field in a message: by row and column for a file.
func fieldOf(r NewRule, field string) string {
	if r.Row == 0 {
		return field
	}
	return fmt.Sprintf("row %d, column %s", r.Row, field)
}

// DeleteRule removes a rule and maps past runs again.
func (s *Service) DeleteRule(ctx context.Context, id int64) error {
	var changed []int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		r, err := s.db.IngestRuleByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("rule %d not found", id)
		}
		if err != nil {
			return err
		}
		if err := s.db.DeleteIngestRule(ctx, id); err != nil {
			return err
		}
		relinked, events, err := s.relink(ctx, nil)
		if err != nil {
			return err
		}
		changed = relinked
		return auditlog.AppendIn(ctx, s.db, append([]auditlog.Event{{Action: "ingest.rule.delete", ObjectType: "ingest_rule",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(map[string]any{"pattern": r.Pattern, "control_id": r.ControlID, "note": r.Note}, nil)}},
			events...)...)
	})
	s.Changed.Notify(ctx, err, changed)
	return err
}

// ReadRules reads a rule file: CSV with a header naming the columns
// pattern (or check_id), control (or control_ref) and optionally note,
// separated by commas, semicolons or tabs.
func ReadRules(r io.Reader) ([]NewRule, error) {
	t, err := openTable(r, "control", "control_ref")
	var re *rowError
	if errors.As(err, &re) {
		return nil, apperr.Invalid("the rule file is not valid CSV", map[string]string{fmt.Sprintf("row %d", re.row): re.reason})
	}
	if err != nil {
		return nil, err
	}
	t.alias("pattern", "check_id")
	t.alias("control", "control_ref")
	for _, need := range []string{"pattern", "control"} {
		if !t.has(need) {
			return nil, apperr.Invalid("the rule file needs the columns pattern and control", map[string]string{"file": "missing column " + need})
		}
	}
	var out []NewRule
	err = t.each(func(row int, cell func(string) string) error {
		if len(out) == MaxRuleImport {
			return apperr.Invalid("too many rules", map[string]string{"file": fmt.Sprintf("at most %d rules at once", MaxRuleImport)})
		}
		out = append(out, NewRule{Pattern: cell("pattern"), ControlRef: cell("control"), Note: cell("note"), Row: row})
		return nil
	})
	if errors.As(err, &re) {
		return nil, apperr.Invalid("the rule file is not valid CSV", map[string]string{fmt.Sprintf("row %d", re.row): re.reason})
	}
	return out, err
}
