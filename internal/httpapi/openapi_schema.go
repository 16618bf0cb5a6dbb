package httpapi

import (
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/requests"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/tasks"
)

// enums are the domain's allowed-value lists a JSON field can name with an
// `enum:"…"` tag. The lists are the ones the domain checks input against,
// so the description cannot drift from what the server accepts.
var enums = map[string][]string{
	"frequency":         controls.Frequencies,
	"nature":            controls.Natures,
	"control_type":      controls.Types,
	"control_status":    controls.Statuses,
	"calendar":          controls.Calendars,
	"report":            engagement.Reports,
	"report_type":       engagement.Types,
	"engagement_status": engagement.StatusFlow,
	"category":          append([]string{"security"}, engagement.SOC2Options...), // Security is always in
	"tester":            engagement.Testers,
	"design_result":     engagement.DesignResults,
	"test_result":       engagement.TestResults,
	"test_method":       engagement.TestMethods,
	"task_kind":         tasks.Kinds,
	"task_state":        store.TaskStates,
	"evidence_status":   {"current", "expiring", "expired"},
	"implementation":    engagement.Implementations,
	"request_type":      requests.Kinds,
	"request_phase":     requests.Phases,
	"request_status":    requests.Statuses,
	"request_step":      requests.Steps,
	// Not a field's list: the statuses that freeze an engagement, named so
	// the web app knows them from the server.
	"locked_status": engagement.LockedStatuses,
}

var civilDate = reflect.TypeOf(civil.Date{})

// schemaOf is the JSON Schema of v's Go type as it travels in a body. An
// answer's fields are all present unless tagged omitempty, so they are
// required; a request's fields may be left out.
func schemaOf(v any, answer bool) (*openapi3.SchemaRef, error) {
	ref, err := openapi3gen.NewSchemaRefForValue(v, nil, openapi3gen.SchemaCustomizer(
		func(_ string, t reflect.Type, tag reflect.StructTag, s *openapi3.Schema) error {
			return customize(t, tag, s, answer)
		}))
	refEnums(ref)
	return ref, err
}

func customize(t reflect.Type, tag reflect.StructTag, s *openapi3.Schema, answer bool) error {
	if t == civilDate {
		// written as "YYYY-MM-DD", or null for no date
		*s = openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString, openapi3.TypeNull}, Format: "date"}
		return nil
	}
	if name, ok := tag.Lookup("enum"); ok && t.Kind() == reflect.String {
		values, known := enums[name]
		if !known {
			return &unknownEnum{name}
		}
		for _, v := range values {
			s.Enum = append(s.Enum, v)
		}
		s.Extensions = map[string]any{enumMark: name}
	}
	if t.Kind() == reflect.Struct && answer {
		s.Required = requiredFields(t, s)
	}
	if t.Kind() == reflect.Struct && !answer && s.Type.Is(openapi3.TypeObject) {
		// bindJSON refuses a field the type does not have
		no := false
		s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
	}
	// OpenAPI 3.1 says a value may be null by naming the type null.
	if s.Nullable {
		s.Nullable = false
		if s.Type != nil {
			s.Type = &openapi3.Types{(*s.Type)[0], openapi3.TypeNull}
		}
		if len(s.Enum) > 0 {
			s.Enum = append(s.Enum, nil)
		}
	}
	return nil
}

// requiredFields lists the properties Go always writes: those without omitempty.
func requiredFields(t reflect.Type, s *openapi3.Schema) []string {
	var out []string
	for _, f := range reflect.VisibleFields(t) {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous || !f.IsExported() || name == "" || name == "-" || strings.Contains(opts, "omitempty") {
			continue
		}
		if _, ok := s.Properties[name]; ok {
			out = append(out, name)
		}
	}
	return out
}

type unknownEnum struct{ name string }

func (e *unknownEnum) Error() string { return "no allowed-value list named " + e.name }

// nonNil is list, or an empty list for none: an answer's lists are never null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
