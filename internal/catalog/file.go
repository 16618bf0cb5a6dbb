// Package catalog reads the criteria catalogs (SOC 2 Trust Services
// Criteria, SOC 1 control-objective templates), checks them, loads them into
// the store and answers questions about them.
package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/socmap/socmap/internal/controls"
)

// File is the on-disk shape of one catalog file.
type File struct {
	Framework    FrameworkSpec     `yaml:"framework"`
	Categories   []CategorySpec    `yaml:"categories"`
	Industries   []IndustrySpec    `yaml:"industries"`
	Requirements []RequirementSpec `yaml:"requirements"`
}

type FrameworkSpec struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Kind        string `yaml:"kind"`
	Version     string `yaml:"version"`
	Description string `yaml:"description"`
}

type CategorySpec struct {
	Code        string `yaml:"code"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

// IndustrySpec is the objective set a SOC 1 report for one industry
// states: its business-process objectives in report order, then its IT
// general controls (when not given, every ITGC template written for all
// industries). Services are the scoping assistant's answers that point to it.
type IndustrySpec struct {
	Code        string   `yaml:"code"`
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Services    []string `yaml:"services"`
	Objectives  []string `yaml:"objectives"`
	ITGC        []string `yaml:"itgc"`
}

type RequirementSpec struct {
	Ref           string `yaml:"ref"`
	Category      string `yaml:"category"`
	Series        string `yaml:"series"`
	SeriesName    string `yaml:"series_name"`
	COSOPrinciple *int   `yaml:"coso_principle"`
	Title         string `yaml:"title"`
	Description   string `yaml:"description"`
	// SOC 1 templates: the industry code the template is written for, or
	// "all"; optional ones are offered but not proposed; replaces names
	// retired templates whose place this one takes; specialises names the
	// cross-industry template it stands in for (an industry's own wording
	// of, say, input from user entities).
	Industry    string         `yaml:"industry"`
	Optional    bool           `yaml:"optional"`
	Replaces    []string       `yaml:"replaces"`
	Specialises string         `yaml:"specialises"`
	Activities  []ActivitySpec `yaml:"activities"`
}

// ActivitySpec is a control activity suggested beneath a template. The
// frequency, nature and type, when given, use the control vocabularies.
type ActivitySpec struct {
	Ref         string `yaml:"ref"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Frequency   string `yaml:"frequency"`
	Nature      string `yaml:"nature"`
	Type        string `yaml:"type"`
}

// AllIndustries is the industry of a template written for every industry.
const AllIndustries = "all"

// Catalog is a parsed, valid catalog file.
type Catalog struct {
	Name string // file name, for messages
	Hash string // SHA-256 of the file's bytes: a changed file reloads
	File
}

// Problem is one reason a catalog file is refused.
type Problem struct {
	File   string
	Entry  string // e.g. `requirement "CC6.1" (#23)`; empty for the whole file
	Reason string
}

func (p Problem) String() string {
	if p.Entry == "" {
		return p.File + ": " + p.Reason
	}
	return p.File + ": " + p.Entry + ": " + p.Reason
}

// InvalidError lists every problem found in one or more catalog files.
type InvalidError struct{ Problems []Problem }

func (e *InvalidError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "invalid catalog:\n  " + strings.Join(lines, "\n  ")
}

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	refPattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-]{0,31}$`)
	kinds       = map[string]bool{"soc2": true, "soc1": true}
)

// Parse reads and checks one catalog file. Unknown keys are errors, so a
// typo in a key name cannot silently drop data.
func Parse(name string, data []byte) (*Catalog, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f File
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("file is empty")
		}
		return nil, &InvalidError{[]Problem{{File: name, Reason: err.Error()}}}
	}
	if problems := f.validate(name); len(problems) > 0 {
		return nil, &InvalidError{problems}
	}
	sum := sha256.Sum256(data)
	return &Catalog{Name: name, Hash: hex.EncodeToString(sum[:]), File: f}, nil
}

func (f *File) validate(name string) []Problem {
	var out []Problem
	add := func(entry, format string, args ...any) {
		out = append(out, Problem{File: name, Entry: entry, Reason: fmt.Sprintf(format, args...)})
	}
	fw := f.Framework
	switch {
	case fw.ID == "":
		add("framework", "missing id")
	case !idPattern.MatchString(fw.ID):
		add("framework", "id %q must be lower-case letters, digits and dashes", fw.ID)
	}
	if strings.TrimSpace(fw.Name) == "" {
		add("framework", "missing name")
	}
	if !kinds[fw.Kind] {
		add("framework", "kind %q is not one of soc2, soc1", fw.Kind)
	}
	if strings.TrimSpace(fw.Version) == "" {
		add("framework", "missing version")
	}

	categories := map[string]bool{}
	for i, c := range f.Categories {
		entry := fmt.Sprintf("category %q (#%d)", c.Code, i+1)
		switch {
		case !codePattern.MatchString(c.Code):
			add(entry, "code must be lower-case letters, digits and underscores")
		case categories[c.Code]:
			add(entry, "duplicate category code")
		}
		categories[c.Code] = true
		if strings.TrimSpace(c.Name) == "" {
			add(entry, "missing name")
		}
	}
	if len(f.Categories) == 0 {
		add("", "no categories")
	}

	industries := map[string]bool{}
	for _, ind := range f.Industries {
		industries[ind.Code] = true
	}
	refs := map[string]bool{}
	claim := func(entry, ref string) {
		switch {
		case ref == "":
			add(entry, "missing ref")
		case !refPattern.MatchString(ref):
			add(entry, "ref must be letters, digits, dots and dashes, at most 32 characters")
		case refs[strings.ToLower(ref)]:
			add(entry, "duplicate ref")
		}
		refs[strings.ToLower(ref)] = true
	}
	principles := map[int]string{}
	for i, r := range f.Requirements {
		entry := fmt.Sprintf("requirement %q (#%d)", r.Ref, i+1)
		claim(entry, r.Ref)
		if !categories[r.Category] {
			add(entry, "unknown category %q", r.Category)
		}
		if strings.TrimSpace(r.Title) == "" {
			add(entry, "missing title")
		}
		if strings.TrimSpace(r.Description) == "" {
			add(entry, "missing description")
		}
		if p := r.COSOPrinciple; p != nil {
			if *p < 1 || *p > 17 {
				add(entry, "coso_principle %d is outside 1-17", *p)
			} else if other, dup := principles[*p]; dup {
				add(entry, "coso_principle %d is already given to %s", *p, other)
			}
			principles[*p] = r.Ref
		}
		switch {
		case r.Industry == "" && len(f.Industries) > 0:
			add(entry, "missing industry (an industry code, or %q)", AllIndustries)
		case r.Industry != "" && r.Industry != AllIndustries && !industries[r.Industry]:
			add(entry, "unknown industry %q", r.Industry)
		}
		for j, a := range r.Activities {
			aentry := fmt.Sprintf("%s: activity %q (#%d)", entry, a.Ref, j+1)
			claim(aentry, a.Ref)
			a.validate(func(format string, args ...any) { add(aentry, format, args...) })
		}
	}
	byRef := map[string]RequirementSpec{}
	for _, r := range f.Requirements {
		byRef[r.Ref] = r
	}
	for i, r := range f.Requirements {
		entry := fmt.Sprintf("requirement %q (#%d)", r.Ref, i+1)
		for _, old := range r.Replaces {
			if refs[strings.ToLower(old)] || !refPattern.MatchString(old) {
				add(entry, "replaces %q, which must be a retired ref", old)
			}
		}
		if g, ok := byRef[r.Specialises]; r.Specialises != "" && (!ok || g.Industry != AllIndustries || g.Category != r.Category) {
			add(entry, "specialises %q, which must be a template of the same category for all industries", r.Specialises)
		}
	}
	f.validateIndustries(byRef, add)
	if len(f.Requirements) == 0 {
		add("", "no requirements")
	}
	return out
}

func (a ActivitySpec) validate(add func(format string, args ...any)) {
	if strings.TrimSpace(a.Title) == "" {
		add("missing title")
	}
	if strings.TrimSpace(a.Description) == "" {
		add("missing description")
	}
	for _, v := range []struct {
		name, value string
		allowed     []string
	}{{"frequency", a.Frequency, controls.Frequencies}, {"nature", a.Nature, controls.Natures}, {"type", a.Type, controls.Types}} {
		if v.value != "" && !slices.Contains(v.allowed, v.value) {
			add("%s %q is not one of %s", v.name, v.value, strings.Join(v.allowed, ", "))
		}
	}
}

// validateIndustries checks that every industry names existing templates
// of the right kind once each, and that every template written for one
// industry is part of that industry's set.
func (f *File) validateIndustries(byRef map[string]RequirementSpec, add func(entry, format string, args ...any)) {
	sets := map[string][]string{}
	for i, ind := range f.Industries {
		entry := fmt.Sprintf("industry %q (#%d)", ind.Code, i+1)
		_, dup := sets[ind.Code]
		switch {
		case !codePattern.MatchString(ind.Code):
			add(entry, "code must be lower-case letters, digits and underscores")
		case dup:
			add(entry, "duplicate industry code")
		}
		if strings.TrimSpace(ind.Name) == "" {
			add(entry, "missing name")
		}
		for _, s := range ind.Services {
			if !codePattern.MatchString(s) {
				add(entry, "service %q must be lower-case letters, digits and underscores", s)
			}
		}
		seen := map[string]bool{}
		for _, list := range []struct {
			name string
			refs []string
			itgc bool
		}{{"objectives", ind.Objectives, false}, {"itgc", ind.ITGC, true}} {
			for _, ref := range list.refs {
				r, ok := byRef[ref]
				switch {
				case !ok:
					add(entry, "%s: no template %q", list.name, ref)
				case seen[ref]:
					add(entry, "%s: %q is listed twice", list.name, ref)
				case r.Optional:
					add(entry, "%s: %q is optional and offered to every industry; do not list it", list.name, ref)
				case (r.Category == ITGC) != list.itgc:
					add(entry, "%s: %q is in category %q", list.name, ref, r.Category)
				}
				seen[ref] = true
			}
		}
		sets[ind.Code] = f.IndustryTemplates(ind)
		if len(sets[ind.Code]) == 0 {
			add(entry, "no objectives")
		}
	}
	for i, r := range f.Requirements {
		if set, ok := sets[r.Industry]; ok && !slices.Contains(set, r.Ref) {
			add(fmt.Sprintf("requirement %q (#%d)", r.Ref, i+1), "is written for %s but not part of its objectives", r.Industry)
		}
	}
}

// ITGC is the category of IT general control objectives.
const ITGC = "itgc"

// IndustryTemplates is an industry's objective set in report order: its
// business-process objectives, then its IT general controls, which are by
// default every ITGC template written for all industries.
func (f *File) IndustryTemplates(ind IndustrySpec) []string {
	out := slices.Clone(ind.Objectives)
	if len(ind.ITGC) > 0 {
		return append(out, ind.ITGC...)
	}
	for _, r := range f.Requirements {
		if r.Category == ITGC && r.Industry == AllIndustries && !r.Optional {
			out = append(out, r.Ref)
		}
	}
	return out
}

// ParseAll parses several files and also checks that framework IDs are
// unique across them. Problems from every file are reported together.
func ParseAll(files map[string][]byte, order []string) ([]*Catalog, error) {
	var problems []Problem
	var out []*Catalog
	seen := map[string]string{}
	for _, name := range order {
		c, err := Parse(name, files[name])
		if err != nil {
			var inv *InvalidError
			if errors.As(err, &inv) {
				problems = append(problems, inv.Problems...)
				continue
			}
			return nil, err
		}
		if other, dup := seen[c.Framework.ID]; dup {
			problems = append(problems, Problem{File: name, Entry: "framework",
				Reason: fmt.Sprintf("id %q is already used by %s", c.Framework.ID, other)})
			continue
		}
		seen[c.Framework.ID] = name
		out = append(out, c)
	}
	if len(problems) > 0 {
		return nil, &InvalidError{problems}
	}
	return out, nil
}
