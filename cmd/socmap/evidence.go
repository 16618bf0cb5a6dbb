package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/transfer"
)

func newEvidenceCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "evidence",
		Short: "Manage the evidence store",
	}
	cmd.AddCommand(newEvidenceMigrateCmd(cfg))
	return cmd
}

func newEvidenceMigrateCmd(cfg *config.Config) *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "migrate --to s3://bucket/prefix",
		Short: "Copy every evidence file into another evidence store and verify each there",
		Long: "Copy every evidence file the database names from the current evidence store (--data or\n" +
			"--evidence-store) into the store given by --to (s3://bucket/prefix or a directory; the --s3-*\n" +
			"settings apply to a bucket), skipping files already there, then read each back from --to and\n" +
			"check it against its SHA-256. Stop the server first, then start it with --evidence-store set\n" +
			"to the new store. The old files are left in place.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dest, err := config.ParseEvidenceStore(to)
			if err != nil {
				return fmt.Errorf("--to: %w", err)
			}
			src, err := cfg.Evidence()
			if err != nil {
				return err
			}
			if dest == src {
				return fmt.Errorf("--to names the current evidence store %s", src)
			}
			if dest.IsS3() {
				if err := cfg.S3.Validate(); err != nil {
					return err
				}
			}
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				log := newLogger(slog.LevelWarn)
				from, err := app.OpenEvidenceAt(ctx, *cfg, src, log)
				if err != nil {
					return err
				}
				into, err := app.OpenEvidenceAt(ctx, *cfg, dest, log)
				if err != nil {
					return err
				}
				out, last := cmd.ErrOrStderr(), time.Now()
				rep, err := transfer.MoveEvidence(ctx, db, from, into, func(done, total int) {
					if time.Since(last) > 5*time.Second {
						fmt.Fprintf(out, "%d of %d steps (copy, then verify)\n", done, total)
						last = time.Now()
					}
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d evidence files in %s match their hashes (%d copied now). Start socmap with --evidence-store %s.\n",
					rep.Files, into, rep.Copied, dest)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the new evidence store: s3://bucket/prefix or a directory (required)")
	cmd.MarkFlagRequired("to")
	cfg.BindStorage(cmd.Flags())
	return cmd
}
