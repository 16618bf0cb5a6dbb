package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/engagement/complementary"
)

// reviewBody is a review as POST and PATCH take it; on a PATCH absent
// fields stay as they are.
type reviewBody struct {
	Report                 *string `json:"report"`
	ReportType             *string `json:"report_type"`
	PeriodStart            *string `json:"period_start"`
	PeriodEnd              *string `json:"period_end"`
	VendorAuditor          *string `json:"vendor_auditor"`
	Opinion                *string `json:"opinion"`
	ExceptionsNoted        *string `json:"exceptions_noted"`
	ExceptionsRelevance    *string `json:"exceptions_relevance"`
	BridgeLetterEvidenceID *int64  `json:"bridge_letter_evidence_id"` // 0 removes it
	ReviewedOn             *string `json:"reviewed_on"`
	CUECs                  *[]struct {
		Text      string `json:"text"`
		ControlID *int64 `json:"control_id"`
	} `json:"cuecs"`
}

func (b reviewBody) input(version *int64) complementary.ReviewInput {
	in := complementary.ReviewInput{Report: b.Report, ReportType: b.ReportType, PeriodStart: b.PeriodStart, PeriodEnd: b.PeriodEnd,
		VendorAuditor: b.VendorAuditor, Opinion: b.Opinion, ExceptionsNoted: b.ExceptionsNoted,
		ExceptionsRelevance: b.ExceptionsRelevance, BridgeLetterEvidenceID: b.BridgeLetterEvidenceID, ReviewedOn: b.ReviewedOn,
		IfVersion: version}
	if b.CUECs != nil {
		cuecs := make([]complementary.VendorCUECInput, len(*b.CUECs))
		for i, c := range *b.CUECs {
			cuecs[i] = complementary.VendorCUECInput{Text: c.Text, ControlID: c.ControlID}
		}
		in.CUECs = &cuecs
	}
	return in
}

// reviewJSON is a review of a subservice organisation's SOC report.
type reviewJSON struct {
	ID                     int64            `json:"id"`
	SubserviceID           int64            `json:"subservice_id"`
	Report                 string           `json:"report"`
	ReportType             string           `json:"report_type"`
	PeriodStart            *string          `json:"period_start"`
	PeriodEnd              string           `json:"period_end"`
	VendorAuditor          string           `json:"vendor_auditor"`
	Opinion                string           `json:"opinion"`
	ExceptionsNoted        string           `json:"exceptions_noted"`
	ExceptionsRelevance    string           `json:"exceptions_relevance"`
	BridgeLetterEvidenceID *int64           `json:"bridge_letter_evidence_id"`
	ReviewedBy             *int64           `json:"reviewed_by"`
	ReviewedOn             string           `json:"reviewed_on"`
	CUECs                  []vendorCUECJSON `json:"cuecs"`
	Version                int64            `json:"version"`
}

// vendorCUECJSON is a control the vendor's report expects of us, and ours
// that answers it.
type vendorCUECJSON struct {
	ID        int64  `json:"id"`
	Text      string `json:"text"`
	ControlID *int64 `json:"control_id"`
}

type reviewOne struct {
	Review reviewJSON `json:"review"`
}

type reviewList struct {
	Reviews []reviewJSON `json:"reviews"`
}

func toReviewJSON(r complementary.SubserviceReview) reviewJSON {
	cuecs := make([]vendorCUECJSON, len(r.CUECs))
	for i, c := range r.CUECs {
		cuecs[i] = vendorCUECJSON{ID: c.ID, Text: c.Text, ControlID: c.ControlID}
	}
	return reviewJSON{ID: r.ID, SubserviceID: r.SubserviceID, Report: r.Report, ReportType: r.ReportType,
		PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd, VendorAuditor: r.VendorAuditor, Opinion: r.Opinion,
		ExceptionsNoted: r.ExceptionsNoted, ExceptionsRelevance: r.ExceptionsRelevance,
		BridgeLetterEvidenceID: r.BridgeLetterEvidenceID, ReviewedBy: r.ReviewedBy, ReviewedOn: r.ReviewedOn,
		CUECs: cuecs, Version: r.Version}
}

// orgAndReview reads the subservice organisation and review IDs of the path.
func orgAndReview(c *gin.Context) (int64, int64, error) {
	org, err := pathID(c, "org")
	if err != nil {
		return 0, 0, err
	}
	review, err := pathID(c, "review")
	return org, review, err
}

// reviews lists a subservice organisation's reviews, latest first.
func (h engagementHandlers) reviews(c *gin.Context) {
	id, org, err := h.visibleIDs(c, "org")
	if err != nil {
		fail(c, err)
		return
	}
	list, err := h.comp.Reviews(c.Request.Context(), id, org)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]reviewJSON, len(list))
	for i, r := range list {
		out[i] = toReviewJSON(r)
	}
	c.JSON(http.StatusOK, reviewList{Reviews: out})
}

// review is one review as GET …/reviews/:review shows it, with its version.
func (h engagementHandlers) review(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	org, review, err := orgAndReview(c)
	if err != nil {
		fail(c, err)
		return
	}
	body, v, err := h.reviewState(c, id, org, review)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, v)
	c.JSON(http.StatusOK, body)
}

func (h engagementHandlers) reviewState(c *gin.Context, id, org, review int64) (any, int64, error) {
	r, err := h.comp.Review(c.Request.Context(), id, org, review)
	if err != nil {
		return nil, 0, err
	}
	return reviewOne{Review: toReviewJSON(r)}, r.Version, nil
}

// addReview records a review of the organisation's SOC report, by the caller.
func (h engagementHandlers) addReview(c *gin.Context) {
	var b reviewBody
	id, org, _, ok := h.edit(c, "org", &b)
	if !ok {
		return
	}
	r, err := h.comp.AddReview(c.Request.Context(), id, org, principal(c).User.ID, b.input(nil))
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, r.Version)
	c.JSON(http.StatusCreated, reviewOne{Review: toReviewJSON(r)})
}

func (h engagementHandlers) updateReview(c *gin.Context) {
	var b reviewBody
	id, org, v, ok := h.edit(c, "org", &b)
	if !ok {
		return
	}
	review, err := pathID(c, "review")
	if err != nil {
		fail(c, err)
		return
	}
	r, err := h.comp.UpdateReview(c.Request.Context(), id, org, review, b.input(v))
	if err != nil {
		failWrite(c, err, func() (any, int64, error) { return h.reviewState(c, id, org, review) })
		return
	}
	setETag(c, r.Version)
	c.JSON(http.StatusOK, reviewOne{Review: toReviewJSON(r)})
}

func (h engagementHandlers) removeReview(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	org, review, err := orgAndReview(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := h.comp.RemoveReview(c.Request.Context(), id, org, review); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
