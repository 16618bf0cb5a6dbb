package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/transfer"
)

func newBackupCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the installation (database and evidence) while it serves",
		Long: "Write a tar archive with a snapshot of the SQLite database, every evidence file it refers to\n" +
			"(read from the evidence store: the data directory or --evidence-store) and manifest.sha256\n" +
			"(check it with `sha256sum -c` after unpacking). The server may keep running.\n" +
			"On PostgreSQL back up the database with pg_dump and the evidence store with your file or bucket backup.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cfg.ValidateStorage(); err != nil {
				return err
			}
			dialect, path, err := store.ParseDSN(cfg.DSN())
			if err != nil {
				return err
			}
			loc, err := cfg.Evidence()
			if err != nil {
				return err
			}
			if dialect != store.SQLite {
				return fmt.Errorf("socmap backup copies a SQLite installation; for PostgreSQL use pg_dump and back up the evidence store %s", loc)
			}
			if _, err := os.Stat(path); err != nil {
				return fmt.Errorf("no database to back up: %w", err)
			}
			ctx := cliContext(cmd.Context())
			blobs, err := app.OpenEvidenceAt(ctx, *cfg, loc, newLogger(slog.LevelWarn))
			if err != nil {
				return err
			}
			var rep transfer.BackupReport
			err = writeAtomically(args[0], func(w io.Writer) error {
				var err error
				rep, err = transfer.Backup(ctx, path, blobs, w)
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Backed up the database (%d bytes) and %d evidence files to %s.\n", rep.DatabaseBytes, rep.EvidenceFiles, args[0])
			return nil
		},
	}
	cfg.BindStorage(cmd.Flags())
	return cmd
}

func newRestoreCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore FILE --data DIR",
		Short: "Restore a backup into a data directory that has no database yet",
		Long: "Unpack a socmap backup into --data (the database) and the evidence store (the data directory or\n" +
			"--evidence-store), checking every file against its manifest and the database with PRAGMA\n" +
			"integrity_check before anything is put in place. An existing database is never overwritten.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cfg.ValidateStorage(); err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			ctx := cliContext(cmd.Context())
			blobs, err := app.OpenEvidence(ctx, *cfg, newLogger(slog.LevelWarn))
			if err != nil {
				return err
			}
			rep, err := transfer.Restore(ctx, f, cfg.DataDir, blobs)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Restored the database into %s and %d evidence files into %s.\n", cfg.DataDir, rep.EvidenceFiles, blobs)
			return nil
		},
	}
	cfg.BindStorage(cmd.Flags())
	return cmd
}
