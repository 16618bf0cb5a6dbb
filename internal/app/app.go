// Package app wires socmap together: it opens the store, loads the
// catalogs and builds the HTTP server. The CLI and the browser tests both
// start the product through it, so they run the same thing.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/record"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/httpapi"
	"github.com/socmap/socmap/internal/ingest"
	"github.com/socmap/socmap/internal/settings"
	"github.com/socmap/socmap/internal/signing"
	"github.com/socmap/socmap/internal/soc1"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/tasks"
)

// OpenStore opens the configured database, migrating it, and loads the
// embedded catalogs into it.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	cats, err := catalog.Embedded()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, cfg.DSN())
	if err != nil {
		return nil, err
	}
	outcomes, err := catalog.Load(ctx, db, cats)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, o := range outcomes {
		if o.Changed {
			log.Info("catalog loaded", "framework", o.FrameworkID)
		}
	}
	// --organisation gives the stored name its first value only.
	if err := settings.NewService(db).SeedOrganisation(ctx, cfg.Organisation); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// OpenEvidence opens the configured evidence store.
func OpenEvidence(ctx context.Context, cfg config.Config, log *slog.Logger) (blob.Store, error) {
	loc, err := cfg.Evidence()
	if err != nil {
		return nil, err
	}
	return OpenEvidenceAt(ctx, cfg, loc, log)
}

// OpenEvidenceAt opens an evidence store, using the S3 settings of cfg
// when it is a bucket.
func OpenEvidenceAt(ctx context.Context, cfg config.Config, loc config.EvidenceLocation, log *slog.Logger) (blob.Store, error) {
	if !loc.IsS3() {
		return blob.Open(loc.Dir)
	}
	s := cfg.S3
	return blob.OpenS3(ctx, blob.S3Config{Endpoint: s.Endpoint, Region: s.Region, Bucket: loc.Bucket, Prefix: loc.Prefix,
		PathStyle: s.PathStyle, AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken, FromRole: s.FromRole, Log: log})
}

// Server is a running-ready socmap web server.
type Server struct {
	DB       *store.DB
	Handler  http.Handler
	Tasks    *tasks.Service
	Ingest   *ingest.Service
	Notary   *auditlog.Notary
	schedule tasks.Schedule
	log      *slog.Logger
	cfg      config.Config

	// engagements computes the open engagements' progress ahead of their views.
	engagements *engagement.Service
}

// New opens the store and builds the router.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, ui fs.FS) (*Server, error) {
	db, err := OpenStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	blobs, err := OpenEvidence(ctx, cfg, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	sampleTable, err := engagement.ParseSampleTable(cfg.SampleTable)
	if err != nil {
		db.Close()
		return nil, err
	}
	engagements := engagement.NewService(db, sampleTable)
	engagements.GraceDays = cfg.Tasks.GraceDays
	engagements.Records = record.NewService(db, engagements)
	taskService, schedule, err := newTasks(db, engagements, cfg, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	controlService := controls.NewService(db)
	evidenceService := evidence.NewService(db, blobs, cfg.MaxUploadMiB<<20)
	follow := taskService.Follow(log)
	evidenceService.Changed, engagements.Changed = follow, follow
	evidenceService.FillsWindow = engagements.WindowFilledBy
	ingestService, err := newIngest(db, blobs, cfg, follow)
	if err != nil {
		db.Close()
		return nil, err
	}
	// Controls' mappings decide where scan evidence goes; the evidence
	// tasks follow once it has moved.
	controlService.Changed = ingestService.Follow(log, follow)
	key, err := signing.LoadOrCreate(cfg.DataDir)
	if err != nil {
		db.Close()
		return nil, err
	}
	notary := auditlog.NewNotary(db, key, cfg.DataDir)
	taskService.Notary = notary
	objectives := soc1.NewService(db)
	objectives.Changed = controlService.Changed // its drafts are controls like any other
	settings := auth.DefaultSettings()
	settings.IdleTimeout, settings.AbsoluteTimeout = cfg.SessionIdle, cfg.SessionMax
	settings.IdentifierKey = key.Derive("sign-in identifiers")
	router, err := httpapi.NewRouter(httpapi.Deps{
		Log:            log,
		DB:             db,
		Catalog:        catalog.NewService(db),
		Auth:           auth.NewService(db, settings, nil),
		Controls:       controlService,
		SOC1:           objectives,
		Evidence:       evidenceService,
		Engagements:    engagements,
		Tasks:          taskService,
		Ingest:         ingestService,
		MaxIngestFile:  cfg.MaxUploadMiB << 20,
		ExportDir:      filepath.Join(cfg.DataDir, "tmp"),
		Blobs:          blobs,
		Notary:         notary,
		UI:             ui,
		TrustedProxies: cfg.TrustedProxies,
		SecureCookies:  cfg.SecureCookies,
		SessionMax:     cfg.SessionMax,
		LoadDemo: func(ctx context.Context) error {
			_, err := demo.Load(ctx, db, blobs, taskService, demo.Options{Seed: demo.DefaultSeed})
			return err
		},
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("router: %w", err)
	}
	return &Server{DB: db, Handler: router, Tasks: taskService, Ingest: ingestService, Notary: notary,
		engagements: engagements, schedule: schedule, log: log, cfg: cfg}, nil
}

// newIngest builds the scan ingest service: files up to the evidence size
// limit, read twice through a scratch file under the data directory, days
// counted in the organisation's time zone.
func newIngest(db *store.DB, blobs blob.Store, cfg config.Config, follow store.ControlsChanged) (*ingest.Service, error) {
	loc, err := time.LoadLocation(cfg.Tasks.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("--timezone: %w", err)
	}
	svc := ingest.NewService(db, blobs, filepath.Join(cfg.DataDir, "tmp"), cfg.MaxUploadMiB<<20, loc)
	svc.Changed, svc.GraceDays = follow, cfg.Tasks.GraceDays
	return svc, nil
}

// Ingester is the scan ingest service for the command line, with the
// evidence tasks following what it links.
func Ingester(ctx context.Context, db *store.DB, cfg config.Config, log *slog.Logger) (*ingest.Service, error) {
	blobs, err := OpenEvidence(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	sampleTable, err := engagement.ParseSampleTable(cfg.SampleTable)
	if err != nil {
		return nil, err
	}
	engagements := engagement.NewService(db, sampleTable)
	taskService, _, err := newTasks(db, engagements, cfg, log)
	if err != nil {
		return nil, err
	}
	return newIngest(db, blobs, cfg, taskService.Follow(log))
}

// newTasks builds the task service and the reminder schedule from the
// settings (validated before, so parsing cannot fail here in practice).
func newTasks(db *store.DB, engagements *engagement.Service, cfg config.Config, log *slog.Logger) (*tasks.Service, tasks.Schedule, error) {
	tc := cfg.Tasks
	loc, err := time.LoadLocation(tc.TimeZone)
	if err != nil {
		return nil, tasks.Schedule{}, fmt.Errorf("--timezone: %w", err)
	}
	at, err := tc.DigestTime()
	if err != nil {
		return nil, tasks.Schedule{}, err
	}
	ts := tasks.DefaultSettings()
	ts.Location, ts.GraceDays, ts.PublicURL = loc, tc.GraceDays, tc.PublicURL
	// Window states are of the organisation's day, as the tasks are.
	engagements.Location, engagements.GraceDays = loc, tc.GraceDays
	schedule := tasks.Schedule{Cadence: tc.DigestCadence, At: at}
	if tc.SMTPHost != "" {
		schedule.Mailer = tasks.SMTP{Host: tc.SMTPHost, Port: tc.SMTPPort, StartTLS: tc.SMTPStartTLS,
			Username: tc.SMTPUsername, Password: tc.SMTPPassword, From: tc.SMTPFrom}
		log.Info("task digests by mail", "smtp_host", tc.SMTPHost, "cadence", tc.DigestCadence, "at", tc.DigestAt)
	}
	return tasks.NewService(db, engagements, ts), schedule, nil
}

// Serve answers requests on ln until ctx ends, then lets in-flight requests
// finish within the shutdown timeout and closes the database.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.DB.Close()
	srv := &http.Server{
		Handler:           s.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		// No whole-request read or write timeout: evidence uploads and
		// exports are large. Slow clients are bounded by the idle and
		// header timeouts, and by per-route limits.
		IdleTimeout: 120 * time.Second,
		ErrorLog:    slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	schedulerCtx, stopScheduler := context.WithCancel(ctx)
	defer stopScheduler()
	go s.Tasks.Run(schedulerCtx, s.schedule, s.log)
	go s.maintain(schedulerCtx)
	go s.Ingest.Watch(schedulerCtx, 15*time.Minute, s.log)
	go s.engagements.KeepWarm(schedulerCtx, time.Second, s.log)
	s.log.Info("socmap listening", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// maintain does the server's hourly housekeeping until ctx ends: sign-in
// attempts older than a day, which no limit looks at, are deleted, and the
// audit trail's head is signed when it has moved.
func (s *Server) maintain(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if _, err := s.DB.PruneLoginAttempts(ctx, time.Now().UTC().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
			s.log.Error("deleting old sign-in attempts", "err", err)
		}
		if c, signed, err := s.Notary.CheckpointIfChanged(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("audit trail checkpoint", "err", err)
		} else if signed {
			s.log.Info("audit trail checkpoint", "seq", c.Seq, "file", s.Notary.Path())
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// ProgressKept reports whether the server has the engagement's progress
// computed and current, as it computes the open engagements' ahead of
// their views: what a scale test waits for before it times a first view.
func (s *Server) ProgressKept(ctx context.Context, id int64) (bool, error) {
	return s.engagements.ProgressKept(ctx, id)
}
