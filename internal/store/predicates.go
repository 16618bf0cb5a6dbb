package store

// The predicates the product's words rest on, written once: a query
// names the evidence table e and the controls table c to use them.
const (
	// liveEvidence is evidence in use: not deleted (deleted evidence is
	// kept for the record and may still be restored).
	liveEvidence = "e.deleted_at IS NULL"
	// activeControl is a control in use: not retired.
	activeControl = "c.status <> 'retired'"
)
