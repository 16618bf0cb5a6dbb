package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/ingest"
	"github.com/socmap/socmap/internal/store"
)

func newIngestCmd(cfg *config.Config) *cobra.Command {
	var in ingest.Input
	var scannedAt string
	cmd := &cobra.Command{
		Use:   "ingest FILE [--source NAME]",
		Short: "Ingest a scanner's output: Prowler, Powerpipe/Steampipe, InSpec, OSCAL or the generic format",
		Long: "Ingest a scanner's output file, recognised from its content: Prowler OCSF JSON or its\n" +
			"SOC 2 compliance CSV, Powerpipe or Steampipe benchmark JSON, Chef InSpec JSON, OSCAL\n" +
			"assessment results, or socmap's generic JSON or CSV (see docs/ingest.md). The file is\n" +
			"kept as evidence, its results as rows; checks map to controls by the rules and by the\n" +
			"SOC 2 criteria the tool tags them with. The same scan twice is ingested once.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if scannedAt != "" {
				t, err := time.Parse(time.RFC3339, scannedAt)
				if err != nil {
					return fmt.Errorf("--scanned-at %q: expected a date and time such as 2026-03-02T02:00:00Z", scannedAt)
				}
				in.ScannedAt = t
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			in.Body, in.FileName = f, filepath.Base(args[0])
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				svc, err := app.Ingester(ctx, db, *cfg, newLogger(slog.LevelWarn))
				if err != nil {
					return err
				}
				out, err := svc.Ingest(ctx, in)
				if e, ok := apperr.As(err); ok && len(e.Fields) == 1 && e.Fields["file"] != "" {
					return errors.New(e.Message) // it says what the field would
				}
				if err != nil {
					return describe(err)
				}
				return printIngested(cmd, ctx, svc, out)
			})
		},
	}
	cmd.Flags().StringVar(&in.Source, "source", "", "the source's name, e.g. aws-prod (default: the tool's)")
	cmd.Flags().StringVar(&in.ScanID, "scan-id", "", "the scan's id, when the file has none of its own (e.g. the CI job's)")
	cmd.Flags().StringVar(&scannedAt, "scanned-at", "", "when the scan ran (RFC 3339), when the file does not say")
	cfg.BindIngest(cmd.Flags())
	cfg.BindStorage(cmd.Flags())
	return cmd
}

func printIngested(cmd *cobra.Command, ctx context.Context, svc *ingest.Service, out ingest.Ingested) error {
	w := cmd.OutOrStdout()
	r := out.Run
	if !out.Created {
		fmt.Fprintf(w, "already ingested as run %d (scan %s); nothing changed\n", r.ID, r.ScanID)
		return nil
	}
	fmt.Fprintf(w, "run %d: %s scan of %s at %s, evidence %d\n", r.ID, r.Tool, out.Source.Name, r.ScannedAt.Format(time.RFC3339), r.EvidenceID)
	fmt.Fprintf(w, "results: %d passed, %d failed, %d could not run, %d skipped\n", r.Passed, r.Failed, r.Errored, r.Skipped)
	for _, g := range []struct {
		label string
		ids   []int64
	}{{"controls passed", out.Passed}, {"controls failed", out.Failed}} {
		refs, err := svc.ControlRefs(ctx, g.ids)
		if err != nil {
			return err
		}
		names := make([]string, len(refs))
		for i, c := range refs {
			names[i] = c.Ref
		}
		fmt.Fprintf(w, "%s: %s\n", g.label, orNone(strings.Join(names, ", ")))
	}
	fmt.Fprintf(w, "checks no control takes: %s\n", orNone(strings.Join(out.Unmapped, ", ")))
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
