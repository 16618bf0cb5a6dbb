package httpapi

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// enumMark is the extension customize leaves on a field's schema to name
// its allowed-value list; refEnums replaces such schemas by a reference.
const enumMark = "x-socmap-enum"

// enumSchemas names each allowed-value list as a schema of its own, so the
// web app's generated types carry the list under one name (Frequency,
// TaskState …) as a type and as an array of values.
func enumSchemas() map[string]any {
	out := make(map[string]any, len(enums))
	for name, values := range enums {
		out[schemaName(name)] = map[string]any{"type": "string", "enum": values}
	}
	return out
}

// schemaName is control_type as ControlType.
func schemaName(name string) string {
	var b strings.Builder
	for _, w := range strings.Split(name, "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// refEnums replaces every field schema customize marked with a reference
// to its list's named schema (or that or null, for a field that may be
// null), so each list is written once and the generated types name it.
func refEnums(r *openapi3.SchemaRef) {
	if r == nil || r.Value == nil {
		return
	}
	s := r.Value
	if name, ok := s.Extensions[enumMark].(string); ok {
		ref := openapi3.NewSchemaRef("#/components/schemas/"+schemaName(name), nil)
		if s.Type != nil && s.Type.Includes(openapi3.TypeNull) {
			null := openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeNull}})
			r.Value = &openapi3.Schema{AnyOf: openapi3.SchemaRefs{ref, null}}
			return
		}
		r.Ref, r.Value = ref.Ref, nil
		return
	}
	for _, p := range s.Properties {
		refEnums(p)
	}
	refEnums(s.Items)
	refEnums(s.AdditionalProperties.Schema)
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, x := range list {
			refEnums(x)
		}
	}
}
