package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

type auditEntryJSON struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	ActorID    *int64          `json:"actor_id"`
	Actor      string          `json:"actor"`
	Via        string          `json:"via"`
	TokenID    *int64          `json:"token_id"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	ObjectName string          `json:"object_name"` // "CM-02 Access review"; empty when the object is gone
	Changes    json.RawMessage `json:"changes"`
	Client     string          `json:"client"`
	RequestID  string          `json:"request_id"`
	Hash       string          `json:"hash"`
}

type auditList struct {
	Entries []auditEntryJSON `json:"entries"`
	Total   int64            `json:"total"`
	Limit   int              `json:"limit"`
	Offset  int              `json:"offset"`
}

type auditHandlers struct {
	db          *store.DB
	engagements *engagement.Service
}

func (h auditHandlers) list(c *gin.Context) {
	q := newQuery(c)
	f := auditlog.Filter{
		Action: q.str("action", 100), ObjectType: q.str("object_type", 100),
		ObjectID: q.str("object_id", 200), Actor: q.str("actor", 254),
		From: q.date("from"), To: q.date("to"),
		Limit: q.integer("limit", 100, 1, maxPageSize), Offset: q.integer("offset", 0, 0, 100_000_000),
	}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	if p := principal(c); p.LimitedToGrantedEngagements() {
		granted, err := h.engagements.GrantedIDs(c.Request.Context(), p.User.ID)
		if err != nil {
			fail(c, err)
			return
		}
		f.Engagements = granted
	}
	entries, total, err := auditlog.List(c.Request.Context(), h.db, f)
	if err != nil {
		fail(c, err)
		return
	}
	names, err := h.db.AuditObjectNames(c.Request.Context(), objectIDs(entries))
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]auditEntryJSON, len(entries))
	for i, e := range entries {
		out[i] = auditEntryJSON{Seq: e.Seq, At: e.At, ActorID: e.ActorID, Actor: e.Actor, Via: e.Via,
			TokenID: e.TokenID, Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID,
			ObjectName: names[e.ObjectType][e.ObjectID],
			Changes:    json.RawMessage(e.Changes), Client: e.Client, RequestID: e.RequestID, Hash: e.Hash}
	}
	c.JSON(http.StatusOK, auditList{Entries: out, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// objectIDs lists the objects a page of entries refers to, once each, by type.
func objectIDs(entries []store.AuditEntry) map[string][]string {
	seen := map[string]bool{}
	out := map[string][]string{}
	for _, e := range entries {
		if k := e.ObjectType + "\x00" + e.ObjectID; e.ObjectID != "" && !seen[k] {
			seen[k] = true
			out[e.ObjectType] = append(out[e.ObjectType], e.ObjectID)
		}
	}
	return out
}
