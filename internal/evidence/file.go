package evidence

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/store"
)

// Upload is a file as it arrives: its name and declared type are only
// hints from the client.
type Upload struct {
	Name      string
	MediaType string
	Body      io.Reader
}

// maxNameRunes bounds the original file name kept as metadata; longer
// names keep their start and extension.
const maxNameRunes = 255

// SafeName reduces a client's file name to a harmless label: no folders,
// no control characters or NULs, no invisible format characters (bidi
// overrides and isolates, zero-width spaces and joiners, which let
// "rtl\u202egnp.exe" display as "rtlexe.png") nor line separators, at
// most maxNameRunes characters.
func SafeName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(strings.TrimSpace(name), "."))
	if name == "" {
		return "file"
	}
	if r := []rune(name); len(r) > maxNameRunes {
		ext := ""
		if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 16 {
			ext = name[i:]
		}
		name = string(r[:maxNameRunes-len([]rune(ext))]) + ext
	}
	return name
}

// mediaType keeps a well-formed declared type, else sniffs the first bytes.
func mediaType(declared string, head []byte) string {
	if mt, params, err := mime.ParseMediaType(declared); err == nil && mt != "application/octet-stream" {
		return mime.FormatMediaType(mt, params)
	}
	return http.DetectContentType(head)
}

// store streams an upload into the blob store.
func (s *Service) store(ctx context.Context, up Upload) (store.EvidenceFile, error) {
	br := bufio.NewReaderSize(up.Body, 512)
	head, _ := br.Peek(512)
	info, err := s.blobs.Put(ctx, br, s.MaxUpload)
	switch {
	case errors.Is(err, blob.ErrTooLarge):
		return store.EvidenceFile{}, &apperr.Error{Kind: apperr.KindTooLarge, Code: "file_too_large",
			Message: fmt.Sprintf("the file is larger than the %d MiB limit", s.MaxUpload>>20)}
	case errors.Is(err, blob.ErrEmpty):
		return store.EvidenceFile{}, apperr.Invalid("the file is empty", map[string]string{"file": "empty file"})
	case err != nil:
		return store.EvidenceFile{}, err
	}
	return store.EvidenceFile{SHA256: info.SHA256, Size: info.Size,
		MediaType: mediaType(up.MediaType, head), OriginalName: SafeName(up.Name)}, nil
}

// CreateFile stores an uploaded file and records it as new evidence. The
// metadata is checked before a byte of the file is read.
func (s *Service) CreateFile(ctx context.Context, p *auth.Principal, m Meta, up func() (Upload, error)) (store.Evidence, error) {
	fields := map[string]string{}
	probe := store.Evidence{Kind: "file"}
	applyMeta(&probe, m, fields)
	if len(fields) > 0 {
		return probe, apperr.Invalid("the evidence cannot be saved as given", fields)
	}
	var ids []int64
	if m.ControlIDs != nil {
		ids = uniq(*m.ControlIDs)
	}
	s.checkControls(ctx, p, ids, fields)
	if len(fields) > 0 {
		return probe, apperr.Invalid("the evidence cannot be saved as given", fields)
	}
	u, err := up()
	if err != nil {
		return probe, err
	}
	f, err := s.store(ctx, u)
	if err != nil {
		return probe, err
	}
	return s.create(ctx, p, store.Evidence{Kind: "file"}, m, map[string]string{}, &f)
}

// AddRevision stores a new version of a file evidence item; earlier
// revisions stay as they were.
func (s *Service) AddRevision(ctx context.Context, p *auth.Principal, id int64, up Upload) (store.EvidenceFile, error) {
	e, _, err := s.load(ctx, p, id)
	if err != nil {
		return store.EvidenceFile{}, err
	}
	if e.Kind != "file" {
		return store.EvidenceFile{}, apperr.Invalid("only file evidence has revisions", nil)
	}
	f, err := s.store(ctx, up)
	if err != nil {
		return f, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		f.EvidenceID, f.UploadedBy, f.UploadedAt = id, &p.User.ID, s.now()
		if err := s.db.AddEvidenceRevision(ctx, &f); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "evidence.revision", ObjectType: "evidence",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"file": {After: fileLabel(f)}}})
	})
	return f, err
}

// Download opens a revision (0: the latest) of a file evidence item and
// records the download in the audit trail.
func (s *Service) Download(ctx context.Context, id int64, revision int) (store.EvidenceFile, blob.Object, error) {
	f, err := s.db.LiveEvidenceFile(ctx, id, revision)
	if errors.Is(err, store.ErrNotFound) {
		return f, nil, apperr.NotFound("evidence %d has no file revision %d", id, revision)
	}
	if err != nil {
		return f, nil, err
	}
	file, err := s.blobs.Open(ctx, f.SHA256)
	if err != nil {
		return f, nil, fmt.Errorf("evidence %d revision %d: stored file missing: %w", id, f.Revision, err)
	}
	err = auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "evidence.download", ObjectType: "evidence",
		ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"file": {After: fileLabel(f)}}})
	if err != nil {
		file.Close()
		return f, nil, err
	}
	return f, file, nil
}
