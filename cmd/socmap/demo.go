package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/tasks"
)

func newDemoCmd(cfg *config.Config) *cobra.Command {
	var seed uint64
	var today, size string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Load Larkspur Payroll, a realistic fictional organisation, into an empty installation",
		Long: "Load the demo organisation: a payroll SaaS with a SOC 1 Type II and a SOC 2 Type II under way,\n" +
			"about 90 controls, owners, evidence with a few gaps, populations, samples, exceptions, CUECs and a\n" +
			"carved-out cloud provider. The same --seed and --today give the same data. It prints the demo\n" +
			"administrator's password once; the other demo accounts get random passwords an admin can reset.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			day := time.Now().UTC()
			if today != "" {
				var err error
				if day, err = time.Parse(time.DateOnly, today); err != nil {
					return fmt.Errorf("--today %q: expected a date such as 2026-11-24", today)
				}
			}
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				blobs, err := app.OpenEvidence(ctx, *cfg, newLogger(slog.LevelWarn))
				if err != nil {
					return err
				}
				t := tasks.NewService(db, engagement.NewService(db, nil), tasks.DefaultSettings())
				load := demo.Load
				switch size {
				case "large":
					load = demo.LoadLarge
				case "demo":
				default:
					return fmt.Errorf("--size %q: expected demo or large", size)
				}
				r, err := load(ctx, db, blobs, t, demo.Options{Seed: seed, Today: day})
				if err != nil {
					return describe(err)
				}
				out := cmd.OutOrStdout()
				name := demo.Organisation
				if size == "large" {
					name = "the large programme"
				}
				fmt.Fprintf(out, "Loaded %s: %d controls, %d evidence files, %d engagements, %d accounts.\n",
					name, r.Controls, r.Evidence, len(r.Engagements), r.Users)
				if r.AdminPassword != "" {
					fmt.Fprintf(out, "Sign in as %s with the password %s (shown once).\n", r.AdminEmail, r.AdminPassword)
				}
				return nil
			})
		},
	}
	cmd.Flags().Uint64Var(&seed, "seed", demo.DefaultSeed, "seed of the generated data")
	cmd.Flags().StringVar(&today, "today", "", "the day the demo is built around, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&size, "size", "demo", "demo: Larkspur Payroll; large: 1,000 controls, 10 engagements, 100,000 evidence records, 5,000 sampled items, 50 users (for scale tests)")
	cfg.BindStorage(cmd.Flags())
	return cmd
}
