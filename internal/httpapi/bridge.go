package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/bridge"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store"
)

// bridgeHandlers draft and keep management's bridge letters.
type bridgeHandlers struct {
	eng     *engagement.Service
	letters *bridge.Service
	ev      *evidence.Service
}

func newBridgeHandlers(db *store.DB, eng *engagement.Service, ev *evidence.Service) bridgeHandlers {
	return bridgeHandlers{eng: eng, letters: bridge.NewService(db, eng), ev: ev}
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

type bridgeBody struct {
	CoversTo    string `json:"covers_to"`
	SignerName  string `json:"signer_name"`
	SignerTitle string `json:"signer_title"`
	// ControlID is the in-scope control the signed letter is kept with as
	// evidence (e.g. management's monitoring of the controls).
	ControlID int64 `json:"control_id"`
}

// letter drafts the letter the body asks for and writes it as .docx.
func (h bridgeHandlers) letter(c *gin.Context, b *bridgeBody) (bridge.Letter, []byte, bool) {
	id, ok := engagementAndBody(c, b)
	if !ok {
		return bridge.Letter{}, nil, false
	}
	l, err := h.letters.Draft(c.Request.Context(), id, bridge.Input{CoversTo: b.CoversTo,
		SignerName: b.SignerName, SignerTitle: b.SignerTitle})
	if err != nil {
		fail(c, err)
		return l, nil, false
	}
	var doc bytes.Buffer
	if err := exports.WriteDocx(&doc, l.Paragraphs(), l.Date.Time()); err != nil {
		fail(c, err)
		return l, nil, false
	}
	return l, doc.Bytes(), true
}

func bridgeFileName(l bridge.Letter) string {
	name := strings.Trim(unsafeName.ReplaceAllString(l.Engagement.Name, "-"), "-")
	return "socmap-" + name + "-bridge-letter-to-" + l.CoversTo.String() + ".docx"
}

// draft answers the letter as a Word document to review before signing;
// asked for JSON alone (Accept: application/json), what it would say: the
// gap, the material changes and the known deficiencies, for a preview.
func (h bridgeHandlers) draft(c *gin.Context) {
	l, doc, ok := h.letter(c, &bridgeBody{})
	if !ok {
		return
	}
	if strings.TrimSpace(c.GetHeader("Accept")) == "application/json" {
		c.JSON(http.StatusOK, bridgeDraftOne{BridgeLetter: bridgeDraftJSON{GapFrom: l.GapFrom.String(),
			CoversTo: l.CoversTo.String(), Changes: orNone(l.Changes), Deficiencies: orNone(l.Deficiencies),
			SignerName: l.SignerName, SignerTitle: l.SignerTitle}})
		return
	}
	hdr := c.Writer.Header()
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": bridgeFileName(l)}))
	hdr.Set("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, docxType, doc)
}

// sign keeps the letter as signed: the document becomes evidence and the
// engagement records who signed it, for which gap.
func (h bridgeHandlers) sign(c *gin.Context) {
	var b bridgeBody
	l, doc, ok := h.letter(c, &b)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	if in, err := h.eng.ControlInScope(ctx, l.Engagement.ID, b.ControlID); err != nil || !in {
		fail(c, orInvalid(err, "control_id", "the in-scope control the signed letter is kept with as evidence"))
		return
	}
	title := fmt.Sprintf("Bridge letter: %s, %s to %s", l.Engagement.Name, l.GapFrom, l.CoversTo)
	desc := "Management's bridge letter, signed by " + strings.TrimSpace(l.SignerName+", "+l.SignerTitle)
	from, to, on := l.GapFrom.String(), l.CoversTo.String(), l.Date.String()
	desc += fmt.Sprintf("; it covers %s to %s", from, to)
	controls := []int64{b.ControlID}
	// Dated as of its signing, not covering the gap: it is a statement
	// about the controls, not evidence that one operated in a window.
	ev, err := h.ev.CreateFile(ctx, principal(c), evidence.Meta{Title: &title, Description: &desc, AsOf: &on,
		CollectedOn: &on, ProvidedBy: &l.SignerName, ControlIDs: &controls}, func() (evidence.Upload, error) {
		return evidence.Upload{Name: bridgeFileName(l), MediaType: docxType, Body: bytes.NewReader(doc)}, nil
	})
	if err != nil {
		fail(c, err)
		return
	}
	sum := sha256.Sum256(doc)
	r, err := h.letters.Keep(ctx, l, ev.ID, hex.EncodeToString(sum[:]))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, bridgeLetterOne{BridgeLetter: bridgeJSON(r)})
}

func (h bridgeHandlers) list(c *gin.Context) {
	id, err := engagementFrom(c)
	if err != nil {
		fail(c, err)
		return
	}
	rows, err := h.letters.List(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]bridgeLetterJSON, len(rows))
	for i, r := range rows {
		out[i] = bridgeJSON(r)
	}
	c.JSON(http.StatusOK, bridgeLetterList{BridgeLetters: out})
}

func orInvalid(err error, field, want string) error {
	if err != nil {
		return err
	}
	return apperr.Invalid("the bridge letter cannot be signed as given", map[string]string{field: want})
}

// bridgeDraftJSON is what a bridge letter would say, for a preview: the
// gap it covers, the material changes and the known deficiencies.
type bridgeDraftJSON struct {
	GapFrom      string   `json:"gap_from"`
	CoversTo     string   `json:"covers_to"`
	Changes      []string `json:"changes"`
	Deficiencies []string `json:"deficiencies"`
	SignerName   string   `json:"signer_name"`
	SignerTitle  string   `json:"signer_title"`
}

type bridgeDraftOne struct {
	BridgeLetter bridgeDraftJSON `json:"bridge_letter"`
}

// bridgeLetterJSON is a signed bridge letter, kept as evidence.
type bridgeLetterJSON struct {
	ID          int64  `json:"id"`
	CoversTo    string `json:"covers_to"`
	SignerName  string `json:"signer_name"`
	SignerTitle string `json:"signer_title"`
	SignedAt    string `json:"signed_at"` // RFC 3339, UTC
	EvidenceID  int64  `json:"evidence_id"`
	SHA256      string `json:"sha256"`
}

type bridgeLetterOne struct {
	BridgeLetter bridgeLetterJSON `json:"bridge_letter"`
}

type bridgeLetterList struct {
	BridgeLetters []bridgeLetterJSON `json:"bridge_letters"`
}

func bridgeJSON(r bridge.Signed) bridgeLetterJSON {
	return bridgeLetterJSON{ID: r.ID, CoversTo: r.CoversTo, SignerName: r.SignerName, SignerTitle: r.SignerTitle,
		SignedAt: r.SignedAt.UTC().Format(time.RFC3339), EvidenceID: r.EvidenceID, SHA256: r.SHA256}
}

func orNone(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
