package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/transfer"
)

func newBackupCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the installation (database and evidence) while it serves",
		Long: "Write a tar archive with a snapshot of the SQLite database, every evidence file it refers to\n" +
			"and manifest.sha256 (check it with `sha256sum -c` after unpacking). The server may keep running.\n" +
			"On PostgreSQL back up the database with pg_dump and the evidence directory with your file backup.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cfg.ValidateStorage(); err != nil {
				return err
			}
			dialect, path, err := store.ParseDSN(cfg.DSN())
			if err != nil {
				return err
			}
			if dialect != store.SQLite {
				return fmt.Errorf("socmap backup copies a SQLite installation; for PostgreSQL use pg_dump and back up %s", cfg.EvidenceDir())
			}
			if _, err := os.Stat(path); err != nil {
				return fmt.Errorf("no database to back up: %w", err)
			}
			var rep transfer.BackupReport
			err = writeAtomically(args[0], func(w io.Writer) error {
				var err error
				rep, err = transfer.Backup(cliContext(cmd.Context()), path, cfg.EvidenceDir(), w)
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
		Long: "Unpack a socmap backup into --data, checking every file against its manifest and the database\n" +
			"with PRAGMA integrity_check before anything is put in place. An existing database is never overwritten.",
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
			rep, err := transfer.Restore(cliContext(cmd.Context()), f, cfg.DataDir)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Restored the database and %d evidence files into %s.\n", rep.EvidenceFiles, cfg.DataDir)
			return nil
		},
	}
	cfg.BindStorage(cmd.Flags())
	return cmd
}
