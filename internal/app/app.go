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

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/httpapi"
	"github.com/socmap/socmap/internal/store"
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
	return db, nil
}

// Server is a running-ready socmap web server.
type Server struct {
	DB      *store.DB
	Handler http.Handler
	log     *slog.Logger
	cfg     config.Config
}

// New opens the store and builds the router.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, ui fs.FS) (*Server, error) {
	db, err := OpenStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	blobs, err := blob.Open(cfg.EvidenceDir())
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
	engagements.Organisation = cfg.Organisation
	settings := auth.DefaultSettings()
	settings.IdleTimeout, settings.AbsoluteTimeout = cfg.SessionIdle, cfg.SessionMax
	router, err := httpapi.NewRouter(httpapi.Deps{
		Log:            log,
		DB:             db,
		Catalog:        catalog.NewService(db),
		Auth:           auth.NewService(db, settings, nil),
		Controls:       controls.NewService(db),
		Evidence:       evidence.NewService(db, blobs, cfg.MaxUploadMiB<<20),
		Engagements:    engagements,
		ExportDir:      filepath.Join(cfg.DataDir, "tmp"),
		Blobs:          blobs,
		UI:             ui,
		TrustedProxies: cfg.TrustedProxies,
		SecureCookies:  cfg.SecureCookies,
		SessionMax:     cfg.SessionMax,
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("router: %w", err)
	}
	return &Server{DB: db, Handler: router, log: log, cfg: cfg}, nil
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
