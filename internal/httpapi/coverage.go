package httpapi

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/coverage"
)

var soc2Categories = []string{"availability", "confidentiality", "processing_integrity", "privacy"}

type coverageHandlers struct{ cache *coverage.Cache }

// get reports coverage for ?categories=availability,confidentiality&soc1=true&expiring_days=30;
// &engagement=ID uses that engagement's not-applicable decisions instead
// of the organisation's.
func (h coverageHandlers) get(c *gin.Context) {
	q := newQuery(c)
	scope := coverage.Scope{Categories: scopeCategories(q), SOC1: q.boolean("soc1"), ExpiringDays: q.integer("expiring_days", 30, 0, 3650),
		Engagement: int64(q.integer("engagement", 0, 1, math.MaxInt32))}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	rep, err := h.cache.Compute(c.Request.Context(), scope, time.Now().UTC())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, coverageJSON(rep))
}

// scopeCategories reads ?categories=availability,confidentiality: the SOC 2
// categories beside Security, which is always in scope.
func scopeCategories(q *query) []string {
	var out []string
	for _, cat := range strings.Split(q.str("categories", 200), ",") {
		switch cat = strings.TrimSpace(cat); {
		case cat == "" || cat == "security":
		case slices.Contains(soc2Categories, cat):
			out = append(out, cat)
		default:
			q.fields["categories"] = "comma-separated SOC 2 categories: " + strings.Join(soc2Categories, ", ")
		}
	}
	return out
}

// coverageReport is the coverage of a scope: each requirement's state and
// the controls behind it, a summary per category, and the gaps to close.
type coverageReport struct {
	Requirements            []coverageRequirement `json:"requirements"`
	Summary                 []coverageSummary     `json:"summary"`
	ControlsWithoutEvidence []coverageControlRef  `json:"controls_without_evidence"`
	ExpiringEvidence        []coverageEvidenceRef `json:"expiring_evidence"`
}

type coverageRequirement struct {
	Requirement     string            `json:"requirement"` // framework_id/ref
	FrameworkID     string            `json:"framework_id"`
	Ref             string            `json:"ref"`
	Title           string            `json:"title"`
	Category        string            `json:"category"`
	Series          string            `json:"series"`
	State           string            `json:"state"`
	Reason          string            `json:"reason"`
	Controls        []coverageControl `json:"controls"`
	CoveredControls int               `json:"covered_controls"`
}

type coverageControl struct {
	ID       int64  `json:"id"`
	Ref      string `json:"ref"`
	Title    string `json:"title"`
	Evidence int    `json:"evidence"`
	State    string `json:"state"`
}

type coverageSummary struct {
	FrameworkID string         `json:"framework_id"`
	Category    string         `json:"category"`
	Name        string         `json:"name"`
	Total       int            `json:"total"`
	States      map[string]int `json:"states"`
}

type coverageControlRef struct {
	ID    int64  `json:"id"`
	Ref   string `json:"ref"`
	Title string `json:"title"`
}

type coverageEvidenceRef struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	ExpiresOn string `json:"expires_on"`
	Expired   bool   `json:"expired"`
}

func coverageJSON(rep coverage.Report) coverageReport {
	reqs := make([]coverageRequirement, len(rep.Requirements))
	for i, r := range rep.Requirements {
		ctls := make([]coverageControl, len(r.Controls))
		for j, c := range r.Controls {
			ctls[j] = coverageControl{ID: c.ID, Ref: c.Ref, Title: c.Title, Evidence: c.Evidence, State: c.State}
		}
		reqs[i] = coverageRequirement{Requirement: r.FrameworkID + "/" + r.Ref, FrameworkID: r.FrameworkID, Ref: r.Ref,
			Title: r.Title, Category: r.Category, Series: r.Series, State: r.State, Reason: r.Reason,
			Controls: ctls, CoveredControls: r.CoveredControls()}
	}
	summary := make([]coverageSummary, len(rep.Summary))
	for i, s := range rep.Summary {
		summary[i] = coverageSummary{FrameworkID: s.FrameworkID, Category: s.Code, Name: s.Name, Total: s.Total, States: s.States}
	}
	noEvidence := make([]coverageControlRef, len(rep.ControlsWithoutEvidence))
	for i, c := range rep.ControlsWithoutEvidence {
		noEvidence[i] = coverageControlRef{ID: c.ID, Ref: c.Ref, Title: c.Title}
	}
	expiring := make([]coverageEvidenceRef, len(rep.ExpiringEvidence))
	for i, e := range rep.ExpiringEvidence {
		expiring[i] = coverageEvidenceRef{ID: e.ID, Title: e.Title, ExpiresOn: e.ExpiresOn, Expired: e.Expired}
	}
	return coverageReport{Requirements: reqs, Summary: summary, ControlsWithoutEvidence: noEvidence,
		ExpiringEvidence: expiring}
}
