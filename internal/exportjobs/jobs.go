// Package exportjobs prepares large downloads (the auditor workbook, the
// evidence package) in the background, so a browser can show how far one
// has got and fetch the file once it is ready instead of waiting on one
// long request. A job belongs to the user who started it and lives in
// this process only: its file is removed once downloaded, or after the
// time to live whether downloaded or not.
package exportjobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/socmap/socmap/internal/apperr"
)

// States of a job.
const (
	Preparing = "preparing"
	Ready     = "ready"
	Failed    = "failed"
)

// TTL is how long a job and its file are kept after it was started.
const TTL = time.Hour

// Spec says what a job prepares and for whom.
type Spec struct {
	Owner       int64 // the user who started it: nobody else sees it
	Engagement  int64
	Kind        string // "workbook", "package"
	FileName    string
	ContentType string
	// Write writes the file; it reports progress by what it writes.
	Write func(ctx context.Context, w io.Writer) error
}

// Status is a job as its owner sees it.
type Status struct {
	ID          string
	Kind        string
	Engagement  int64
	State       string
	Bytes       int64 // written so far
	Error       string
	FileName    string
	ContentType string
	StartedAt   time.Time
	FinishedAt  *time.Time
	// Expected is how long the last such file of the engagement took to
	// prepare (0 for the first): the measure of how far this one has got,
	// since a workbook is written whole before its first byte is out.
	Expected time.Duration
}

type job struct {
	spec     Spec
	id       string
	started  time.Time
	expected time.Duration
	written  atomic.Int64
	cancel   context.CancelFunc
	expiry   *time.Timer

	mu       sync.Mutex
	state    string
	err      string
	finished *time.Time
	path     string
}

// Jobs holds the jobs of this process.
type Jobs struct {
	dir string // "" for the system's temporary directory
	ttl time.Duration

	mu   sync.Mutex
	byID map[string]*job
	took map[string]time.Duration // the last ready job's time per engagement and kind
}

// New keeps job files in dir ("" for the system's temporary directory)
// for ttl (TTL when 0).
func New(dir string, ttl time.Duration) *Jobs {
	if ttl <= 0 {
		ttl = TTL
	}
	return &Jobs{dir: dir, ttl: ttl, byID: map[string]*job{}, took: map[string]time.Duration{}}
}

// Start begins preparing a file and returns at once. The job keeps ctx's
// values (who started it, for the audit trail) but outlives the request
// that started it, up to its time to live.
func (j *Jobs) Start(ctx context.Context, spec Spec) (Status, error) {
	id, err := newID()
	if err != nil {
		return Status{}, err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), j.ttl)
	jb := &job{spec: spec, id: id, started: time.Now().UTC(), state: Preparing, cancel: cancel}
	j.mu.Lock()
	j.byID[id] = jb
	jb.expected = j.took[spec.key()]
	j.mu.Unlock()
	jb.expiry = time.AfterFunc(j.ttl, func() { j.remove(id) })
	go j.run(ctx, jb)
	return jb.status(), nil
}

func (j *Jobs) run(ctx context.Context, jb *job) {
	f, err := os.CreateTemp(j.dir, "socmap-export-*")
	if err == nil {
		err = jb.spec.Write(ctx, &counter{w: f, n: &jb.written})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}
	now := time.Now().UTC()
	if err == nil {
		j.mu.Lock()
		j.took[jb.spec.key()] = now.Sub(jb.started)
		j.mu.Unlock()
	}
	jb.mu.Lock()
	defer jb.mu.Unlock()
	jb.finished = &now
	if err != nil {
		jb.state, jb.err = Failed, errorWords(err)
		return
	}
	if jb.state == "" { // removed while it was being written
		_ = os.Remove(f.Name())
		return
	}
	jb.state, jb.path = Ready, f.Name()
}

// errorWords is what the owner is told of a failure: the message of a
// domain error, not the internals of any other.
func errorWords(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Message
	}
	return "the file could not be prepared"
}

// Get is the owner's job; anyone else's, or one gone, is not found.
func (j *Jobs) Get(owner, engagement int64, id string) (Status, error) {
	jb, err := j.find(owner, engagement, id)
	if err != nil {
		return Status{}, err
	}
	return jb.status(), nil
}

// Take hands the owner the ready file and forgets the job: the caller
// reads and closes the file, whose name is already removed.
func (j *Jobs) Take(owner, engagement int64, id string) (*os.File, Status, error) {
	jb, err := j.find(owner, engagement, id)
	if err != nil {
		return nil, Status{}, err
	}
	st := jb.status()
	if st.State != Ready {
		e := apperr.Conflict("the file is %s, not ready", st.State)
		e.Code = "not_ready"
		return nil, st, e
	}
	jb.mu.Lock()
	f, err := os.Open(jb.path)
	jb.mu.Unlock()
	if err != nil {
		return nil, st, err
	}
	j.remove(id) // an open file stays readable after its name is removed
	return f, st, nil
}

func (j *Jobs) find(owner, engagement int64, id string) (*job, error) {
	j.mu.Lock()
	jb, ok := j.byID[id]
	j.mu.Unlock()
	if !ok || jb.spec.Owner != owner || jb.spec.Engagement != engagement {
		return nil, apperr.NotFound("download %s not found", id)
	}
	return jb, nil
}

// remove forgets a job, stops it if still writing and deletes its file.
func (j *Jobs) remove(id string) {
	j.mu.Lock()
	jb, ok := j.byID[id]
	delete(j.byID, id)
	j.mu.Unlock()
	if !ok {
		return
	}
	jb.expiry.Stop()
	jb.cancel()
	jb.mu.Lock()
	defer jb.mu.Unlock()
	if jb.path != "" {
		_ = os.Remove(jb.path)
	}
	jb.path, jb.state = "", ""
}

func (jb *job) status() Status {
	jb.mu.Lock()
	defer jb.mu.Unlock()
	return Status{ID: jb.id, Kind: jb.spec.Kind, Engagement: jb.spec.Engagement, State: jb.state, Bytes: jb.written.Load(),
		Error: jb.err, FileName: jb.spec.FileName, ContentType: jb.spec.ContentType, StartedAt: jb.started, FinishedAt: jb.finished,
		Expected: jb.expected}
}

func (s Spec) key() string { return fmt.Sprint(s.Engagement, "/", s.Kind) }

type counter struct {
	w io.Writer
	n *atomic.Int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

func newID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
