package engagement

import (
	"context"
	"fmt"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// SubserviceReview is a subservice organisation's own SOC report as
// reviewed for an engagement.
type SubserviceReview = store.SubserviceReview

// The standing of a subservice organisation's review for an engagement.
const (
	ReviewCurrent          = "current"
	ReviewIsDue            = "review_due"                // no review recorded for this engagement
	ReviewOutOfDate        = "out_of_date"               // reviewed more than 12 months before our period end
	ReviewGapWithoutBridge = "gap_without_bridge_letter" // the vendor's period ends over 3 months before ours, no bridge letter
)

// Gap and age a review may have and still be relied on.
const (
	reviewMaxAgeMonths = 12
	reviewMaxGapMonths = 3
)

// ReviewStanding judges one review against the engagement's end (its
// period end, or a Type I's as-of date): current when it was reviewed
// within 12 months of that end and the vendor's period ends at most 3
// months before it, or longer before it with a bridge letter for the gap.
// Months are counted from the day after, so a review on 31 Dec 2025 is
// within 12 months of 31 Dec 2026 and a vendor period ending 30 Sep is 3
// months before 31 Dec.
func ReviewStanding(ourEnd, vendorEnd, reviewedOn civil.Date, bridgeLetter bool) string {
	within := func(from civil.Date, months int) bool {
		return !period.MonthsFrom(from.AddDays(1), months).AddDays(-1).Before(ourEnd)
	}
	if !within(reviewedOn, reviewMaxAgeMonths) {
		return ReviewOutOfDate
	}
	if !within(vendorEnd, reviewMaxGapMonths) && !bridgeLetter {
		return ReviewGapWithoutBridge
	}
	return ReviewCurrent
}

// Standing is where a subservice organisation's review stands, with the
// review it rests on (the latest by review date), if any.
type Standing struct {
	State  string
	Latest *SubserviceReview
}

// endOf is the date an engagement's report is about: its period end, or
// a Type I's as-of date.
func endOf(e Engagement) (civil.Date, error) {
	end := e.PeriodEnd
	if e.ReportType == "type1" {
		end = e.AsOf
	}
	if end == nil {
		return civil.Date{}, fmt.Errorf("engagement %d has no end date", e.ID)
	}
	return civil.Parse(*end)
}

// standingOf judges an organisation's reviews (latest first).
func standingOf(e Engagement, reviews []SubserviceReview) (Standing, error) {
	if len(reviews) == 0 {
		return Standing{State: ReviewIsDue}, nil
	}
	latest := reviews[0]
	ours, err := endOf(e)
	if err != nil {
		return Standing{}, err
	}
	vendorEnd, err := civil.Parse(latest.PeriodEnd)
	if err != nil {
		return Standing{}, err
	}
	reviewed, err := civil.Parse(latest.ReviewedOn)
	if err != nil {
		return Standing{}, err
	}
	return Standing{State: ReviewStanding(ours, vendorEnd, reviewed, latest.BridgeLetterEvidenceID != nil), Latest: &latest}, nil
}

// Standings says, per subservice organisation of the engagement, where
// its review stands.
func (s *Service) Standings(ctx context.Context, id int64) (map[int64]Standing, error) {
	e, err := s.engagement(ctx, id)
	if err != nil {
		return nil, err
	}
	reviews, err := s.st.ReviewsInEngagement(ctx, id)
	if err != nil {
		return nil, err
	}
	bySub := map[int64][]SubserviceReview{}
	for _, r := range reviews {
		bySub[r.SubserviceID] = append(bySub[r.SubserviceID], r)
	}
	subIDs, err := s.st.SubserviceIDsOf(ctx, id)
	if err != nil {
		return nil, err
	}
	out := map[int64]Standing{}
	for _, sid := range subIDs {
		if out[sid], err = standingOf(e, bySub[sid]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
