package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/results"
	"github.com/socmap/socmap/internal/engagement/workpapers"
	"github.com/socmap/socmap/internal/store"
)

// signOff signs a control's conclusion off as its preparer or its
// reviewer: PUT …/controls/:control/sign-off {"as":"preparer"|"reviewer"},
// with the result's version as If-Match.
func (h engagementHandlers) signOff(c *gin.Context) {
	var b signAsBody
	id, control, v, ok := h.edit(c, "control", &b)
	if !ok {
		return
	}
	s, err := h.papers.SignOff(c.Request.Context(), id, control, principal(c).User.ID, engagement.SignOffInput{As: b.As, IfVersion: v})
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.result(c, id, control) })
		return
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, s.Version)
	c.JSON(http.StatusOK, signedJSON{SignOff: signaturesJSON(s.Signatures, users), Version: s.Version})
}

// signSample signs a sample's results off as their preparer or reviewer:
// PUT …/samples/:sample/sign-off {"as":"preparer"|"reviewer"}.
func (h engagementHandlers) signSample(c *gin.Context) {
	var b signAsBody
	id, sample, v, ok := h.edit(c, "sample", &b)
	if !ok {
		return
	}
	s, err := h.papers.SignSample(c.Request.Context(), id, sample, principal(c).User.ID, b.As, v)
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.sampleSignOff(c, id, sample) })
		return
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, s.Version)
	c.JSON(http.StatusOK, signedJSON{SignOff: signaturesJSON(s.Signatures, users), Version: s.Version})
}

// sampleSignOff is a sample's sign-off as the sign-off answer shows it.
func (h engagementHandlers) sampleSignOff(c *gin.Context, id, sample int64) (any, int64, error) {
	s, found, err := h.papers.SampleSignOff(c.Request.Context(), id, sample)
	if err == nil && !found {
		err = apperr.NotFound("sample %d not found in engagement %d", sample, id)
	}
	if err != nil {
		return nil, 0, err
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	return signedJSON{SignOff: signaturesJSON(s.Signatures, users), Version: s.Version}, s.Version, err
}

// signaturesJSON names the preparer and reviewer by e-mail address.
// signOffJSON says who prepared and who reviewed a piece of work, by
// e-mail address, and on which days; null while not signed.
type signOffJSON struct {
	PreparedBy *string `json:"prepared_by"`
	PreparedOn *string `json:"prepared_on"`
	ReviewedBy *string `json:"reviewed_by"`
	ReviewedOn *string `json:"reviewed_on"`
}

func signaturesJSON(s store.Signatures, users map[int64]string) signOffJSON {
	name := func(id *int64) *string {
		if id == nil {
			return nil
		}
		email := users[*id]
		return &email
	}
	return signOffJSON{PreparedBy: name(s.PreparedBy), PreparedOn: s.PreparedOn, ReviewedBy: name(s.ReviewedBy),
		ReviewedOn: s.ReviewedOn}
}

// signAsBody signs off as "preparer" or "reviewer".
type signAsBody struct {
	As string `json:"as"`
}

// signedJSON is a sign-off with the version it moved the work to.
type signedJSON struct {
	SignOff signOffJSON `json:"sign_off"`
	Version int64       `json:"version"`
}

// exceptionEvaluationJSON is the auditor's evaluation of an exception.
type exceptionEvaluationJSON struct {
	ExceptionID          int64       `json:"exception_id"`
	IdentifiedOn         *string     `json:"identified_on"`
	RootCause            string      `json:"root_cause"`
	Extent               string      `json:"extent"`
	CompensatingControls string      `json:"compensating_controls"`
	Remediation          string      `json:"remediation"`
	Retest               string      `json:"retest"`
	SignOff              signOffJSON `json:"sign_off"`
	Version              int64       `json:"version"`
}

type exceptionEvaluationOne struct {
	Evaluation exceptionEvaluationJSON `json:"evaluation"`
}

// exceptionEvaluationBody changes the fields it names.
type exceptionEvaluationBody struct {
	IdentifiedOn         *string `json:"identified_on"`
	RootCause            *string `json:"root_cause"`
	Extent               *string `json:"extent"`
	CompensatingControls *string `json:"compensating_controls"`
	Remediation          *string `json:"remediation"`
	Retest               *string `json:"retest"`
}

func evaluationJSON(x store.ExceptionEvaluation, users map[int64]string) exceptionEvaluationJSON {
	return exceptionEvaluationJSON{ExceptionID: x.ID, IdentifiedOn: x.IdentifiedOn, RootCause: x.RootCause, Extent: x.Extent,
		CompensatingControls: x.CompensatingControls, Remediation: x.Remediation, Retest: x.Retest,
		SignOff: signaturesJSON(x.Signatures, users), Version: x.Version}
}

// answerExceptionEvaluation answers a write to an exception's evaluation
// with the evaluation, its sign-off and its version.
func (h engagementHandlers) answerExceptionEvaluation(c *gin.Context, x store.ExceptionEvaluation, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	users, err := h.svc.UserEmails(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, x.Version)
	c.JSON(http.StatusOK, exceptionEvaluationOne{Evaluation: evaluationJSON(x, users)})
}

// signExceptionEvaluation signs an exception's evaluation off:
// PUT …/exceptions/:exception/evaluation/sign-off {"as":"preparer"|"reviewer"},
// with the exception's version as If-Match.
func (h engagementHandlers) signExceptionEvaluation(c *gin.Context) {
	var b signAsBody
	id, exc, v, ok := h.edit(c, "exception", &b)
	if !ok {
		return
	}
	x, err := h.papers.SignExceptionEvaluation(c.Request.Context(), id, exc, principal(c).User.ID, engagement.SignOffInput{As: b.As, IfVersion: v})
	h.answerExceptionEvaluation(c, x, err)
}

// evaluateException records the auditor's evaluation of an exception:
// PUT …/exceptions/:exception/evaluation; absent fields stay as they are.
func (h engagementHandlers) evaluateException(c *gin.Context) {
	var b exceptionEvaluationBody
	id, exc, v, ok := h.edit(c, "exception", &b)
	if !ok {
		return
	}
	x, err := h.papers.EvaluateException(c.Request.Context(), id, exc, workpapers.EvaluationInput{IdentifiedOn: b.IdentifiedOn,
		RootCause: b.RootCause, Extent: b.Extent, CompensatingControls: b.CompensatingControls, Remediation: b.Remediation,
		Retest: b.Retest, IfVersion: v})
	h.answerExceptionEvaluation(c, x, err)
}

// maxResultsSheet bounds a filled-in results workbook.
const maxResultsSheet = 64 << 20

// importResults reads the auditor's filled-in results sheet: POST
// …/results/import with the workbook as the file. It is a dry run unless
// dry_run=false; a dry run answers every change and conflict, applying
// answers 400 with them and changes nothing while any conflict remains.
func (h engagementHandlers) importResults(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	q := newQuery(c)
	apply := q.has("dry_run") && !q.boolean("dry_run")
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	up := uploadLimit{what: "results workbook", limit: maxResultsSheet, body: maxResultsSheet + formOverhead}
	name, part, ok := up.onlyFile(c)
	if !ok {
		return
	}
	plan, err := h.imports.ImportResults(c.Request.Context(), id, principal(c).User.ID, name, part, apply)
	if err != nil {
		fail(c, up.fail(err))
		return
	}
	status := http.StatusOK
	if apply && !plan.Applied {
		status = http.StatusBadRequest // nothing was changed: resolve the conflicts listed
	}
	c.JSON(status, importAnswer[results.ResultsPlan]{Plan: plan})
}
