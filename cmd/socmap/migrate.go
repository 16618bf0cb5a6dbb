package main

import (
	"fmt"
	"log/slog"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/transfer"
)

func newMigrateDBCmd(cfg *config.Config) *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "migrate-db --from sqlite:PATH --to postgres://…",
		Short: "Copy a SQLite installation into a new PostgreSQL database, and verify the copy",
		Long: "Copy every row of a SQLite installation into a new, empty PostgreSQL database in one\n" +
			"transaction, then check that every table has the same number of rows, that every evidence\n" +
			"file (in --data or --evidence-store) still matches its hash and that the audit trail verifies.\n" +
			"Stop the server first; afterwards start it with --db postgres://… and the same evidence store.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.ValidateEvidence(); err != nil {
				return err
			}
			ctx := cliContext(cmd.Context())
			src, err := store.Open(ctx, from)
			if err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			defer src.Close()
			dst, err := store.Open(ctx, to)
			if err != nil {
				return fmt.Errorf("--to: %w", err)
			}
			defer dst.Close()
			blobs, err := app.OpenEvidence(ctx, *cfg, newLogger(slog.LevelWarn))
			if err != nil {
				return err
			}
			rep, err := transfer.Copy(ctx, src, dst, blobs)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			for _, t := range rep.Tables {
				fmt.Fprintf(w, "%s\t%d rows\n", t.Table, t.Rows)
			}
			w.Flush()
			fmt.Fprintf(cmd.OutOrStdout(), "Copied and verified: row counts match, %d evidence files match their hashes, %d audit entries verify.\n",
				rep.EvidenceFiles, rep.AuditEntries)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the SQLite database to copy (sqlite:PATH or a path)")
	cmd.Flags().StringVar(&to, "to", "", "the new PostgreSQL database (postgres://user:pass@host/db)")
	cmd.MarkFlagRequired("from")
	cmd.MarkFlagRequired("to")
	cmd.Flags().StringVar(&cfg.DataDir, "data", cfg.DataDir, "data directory whose evidence files are checked")
	cfg.BindEvidence(cmd.Flags())
	return cmd
}
