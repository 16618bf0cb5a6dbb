package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/reporting"
	"github.com/socmap/socmap/internal/signing"
	"github.com/socmap/socmap/internal/store"
)

func newExportCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write an engagement's auditor deliverables to files",
	}
	kinds := []struct {
		use, short string
		write      func(r reporting.Reporter, ctx context.Context, id int64, w io.Writer) error
	}{
		{"workbook", "Write the engagement's auditor workbook (XLSX)", reporting.Reporter.Workbook},
		{"package", "Write the evidence package (ZIP: workbook, evidence files, manifest.sha256)", reporting.Reporter.Package},
	}
	for _, k := range kinds {
		var id int64
		var out string
		sub := &cobra.Command{
			Use:   k.use + " --engagement ID -o FILE",
			Short: k.short,
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
					rep, err := reporter(ctx, cfg, db)
					if err != nil {
						return err
					}
					return writeAtomically(out, func(w io.Writer) error { return k.write(rep, ctx, id, w) })
				})
			},
		}
		sub.Flags().Int64Var(&id, "engagement", 0, "engagement ID (required)")
		sub.Flags().StringVarP(&out, "output", "o", "", "file to write (required)")
		sub.MarkFlagRequired("engagement")
		sub.MarkFlagRequired("output")
		cfg.BindStorage(sub.Flags())
		cmd.AddCommand(sub)
	}
	cmd.AddCommand(newExportCSVCmd(cfg))
	return cmd
}

func newExportCSVCmd(cfg *config.Config) *cobra.Command {
	var id int64
	var sheet, out string
	sub := &cobra.Command{
		Use:   "csv --engagement ID --sheet NAME -o FILE",
		Short: "Write one sheet of the engagement's workbook as CSV (e.g. --sheet \"Evidence index\")",
		Long: "Write one sheet of the engagement's workbook as CSV: UTF-8 with a byte-order mark,\n" +
			"every text field quoted and neutralised for any separator setting. The sheet is\n" +
			"named as in the workbook, in any case: Summary, \"Control matrix\", \"Section IV\",\n" +
			"\"Evidence index\", … The XLSX workbook stays the lossless format.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				rep, err := reporter(ctx, cfg, db)
				if err != nil {
					return err
				}
				return describe(writeAtomically(out, func(w io.Writer) error { return rep.CSV(ctx, id, sheet, w) }))
			})
		},
	}
	sub.Flags().Int64Var(&id, "engagement", 0, "engagement ID (required)")
	sub.Flags().StringVar(&sheet, "sheet", "", "the sheet to write (required)")
	sub.Flags().StringVarP(&out, "output", "o", "", "file to write (required)")
	sub.MarkFlagRequired("engagement")
	sub.MarkFlagRequired("sheet")
	sub.MarkFlagRequired("output")
	cfg.BindStorage(sub.Flags())
	return sub
}

func reporter(ctx context.Context, cfg *config.Config, db *store.DB) (reporting.Reporter, error) {
	blobs, err := app.OpenEvidence(ctx, *cfg, newLogger(slog.LevelWarn))
	if err != nil {
		return reporting.Reporter{}, err
	}
	table, err := engagement.ParseSampleTable(cfg.SampleTable)
	if err != nil {
		return reporting.Reporter{}, err
	}
	svc := engagement.NewService(db, table)
	svc.GraceDays = cfg.Tasks.GraceDays
	key, err := signing.LoadOrCreate(cfg.DataDir)
	if err != nil {
		return reporting.Reporter{}, err
	}
	return reporting.Reporter{Engagements: svc, DB: db, Blobs: blobs, TmpDir: filepath.Join(cfg.DataDir, "tmp"),
		Notary: auditlog.NewNotary(db, key, cfg.DataDir)}, nil
}

// writeAtomically writes to a temporary file beside path, fsyncs it and
// renames it into place only when complete, then fsyncs the folder: a
// failed export or a crash leaves the old file or none, never half of one.
// A file it replaces keeps its permissions; a new one is 0600 (a backup
// holds the whole database).
func writeAtomically(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := renameio.NewPendingFile(path, renameio.WithTempDir(dir), renameio.WithExistingPermissions())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Cleanup(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.CloseAtomicallyReplace(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return d.Close()
}
