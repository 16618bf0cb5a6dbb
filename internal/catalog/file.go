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
	"strings"

	"gopkg.in/yaml.v3"
)

// File is the on-disk shape of one catalog file.
type File struct {
	Framework    FrameworkSpec     `yaml:"framework"`
	Categories   []CategorySpec    `yaml:"categories"`
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

type RequirementSpec struct {
	Ref           string `yaml:"ref"`
	Category      string `yaml:"category"`
	Series        string `yaml:"series"`
	SeriesName    string `yaml:"series_name"`
	COSOPrinciple *int   `yaml:"coso_principle"`
	Title         string `yaml:"title"`
	Description   string `yaml:"description"`
}

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

	refs := map[string]bool{}
	principles := map[int]string{}
	for i, r := range f.Requirements {
		entry := fmt.Sprintf("requirement %q (#%d)", r.Ref, i+1)
		switch {
		case r.Ref == "":
			add(entry, "missing ref")
		case !refPattern.MatchString(r.Ref):
			add(entry, "ref must be letters, digits, dots and dashes, at most 32 characters")
		case refs[strings.ToLower(r.Ref)]:
			add(entry, "duplicate ref")
		}
		refs[strings.ToLower(r.Ref)] = true
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
	}
	if len(f.Requirements) == 0 {
		add("", "no requirements")
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
