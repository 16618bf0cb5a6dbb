package controls

import (
	"fmt"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// What another package that writes controls needs so that its controls are
// checked and recorded exactly like the ones this package writes.

// ValidRef reports whether ref can be a control's reference.
func ValidRef(ref string) bool { return refPattern.MatchString(ref) }

// CreatedEvents are the audit entries of a control created with its
// mappings (given as "framework/ref" with their rationale).
func CreatedEvents(c store.Control, mappings []store.Mapping, requirements []string) []auditlog.Event {
	events := []auditlog.Event{{Action: "control.create", ObjectType: "control",
		ObjectID: fmt.Sprint(c.ID), Changes: auditlog.Diff(nil, snapshot(c))}}
	for i, m := range mappings {
		events = append(events, mappingEvent("mapping.add", m, requirements[i]))
	}
	return events
}
