package engagement

import (
	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Extents say whether an exception is isolated or systemic; "" is not
// yet judged.
var Extents = []string{"isolated", "systemic"}

// Who signs a piece of work off: its preparer, then a reviewer who is
// someone else.
const (
	Preparer = "preparer"
	Reviewer = "reviewer"
)

// SignOffInput signs a control's conclusion off as its preparer or its
// reviewer.
type SignOffInput struct {
	As string // Preparer or Reviewer
	// IfVersion, when set, is the result's version the writer read.
	IfVersion *int64
}

// Sign records userID as the preparer or the reviewer of the work on day.
// The reviewer reviews prepared work and is never its preparer; a preparer
// signing again (the work was redone) clears the review.
func Sign(sig *store.Signatures, as string, userID int64, day string) error {
	switch as {
	case Preparer:
		if sig.ReviewedBy != nil && *sig.ReviewedBy == userID {
			return apperr.Invalid("you reviewed this work: its preparer must be someone else",
				map[string]string{"as": "the preparer and the reviewer must be different people"})
		}
		sig.PreparedBy, sig.PreparedOn, sig.ReviewedBy, sig.ReviewedOn = &userID, &day, nil, nil
	case Reviewer:
		if sig.PreparedBy == nil {
			return apperr.Invalid("the work is reviewed once its preparer has signed it off",
				map[string]string{"as": "no preparer has signed this work off yet"})
		}
		if *sig.PreparedBy == userID {
			return apperr.Invalid("you prepared this work: its reviewer must be someone else",
				map[string]string{"as": "the preparer and the reviewer must be different people"})
		}
		sig.ReviewedBy, sig.ReviewedOn = &userID, &day
	default:
		return apperr.Invalid("say whether you sign as the preparer or the reviewer",
			map[string]string{"as": "preparer or reviewer"})
	}
	return nil
}

// SignatureSnapshot is who signed the work off and when, as the audit trail records it.
func SignatureSnapshot(sig store.Signatures) map[string]any {
	return map[string]any{"prepared_by": sig.PreparedBy, "prepared_on": sig.PreparedOn,
		"reviewed_by": sig.ReviewedBy, "reviewed_on": sig.ReviewedOn}
}
