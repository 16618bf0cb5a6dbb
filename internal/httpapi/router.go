// Package httpapi is socmap's HTTP surface: the JSON API under /api/v1,
// health endpoints and the embedded web UI.
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/coverage"
	"github.com/socmap/socmap/internal/dashboard"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/complementary"
	"github.com/socmap/socmap/internal/engagement/results"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/engagement/windows"
	"github.com/socmap/socmap/internal/engagement/workpapers"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/ingest"
	"github.com/socmap/socmap/internal/reporting"
	"github.com/socmap/socmap/internal/requests"
	"github.com/socmap/socmap/internal/settings"
	"github.com/socmap/socmap/internal/soc1"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/tasks"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// Deps is everything the router needs; nothing is global.
type Deps struct {
	Log            *slog.Logger
	DB             *store.DB
	Catalog        *catalog.Service
	Auth           *auth.Service
	Controls       *controls.Service
	SOC1           *soc1.Service
	Evidence       *evidence.Service
	Engagements    *engagement.Service
	Tasks          *tasks.Service
	Ingest         *ingest.Service
	MaxIngestFile  int64            // largest scan file POST /ingest takes
	ExportDir      string           // temporary files of exports, under the data directory
	Blobs          blob.Store       // evidence files, for the evidence package
	Notary         *auditlog.Notary // signs the audit trail after every export; nil in tests that need none
	UI             fs.FS            // the built web app (frontend/dist)
	TrustedProxies []string
	SecureCookies  bool          // mark the session cookie Secure even without TLS (behind a TLS proxy)
	SessionMax     time.Duration // absolute session lifetime, for the cookie's Max-Age
	// LoadDemo loads the demo organisation when the first-run page asks
	// for it; nil offers no demo.
	LoadDemo func(ctx context.Context) error
}

// route registers a handler behind the permission it needs. Every API
// route goes through here, so none can be added without a decision on
// who may call it.
func route(g *gin.RouterGroup, method, path string, perm auth.Permission, h gin.HandlerFunc) {
	g.Handle(method, path, require(perm), describedQuery, h)
	registered.add(registeredRoute{Method: method, Path: g.BasePath() + path, Perm: perm})
}

// NewRouter builds the gin engine with socmap's middleware and routes.
func NewRouter(d Deps) (*gin.Engine, error) {
	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	r.HandleMethodNotAllowed = true
	r.Use(requestID(), accessLog(d.Log), recovery(d.Log), securityHeaders(), errorMapper(d.Log),
		newProxyWarning(d.Log, d.TrustedProxies, time.Now).handler(), bodyDeadlines(), strictQuery())

	r.GET("/healthz", healthz)
	r.GET("/readyz", readyz(d.DB))

	api := r.Group("/api/v1", authenticate(d.Auth))
	// Everything about one engagement sits in its group: engagementGate
	// resolves the engagement and checks the caller may open it.
	eg := api.Group("/engagements/:id", engagementGate(d.Engagements))
	acc := accountHandlers{svc: d.Auth, secureCookie: d.SecureCookies, sessionMax: d.SessionMax, loadDemo: d.LoadDemo}
	route(api, "GET", "/setup", auth.Public, acc.setupState)
	route(api, "POST", "/setup", auth.Public, acc.setup)
	route(api, "POST", "/auth/login", auth.Public, acc.login)
	route(api, "POST", "/auth/logout", auth.ManageOwnAccount, acc.logout)
	route(api, "GET", "/auth/session", auth.Authenticated, acc.session)
	route(api, "POST", "/auth/password", auth.ManageOwnAccount, acc.changePassword)
	route(api, "POST", "/auth/reauth", auth.ManageOwnAccount, acc.reauthenticate)

	tok := tokenHandlers{svc: d.Auth, db: d.DB}
	route(api, "GET", "/tokens", auth.Authenticated, tok.list)
	route(api, "POST", "/tokens", auth.ManageOwnAccount, tok.create)
	route(api, "DELETE", "/tokens/:id", auth.ManageOwnAccount, tok.revoke)

	usr := userHandlers{svc: d.Auth, db: d.DB}
	route(api, "GET", "/users", auth.ReadUsers, usr.list)
	route(api, "POST", "/users", auth.ManageUsers, usr.create)
	route(api, "GET", "/users/:id", auth.ReadUsers, usr.get)
	route(api, "PATCH", "/users/:id", auth.ManageUsers, usr.update)

	route(api, "GET", "/audit", auth.ReadAudit, auditHandlers{db: d.DB, engagements: d.Engagements}.list)

	ctl := controlHandlers{svc: d.Controls}
	route(api, "GET", "/controls", auth.ReadProgram, ctl.list)
	route(api, "POST", "/controls", auth.ManageProgram, ctl.create)
	route(api, "POST", "/controls/import", auth.ManageProgram, ctl.importControls)
	route(api, "POST", "/controls/bulk", auth.ManageProgram, ctl.bulkUpdate)
	route(api, "GET", "/controls/:id", auth.ReadProgram, ctl.get)
	route(api, "PATCH", "/controls/:id", auth.ManageProgram, ctl.update)
	route(api, "DELETE", "/controls/:id", auth.ManageProgram, ctl.remove)
	route(api, "GET", "/mappings", auth.ReadProgram, ctl.listMappings)
	route(api, "POST", "/mappings", auth.ManageProgram, ctl.changeMappings)
	route(api, "PUT", "/applicability", auth.ManageProgram, ctl.setApplicability)
	route(api, "GET", "/matrix", auth.ReadProgram, matrixHandlers{db: d.DB}.get)

	obj := objectiveHandlers{svc: d.SOC1}
	route(api, "GET", "/soc1-objectives", auth.ReadProgram, obj.list)
	route(api, "POST", "/soc1-objectives", auth.ManageProgram, obj.create)
	route(api, "GET", "/soc1-objectives/proposal", auth.ReadProgram, obj.proposal)
	route(api, "POST", "/soc1-objectives/adopt", auth.ManageProgram, obj.adopt)
	route(api, "GET", "/soc1-objectives/:ref", auth.ReadProgram, obj.get)
	route(api, "PATCH", "/soc1-objectives/:ref", auth.ManageProgram, obj.update)
	route(api, "POST", "/soc1-objectives/:ref/controls", auth.ManageProgram, obj.adoptActivities)

	ev := evidenceHandlers{svc: d.Evidence}
	route(api, "GET", "/evidence", auth.ReadProgram, ev.list)
	route(api, "POST", "/evidence", auth.ManageEvidence, ev.create)
	route(api, "GET", "/evidence/:id", auth.ReadProgram, ev.get)
	route(api, "PATCH", "/evidence/:id", auth.ManageEvidence, ev.update)
	route(api, "DELETE", "/evidence/:id", auth.ManageEvidence, ev.remove)
	route(api, "POST", "/evidence/:id/restore", auth.ManageProgram, ev.restore)
	route(api, "POST", "/evidence/:id/revisions", auth.ManageEvidence, ev.addRevision)
	route(api, "GET", "/evidence/:id/download", auth.ReadProgram, ev.download)
	route(api, "GET", "/evidence/:id/usage", auth.ReadProgram, ev.usage)

	route(api, "GET", "/coverage", auth.ReadProgram, coverageHandlers{cache: coverage.NewCache(d.DB)}.get)
	dash := dashboard.NewService(d.DB, d.Engagements, d.Tasks)
	if d.Ingest != nil {
		dash.Automated = d.Ingest
	}
	route(api, "GET", "/dashboard", auth.ReadProgram, dashboardHandlers{svc: dash}.get)

	samples := sampling.NewService(d.DB, d.Engagements)
	eng := engagementHandlers{svc: d.Engagements, comp: complementary.NewService(d.DB, d.Engagements), sampling: samples,
		windows: windows.NewService(d.DB, d.Engagements), imports: results.NewService(d.DB, d.Engagements, samples),
		papers: workpapers.NewService(d.DB, d.Engagements)}
	route(api, "POST", "/scoping", auth.ReadProgram, eng.scoping)
	route(api, "GET", "/controls/:id/engagements", auth.ReadProgram, eng.forControl)
	route(api, "GET", "/engagements", auth.ReadEngagements, eng.list)
	route(api, "POST", "/engagements", auth.ManageProgram, eng.create)
	route(eg, "GET", "", auth.ReadEngagements, eng.get)
	route(eg, "PATCH", "", auth.ManageProgram, eng.update)
	route(eg, "GET", "/controls", auth.ReadEngagements, eng.controls)
	route(eg, "GET", "/controls/:control", auth.ReadEngagements, eng.control)
	route(eg, "PUT", "/scope", auth.ManageProgram, eng.setScope)
	route(eg, "PUT", "/auditors", auth.ManageProgram, eng.setAuditors)
	route(eg, "GET", "/results", auth.ReadEngagements, eng.results)
	route(eg, "GET", "/controls/:control/result", auth.ReadEngagements, eng.getOne("control", engagementHandlers.result))
	route(eg, "PUT", "/controls/:control/result", auth.RecordTesting, eng.setResult)
	route(eg, "GET", "/controls/:control/walkthrough", auth.ReadEngagements, eng.getOne("control", engagementHandlers.walkthrough))
	route(eg, "PUT", "/controls/:control/walkthrough", auth.RecordTesting, eng.setWalkthrough)
	route(eg, "POST", "/controls/:control/exceptions", auth.RecordTesting, eng.addException)
	route(eg, "GET", "/exceptions", auth.ReadEngagements, eng.exceptions)
	route(eg, "GET", "/exceptions/:exception", auth.ReadEngagements, eng.getOne("exception", engagementHandlers.exception))
	route(eg, "PATCH", "/exceptions/:exception", auth.ManageProgram, eng.respondToException)
	route(eg, "PUT", "/exceptions/:exception/evaluation", auth.RecordTesting, eng.evaluateException)
	route(eg, "PUT", "/exceptions/:exception/evaluation/sign-off", auth.RecordTesting, eng.signExceptionEvaluation)
	route(eg, "POST", "/exceptions/:exception/retest", auth.RecordTesting, eng.drawRetest)
	route(eg, "PUT", "/controls/:control/sign-off", auth.RecordTesting, eng.signOff)
	route(eg, "GET", "/rollup", auth.ReadEngagements, eng.rollUp)
	route(eg, "GET", "/requirements/:ref/evaluation", auth.ReadEngagements, eng.evaluation)
	route(eg, "PUT", "/requirements/:ref/evaluation", auth.RecordTesting, eng.setEvaluation)
	route(eg, "DELETE", "/requirements/:ref/evaluation", auth.RecordTesting, eng.deleteEvaluation)
	route(eg, "PUT", "/requirements/:ref/evaluation/sign-off", auth.RecordTesting, eng.signEvaluation)
	route(eg, "GET", "/opinion-impact", auth.ReadEngagements, eng.opinionImpact)
	route(eg, "PUT", "/applicability/:ref", auth.ManageProgram, eng.setNotApplicable)
	route(eg, "DELETE", "/applicability/:ref", auth.ManageProgram, eng.clearNotApplicable)
	route(eg, "GET", "/controls/:control/work", auth.ReadEngagements, eng.work)
	engEv := engagementEvidenceHandlers{eng: d.Engagements, ev: d.Evidence}
	route(eg, "GET", "/controls/:control/evidence", auth.ReadEngagements, engEv.list)
	route(eg, "GET", "/evidence/:evidence/download", auth.ReadEngagements, engEv.download)
	route(eg, "POST", "/controls/:control/population", auth.ManageProgram, eng.uploadPopulation)
	route(eg, "POST", "/controls/:control/samples", auth.RecordTesting, eng.drawSample)
	route(eg, "PUT", "/controls/:control/windows/:window/not-expected", auth.ManageProgram, eng.markNotExpected)
	route(eg, "DELETE", "/controls/:control/windows/:window/not-expected", auth.ManageProgram, eng.clearNotExpected)
	route(eg, "POST", "/controls/:control/windows/:window/evidence", auth.ManageProgram, eng.attachEvidence)
	route(eg, "DELETE", "/controls/:control/windows/:window/evidence/:evidence", auth.ManageProgram, eng.detachEvidence)
	route(eg, "PUT", "/samples/:sample/items/:seq", auth.RecordTesting, eng.recordSampleItem)
	route(eg, "POST", "/samples/:sample/items/pass", auth.RecordTesting, eng.passSampleItems)
	route(eg, "POST", "/samples/:sample/extensions", auth.RecordTesting, eng.extendSample)
	route(eg, "PUT", "/samples/:sample/sign-off", auth.RecordTesting, eng.signSample)
	route(eg, "POST", "/results/import", auth.RecordTesting, eng.importResults)
	route(eg, "PUT", "/sample-policy", auth.ManageProgram, eng.setSamplePolicy)
	route(eg, "GET", "/complementary", auth.ReadEngagements, eng.complementary)
	route(eg, "POST", "/cuecs", auth.ManageProgram, eng.addCUEC)
	route(eg, "GET", "/cuecs/:cuec", auth.ReadEngagements, eng.getOne("cuec", engagementHandlers.cuec))
	route(eg, "PATCH", "/cuecs/:cuec", auth.ManageProgram, eng.updateCUEC)
	route(eg, "DELETE", "/cuecs/:cuec", auth.ManageProgram, eng.removeComplementary("cuec", "cuec"))
	route(eg, "POST", "/subservice-orgs", auth.ManageProgram, eng.addSubservice)
	route(eg, "GET", "/subservice-orgs/:org", auth.ReadEngagements, eng.getOne("org", engagementHandlers.subservice))
	route(eg, "PATCH", "/subservice-orgs/:org", auth.ManageProgram, eng.updateSubservice)
	route(eg, "DELETE", "/subservice-orgs/:org", auth.ManageProgram, eng.removeComplementary("subservice", "org"))
	route(eg, "GET", "/subservice-orgs/:org/reviews", auth.ReadEngagements, eng.reviews)
	route(eg, "POST", "/subservice-orgs/:org/reviews", auth.ManageProgram, eng.addReview)
	route(eg, "GET", "/subservice-orgs/:org/reviews/:review", auth.ReadEngagements, eng.review)
	route(eg, "PATCH", "/subservice-orgs/:org/reviews/:review", auth.ManageProgram, eng.updateReview)
	route(eg, "DELETE", "/subservice-orgs/:org/reviews/:review", auth.ManageProgram, eng.removeReview)
	route(eg, "POST", "/roll-forward", auth.ManageProgram, eng.rollForward)
	bridge := newBridgeHandlers(d.DB, d.Engagements, d.Evidence)
	route(eg, "POST", "/bridge-letter", auth.ManageProgram, bridge.draft)
	route(eg, "POST", "/bridge-letter/sign", auth.ManageProgram, bridge.sign)
	route(eg, "GET", "/bridge-letters", auth.ReadEngagements, bridge.list)
	req := requestHandlers{svc: requests.NewService(d.DB, d.Engagements, d.Evidence), ev: d.Evidence}
	route(eg, "GET", "/requests", auth.ReadEngagements, req.list)
	route(eg, "POST", "/requests", auth.ManageRequests, req.create)
	route(eg, "POST", "/requests/generate", auth.ManageRequests, req.generate)
	route(eg, "POST", "/requests/import", auth.ManageRequests, req.importList)
	route(api, "GET", "/requests/mine", auth.ReadTasks, req.mine)
	route(eg, "GET", "/requests/:request", auth.ReadEngagements, req.get)
	route(eg, "PATCH", "/requests/:request", auth.ManageRequests, req.update)
	route(eg, "DELETE", "/requests/:request", auth.ManageRequests, req.remove)
	route(eg, "POST", "/requests/:request/comments", auth.CommentOnRequests, req.comment)
	route(eg, "GET", "/requests/:request/files/:file", auth.ReadEngagements, req.file)
	route(eg, "POST", "/requests/:request/submit", auth.WorkOnRequests, req.submit)
	route(eg, "POST", "/requests/:request/accept", auth.ManageRequests, req.accept)
	route(eg, "POST", "/requests/:request/return", auth.ManageRequests, req.sendBack)
	route(eg, "POST", "/requests/:request/undo", auth.UndoRequestTransitions, req.undo)
	exp := newExportHandlers(reporting.Reporter{Engagements: d.Engagements, DB: d.DB, Blobs: d.Blobs, TmpDir: d.ExportDir, Notary: d.Notary})
	route(eg, "GET", "/workbook", auth.ReadEngagements, exp.workbook())
	route(eg, "GET", "/package", auth.ReadEngagements, exp.evidencePackage())
	route(eg, "POST", "/workbook/jobs", auth.ReadEngagements, exp.workbookJob())
	route(eg, "POST", "/package/jobs", auth.ReadEngagements, exp.packageJob())
	route(eg, "GET", "/jobs/:job", auth.ReadEngagements, exp.getJob)
	route(eg, "GET", "/jobs/:job/file", auth.ReadEngagements, exp.jobFile)
	route(eg, "GET", "/control-matrix.csv", auth.ReadEngagements, exp.csv("Control matrix", "-control-matrix.csv"))
	route(eg, "GET", "/evidence-index.csv", auth.ReadEngagements, exp.csv("Evidence index", "-evidence-index.csv"))
	route(eg, "GET", "/requests.csv", auth.ReadEngagements, exp.csv(engagement.RequestsSheet, "-requests.csv"))
	route(eg, "GET", "/requests.xlsx", auth.ReadEngagements, exp.requests())

	tsk := taskHandlers{svc: d.Tasks}
	route(api, "GET", "/tasks", auth.ReadTasks, tsk.list)
	route(api, "POST", "/tasks", auth.ManageProgram, tsk.create)
	route(api, "POST", "/tasks/bulk", auth.ManageProgram, tsk.bulk)
	route(api, "GET", "/tasks/counts", auth.ReadTeamTasks, tsk.counts)
	route(api, "GET", "/tasks/export.xlsx", auth.ReadTasks, tsk.export("xlsx"))
	route(api, "GET", "/tasks/export.csv", auth.ReadTasks, tsk.export("csv"))
	route(api, "GET", "/tasks/:id", auth.ReadTasks, tsk.get)
	route(api, "POST", "/tasks/:id/not-applicable", auth.WorkOnTasks, tsk.notApplicable)
	route(api, "POST", "/tasks/:id/done", auth.WorkOnTasks, tsk.complete)
	route(api, "POST", "/tasks/:id/reopen", auth.WorkOnTasks, tsk.reopen)
	route(api, "GET", "/calendar-feed", auth.ReadTasks, tsk.feedState)
	route(api, "POST", "/calendar-feed", auth.ManageCalendarFeed, tsk.newFeed)
	route(api, "DELETE", "/calendar-feed", auth.ManageCalendarFeed, tsk.revokeFeed)
	route(api, "GET", "/openapi.json", auth.Public, serveOpenAPI)
	route(api, "GET", "/calendar.ics", auth.Public, tsk.calendar)
	route(api, "GET", "/outbox", auth.ReadOutbox, tsk.outbox)
	route(api, "GET", "/outbox/:id", auth.ReadOutbox, tsk.outboxDigest)

	settingsService := settings.NewService(d.DB)
	if d.Tasks != nil && d.Log != nil {
		settingsService.Changed = d.Tasks.Follow(d.Log) // holidays move business-day windows
	}
	set := settingsHandlers{svc: settingsService}
	route(api, "GET", "/settings", auth.Authenticated, set.get)
	route(api, "PUT", "/settings", auth.ManageSettings, set.put)
	route(api, "GET", "/settings/holidays", auth.Authenticated, set.holidays)
	route(api, "PUT", "/settings/holidays", auth.ManageProgram, set.putHolidays)

	ing := ingestHandlers{svc: d.Ingest, maxFile: d.MaxIngestFile}
	route(api, "POST", "/ingest", auth.IngestScans, ing.ingestFile)
	route(api, "GET", "/ingest/sources", auth.ReadProgram, ing.sources)
	route(api, "PATCH", "/ingest/sources/:id", auth.ManageProgram, ing.updateSource)
	route(api, "GET", "/ingest/runs", auth.ReadProgram, ing.runs)
	route(api, "GET", "/ingest/runs/:id", auth.ReadProgram, ing.run)
	route(api, "GET", "/ingest/runs/:id/results", auth.ReadProgram, ing.results)
	route(api, "GET", "/ingest/checks", auth.ReadProgram, ing.checks)
	route(api, "GET", "/ingest/rules", auth.ReadProgram, ing.rules)
	route(api, "POST", "/ingest/rules", auth.ManageProgram, ing.createRule)
	route(api, "POST", "/ingest/rules/import", auth.ManageProgram, ing.importRules)
	route(api, "DELETE", "/ingest/rules/:id", auth.ManageProgram, ing.deleteRule)
	route(api, "GET", "/controls/:id/automated", auth.ReadProgram, ing.history)

	cat := catalogHandlers{svc: d.Catalog}
	route(api, "GET", "/frameworks", auth.ReadCatalog, cat.listFrameworks)
	route(api, "GET", "/frameworks/:framework/requirements", auth.ReadCatalog, cat.listRequirements)
	route(api, "GET", "/frameworks/:framework/requirements/:ref", auth.ReadCatalog, cat.getRequirement)
	route(api, "GET", "/frameworks/:framework/industries", auth.ReadCatalog, cat.listIndustries)

	ui := uiHandler(d.UI)
	r.NoRoute(func(c *gin.Context) {
		if isAPI(c.Request.URL.Path) {
			writeError(c, http.StatusNotFound, "not_found", "no such API endpoint: "+c.Request.URL.Path, nil)
			return
		}
		ui(c)
	})
	r.NoMethod(func(c *gin.Context) {
		writeError(c, http.StatusMethodNotAllowed, "method_not_allowed",
			c.Request.Method+" is not allowed on "+c.Request.URL.Path, nil)
	})
	return r, nil
}

func isAPI(p string) bool { return p == "/api" || strings.HasPrefix(p, "/api/") }
