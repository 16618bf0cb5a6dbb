package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/store"
)

// Blobs is where the scanned files are kept, by their SHA-256.
type Blobs interface {
	Put(ctx context.Context, r io.Reader, limit int64) (blob.Info, error)
}

// Service ingests scanner output and keeps what follows from it.
type Service struct {
	db       *store.DB
	blobs    Blobs
	tmpDir   string
	maxFile  int64
	location *time.Location
	now      func() time.Time
	// Changed hears which controls' evidence a run or a mapping change
	// linked or unlinked, so their evidence tasks follow.
	Changed store.ControlsChanged
	// GraceDays is how long after a window ends it is due rather than
	// missing, as the engagements count it.
	GraceDays int
}

// DefaultMaxFile is the largest file ingested when nothing else is said.
const DefaultMaxFile = 100 << 20

// NewService builds the service: tmpDir holds a file while it is read
// twice (checked, then stored), loc is the organisation's time zone (the
// day a scan belongs to), maxFile the largest file accepted.
func NewService(db *store.DB, blobs Blobs, tmpDir string, maxFile int64, loc *time.Location) *Service {
	if loc == nil {
		loc = time.UTC
	}
	return &Service{db: db, blobs: blobs, tmpDir: tmpDir, maxFile: maxFile, location: loc,
		now: func() time.Time { return time.Now().UTC() }, GraceDays: 14}
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Input is a file to ingest and what the caller says about it.
type Input struct {
	Body      io.Reader
	FileName  string    // a hint for the evidence's file name
	Source    string    // the source's name; empty: the tool's
	ScanID    string    // overrides the file's scan id
	ScannedAt time.Time // overrides the file's scan time
	By        *int64    // the user ingesting, if any
}

// Ingested is the outcome of one file.
type Ingested struct {
	Run     store.IngestRun
	Source  store.IngestSource
	Created bool // false: the scan was ingested before and nothing changed
	// Controls the run reached, by outcome, and checks no control takes.
	Passed, Failed []int64
	Unmapped       []string
}

// sourceName: letters, digits and . _ - / : @, as CI variables give them.
var sourceName = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} ._/:@-]{0,99}$`)

// Ingest reads a file once to check it, learn what it holds and spool its
// result rows, stores it as evidence, and records the run, its rows and
// what follows for the controls its checks map to in one transaction: a
// bad file changes nothing, and the same scan twice changes nothing the
// second time.
func (s *Service) Ingest(ctx context.Context, in Input) (Ingested, error) {
	if err := in.check(); err != nil {
		return Ingested{}, err
	}
	if err := os.MkdirAll(s.tmpDir, 0o750); err != nil {
		return Ingested{}, err
	}
	scratch, err := os.CreateTemp(s.tmpDir, "ingest-*")
	if err != nil {
		return Ingested{}, err
	}
	defer os.Remove(scratch.Name())
	defer scratch.Close()
	rows, err := newSpool(s.tmpDir)
	if err != nil {
		return Ingested{}, err
	}
	defer rows.close()

	sum, err := s.check(in.Body, scratch, rows)
	if err != nil {
		return Ingested{}, err
	}
	now := s.now()
	scan, err := describe(sum, in, now)
	if err != nil {
		return Ingested{}, err
	}
	if prior, found, err := s.ingested(ctx, scan.ScanID); found || err != nil {
		return prior, err
	}
	if _, err := scratch.Seek(0, io.SeekStart); err != nil {
		return Ingested{}, err
	}
	info, err := s.blobs.Put(ctx, scratch, s.maxFile)
	if err != nil {
		return Ingested{}, err
	}
	if info.SHA256 != sum.sha256 {
		return Ingested{}, fmt.Errorf("stored file hashes to %s, read as %s", info.SHA256, sum.sha256)
	}
	var out Ingested
	for attempt := 0; ; attempt++ {
		err = s.db.InTx(ctx, func(ctx context.Context) error {
			var err error
			out, err = s.record(ctx, in, scan, sum, rows, now)
			return err
		})
		if !errors.Is(err, errAlreadyIngested) && !store.IsDuplicate(err) {
			break
		}
		// Another request was first: with this scan, or with a new source of
		// the same name, which is there once that request commits.
		prior, found, lookup := s.ingested(ctx, scan.ScanID)
		if found || lookup != nil {
			return prior, lookup
		}
		if attempt == 2 {
			return Ingested{}, err
		}
	}
	if err != nil {
		return Ingested{}, err
	}
	s.Changed.Notify(ctx, nil, out.Passed)
	return out, nil
}

// check refuses a malformed source name or scan id before anything is read.
func (in Input) check() error {
	if in.Source != "" && !sourceName.MatchString(in.Source) {
		return apperr.Invalid("the source name is not valid", map[string]string{
			"source": "1 to 100 letters, digits, spaces and . _ - / : @, starting with a letter or digit"})
	}
	if in.ScanID != "" && (utf8.RuneCountInString(in.ScanID) > 200 || strings.TrimSpace(in.ScanID) != in.ScanID) {
		return apperr.Invalid("the scan id is not valid", map[string]string{"scan_id": "at most 200 characters, no leading or trailing spaces"})
	}
	return nil
}

// describe settles the scan's id and time: the caller's, else the file's,
// else its SHA-256 and its arrival.
func describe(sum summary, in Input, now time.Time) (Scan, error) {
	scan := sum.scan
	switch {
	case in.ScanID != "":
		scan.ScanID = in.ScanID
	case scan.ScanID == "" && !in.ScannedAt.IsZero():
		// Without an id of its own, a file is one scan per stated time: a
		// benchmark whose results did not change gives the same bytes.
		scan.ScanID = "sha256:" + sum.sha256 + "@" + in.ScannedAt.UTC().Format(time.RFC3339)
	case scan.ScanID == "":
		scan.ScanID = "sha256:" + sum.sha256
	}
	switch {
	case !in.ScannedAt.IsZero():
		scan.ScannedAt = in.ScannedAt.UTC()
	case scan.ScannedAt.IsZero():
		scan.ScannedAt = now
	}
	if scan.ScannedAt.After(now.Add(time.Hour)) {
		return scan, apperr.Invalid("the scan time is in the future", map[string]string{
			"scanned_at": scan.ScannedAt.Format(time.RFC3339) + " is later than now; check the scanner's clock"})
	}
	return scan, nil
}

// ingested returns the run of a scan ingested before, if there is one.
func (s *Service) ingested(ctx context.Context, scanID string) (Ingested, bool, error) {
	run, err := s.db.IngestRunByScanID(ctx, scanID)
	if errors.Is(err, store.ErrNotFound) {
		return Ingested{}, false, nil
	}
	if err != nil {
		return Ingested{}, false, err
	}
	src, err := s.db.IngestSourceByID(ctx, run.SourceID)
	return Ingested{Run: run, Source: src}, true, err
}

// summary is what the first read of a file learns.
type summary struct {
	scan   Scan
	sha256 string
	size   int64
	checks map[string]*checkStat
	order  []string // check ids in the order first seen
	total  Counts
}

type checkStat struct {
	title    string
	criteria []string // catalog references
	Counts
}

// Counts are results by status.
type Counts struct{ Passed, Failed, Errored, Skipped int }

func (c *Counts) add(st Status) {
	switch st {
	case Pass:
		c.Passed++
	case Fail:
		c.Failed++
	case Error:
		c.Errored++
	default:
		c.Skipped++
	}
}

func (c *Counts) plus(o Counts) {
	c.Passed, c.Failed, c.Errored, c.Skipped = c.Passed+o.Passed, c.Failed+o.Failed, c.Errored+o.Errored, c.Skipped+o.Skipped
}

// Outcome says what counts mean for a control in a run: a failing or
// erroring check fails it; otherwise one passing check passes it; a run
// that only skipped its checks says nothing about it.
func (c Counts) Outcome() Status {
	switch {
	case c.Failed+c.Errored > 0:
		return Fail
	case c.Passed > 0:
		return Pass
	}
	return Skip
}

// check reads the file once: it is copied to the scratch file, hashed and
// parsed, its rows spooled, so bad input is refused before anything is
// stored.
func (s *Service) check(body io.Reader, scratch *os.File, rows *spool) (summary, error) {
	sum := summary{checks: map[string]*checkStat{}}
	h := sha256.New()
	limited := &limitReader{r: body, left: s.maxFile}
	tee := io.TeeReader(limited, io.MultiWriter(scratch, h))
	scan, err := Parse(tee, func(r Result) error {
		st := sum.checks[r.CheckID]
		if st == nil {
			st = &checkStat{title: r.Title}
			sum.checks[r.CheckID] = st
			sum.order = append(sum.order, r.CheckID)
		}
		if st.title == "" {
			st.title = r.Title
		}
		for _, tag := range r.Criteria {
			if ref, ok := CriterionRef(tag); ok && !slices.Contains(st.criteria, ref) {
				st.criteria = append(st.criteria, ref)
			}
		}
		if r.CriteriaOnly {
			return nil
		}
		st.add(r.Status)
		sum.total.add(r.Status)
		return rows.add(r)
	})
	if err == nil {
		_, err = io.Copy(io.Discard, tee) // hash what follows the document too (white space)
	}
	if limited.over {
		return sum, &apperr.Error{Kind: apperr.KindTooLarge, Code: "file_too_large",
			Message: fmt.Sprintf("the file is larger than the %d MiB limit", s.maxFile>>20)}
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		return sum, apperr.Invalid("the file cannot be ingested: "+pe.Error(), map[string]string{"file": pe.Error()})
	}
	if err != nil {
		return sum, err
	}
	sum.scan, sum.sha256, sum.size = scan, hex.EncodeToString(h.Sum(nil)), limited.read
	return sum, nil
}

// limitReader reads at most left bytes and remembers whether there was more.
type limitReader struct {
	r    io.Reader
	left int64
	read int64
	over bool
}

var errTooLarge = errors.New("file too large")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.over = true
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	l.read += int64(n)
	return n, err
}
