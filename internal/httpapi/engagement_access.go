package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
)

// engagementPrefix is the route group of one engagement: everything under
// it is about that engagement alone.
const engagementPrefix = "/api/v1/engagements/:id"

// engagementKey holds the engagement engagementGate resolved for the
// request; the group's handlers read its ID through engagementFrom.
const engagementKey = "engagement"

// openedEngagement is what engagementGate learned of the request's
// engagement.
type openedEngagement struct {
	id             int64
	serviceAuditor bool // the service auditor tests it (not management)
}

// errOutsideGroup is a programming error: a handler that needs the
// engagement was registered outside the engagement group, so nobody
// checked the caller may open it. Answering 500 keeps it from serving
// data unchecked.
var errOutsideGroup = errors.New("engagement route registered outside the /engagements/:id group")

// engagementFrom is the ID of the engagement the group's middleware
// resolved and let the caller open.
func engagementFrom(c *gin.Context) (int64, error) {
	e, ok := c.Get(engagementKey)
	if !ok {
		return 0, errOutsideGroup
	}
	return e.(openedEngagement).id, nil
}

// engagementAndBody is idAndBody for the engagement group: the resolved
// engagement and the JSON body, answering the error itself.
func engagementAndBody(c *gin.Context, body any) (int64, bool) {
	id, err := engagementFrom(c)
	if err == nil {
		err = bindJSON(c, body)
	}
	if err != nil {
		fail(c, err)
		return 0, false
	}
	return id, true
}

// engagementGate is the middleware of the engagement group. It resolves
// the engagement (404 when there is none), lets an auditor reach it only
// when it is granted to them, and within it only the controls in scope
// (anything else is "not found", as if it did not exist), then refuses
// every change to a locked engagement (reporting, issued, closed) except
// the few lockExempt names. A route added to the group is covered
// without a line of its own, and is locked by default.
func engagementGate(svc *engagement.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principal(c)
		if p == nil { // require answers 401
			c.Next()
			return
		}
		if err := openEngagement(c, svc, p); err != nil {
			fail(c, err)
			c.Abort()
			return
		}
		if _, missing := c.Get(missingKey); missing {
			c.Next() // require answers 403 or the 404
			return
		}
		if err := lockGate(c, svc); err != nil {
			if e, ok := apperr.As(err); ok && e.Code == "engagement_locked" {
				// require answers it once the caller's role allows the
				// change at all: a 403 comes before the 409.
				c.Set(lockedKey, err)
			} else {
				fail(c, err)
				c.Abort()
				return
			}
		}
		c.Next()
	}
}

// openEngagement resolves the request's engagement for the principal and
// keeps it in the context for engagementFrom and mayTest.
func openEngagement(c *gin.Context, svc *engagement.Service, p *auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if p.LimitedToGrantedEngagements() {
		if err := auditorMayOpen(c, svc, p.User.ID, id); err != nil {
			return err
		}
	}
	serviceAuditor, err := svc.TestedByServiceAuditor(c.Request.Context(), id)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.KindNotFound {
		// require answers it once the caller's role allows the route at
		// all: a 403 comes before the 404, so a role learns nothing of
		// engagements it could not touch anyway.
		c.Set(missingKey, err)
		return nil
	}
	if err != nil {
		return err
	}
	c.Set(engagementKey, openedEngagement{id: id, serviceAuditor: serviceAuditor})
	return nil
}

// missingKey holds, for require, that the request's engagement does not
// exist.
const missingKey = "engagement_missing"

// mayTest refuses the principal the testing of an engagement that is not
// theirs to test (auth.Principal.CanTest decides).
func mayTest(c *gin.Context, p *auth.Principal) error {
	e, ok := c.Get(engagementKey)
	if !ok {
		return apperr.Forbidden("testing is recorded in an engagement")
	}
	serviceAuditor := e.(openedEngagement).serviceAuditor
	if p.CanTest(serviceAuditor) {
		return nil
	}
	if serviceAuditor {
		return apperr.Forbidden("the service auditor tests this engagement: its samples, results and conclusions are recorded by the auditors granted it")
	}
	return apperr.Forbidden("management tests this engagement for readiness: its testing is recorded by the compliance team")
}

// lockedKey holds the lock refusal of the request for require.
const lockedKey = "engagement_locked"

// lockExempt are the changes a locked engagement still takes, and why.
// Everything else under the engagement is refused with 409
// engagement_locked once it reaches reporting.
var lockExempt = map[string]string{
	"PATCH " + engagementPrefix:                                "status changes and its name; the service refuses changes of report, type, dates and scope",
	"PUT " + engagementPrefix + "/auditors":                    "auditors are granted to read the issued report",
	"POST " + engagementPrefix + "/roll-forward":               "starts the next period's engagement; this one is not changed",
	"POST " + engagementPrefix + "/requests/:request/comments": "questions and answers about the report go on",
	"POST " + engagementPrefix + "/bridge-letter":              "management's bridge letter covers the time after the period",
	"POST " + engagementPrefix + "/bridge-letter/sign":         "the signed bridge letter is kept as evidence of the engagement",
	"POST " + engagementPrefix + "/workbook/jobs":              "prepares a download; the engagement is only read",
	"POST " + engagementPrefix + "/package/jobs":               "prepares a download; the engagement is only read",
}

// lockGate refuses a change to a locked engagement unless lockExempt
// lets it through. Reads are never refused.
func lockGate(c *gin.Context, svc *engagement.Service) error {
	m := c.Request.Method
	if m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions {
		return nil
	}
	if _, ok := lockExempt[m+" "+c.FullPath()]; ok {
		return nil
	}
	id, err := engagementFrom(c)
	if err != nil {
		return err
	}
	return svc.CheckUnlocked(c.Request.Context(), id)
}

func auditorMayOpen(c *gin.Context, svc *engagement.Service, userID, id int64) error {
	ctx := c.Request.Context()
	if ok, err := svc.Granted(ctx, id, userID); err != nil || !ok {
		return orNotFound(err, "engagement %d not found", id)
	}
	if c.Param("control") != "" {
		control, err := pathID(c, "control")
		if err != nil {
			return err
		}
		if ok, err := svc.ControlInScope(ctx, id, control); err != nil || !ok {
			return orNotFound(err, "control %d is not in engagement %d", control, id)
		}
	}
	if c.Param("evidence") != "" {
		ev, err := pathID(c, "evidence")
		if err != nil {
			return err
		}
		if ok, err := svc.EvidenceInScope(ctx, id, ev); err != nil || !ok {
			return orNotFound(err, "evidence %d is not linked to a control of engagement %d", ev, id)
		}
	}
	return nil
}

func orNotFound(err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	return apperr.NotFound(format, args...)
}

// engagementEvidenceHandlers serve the evidence of an engagement's
// controls to everyone who may read the engagement, auditors included.
type engagementEvidenceHandlers struct {
	eng *engagement.Service
	ev  *evidence.Service
}

// list answers the live evidence linked to one control of the engagement.
func (h engagementEvidenceHandlers) list(c *gin.Context) {
	id, control, err := engagementHandlers{svc: h.eng}.ids(c, "control")
	if err != nil {
		fail(c, err)
		return
	}
	if _, err := h.eng.Get(c.Request.Context(), id); err != nil {
		fail(c, err)
		return
	}
	q := newQuery(c)
	f := evidence.Filter{ControlID: control, Limit: q.integer("limit", maxPageSize, 1, maxPageSize),
		Offset: q.integer("offset", 0, 0, 100_000_000)}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	rows, total, err := h.ev.List(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	now := time.Now().UTC()
	out := make([]evidenceJSON, len(rows))
	for i, r := range rows {
		out[i] = toEvidenceJSON(r, now)
	}
	c.JSON(http.StatusOK, evidenceList{Evidence: out, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// download answers an evidence file linked to a control in the
// engagement's scope; other evidence is not found here.
func (h engagementEvidenceHandlers) download(c *gin.Context) {
	id, ev, err := engagementHandlers{svc: h.eng}.ids(c, "evidence")
	if err != nil {
		fail(c, err)
		return
	}
	if ok, err := h.eng.EvidenceInScope(c.Request.Context(), id, ev); err != nil || !ok {
		fail(c, orNotFound(err, "evidence %d is not linked to a control of engagement %d", ev, id))
		return
	}
	serveEvidenceFile(c, h.ev, ev)
}
