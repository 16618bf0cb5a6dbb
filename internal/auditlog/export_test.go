package auditlog

import "github.com/socmap/socmap/internal/store"

// HashOf lets the tests forge a consistent entry, as an attacker would.
var HashOf = store.AuditHash
