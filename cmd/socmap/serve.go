package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/frontend"
	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/config"
)

func newServeCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the web server (UI and API)",
		Long: "Run the socmap web server: the web UI at /, the JSON API under /api/v1,\n" +
			"/healthz (process up) and /readyz (database reachable, schema current).\n" +
			"The database is migrated and the catalogs are loaded at start-up.\n" +
			"SIGINT or SIGTERM stops it gracefully.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.ValidateServer(); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, *cfg)
		},
	}
	cfg.BindStorage(cmd.Flags())
	cfg.BindServer(cmd.Flags())
	return cmd
}

func serve(ctx context.Context, cfg config.Config) error {
	log := newLogger(cfg.LogLevel)
	srv, err := app.New(ctx, cfg, log, frontend.Dist())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		srv.DB.Close()
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	return srv.Serve(ctx, ln)
}

func newLogger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}
