package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/signing"
	"github.com/socmap/socmap/internal/store"
)

func newAuditCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check the tamper-evident audit trail",
	}
	cmd.AddCommand(newAuditVerifyCmd(cfg), newAuditAnchorCmd(cfg))
	return cmd
}

func newAuditVerifyCmd(cfg *config.Config) *cobra.Command {
	var anchor string
	verify := &cobra.Command{
		Use:   "verify [--anchor FILE]",
		Short: "Check the audit trail's hash chain and signed checkpoints, naming the first altered or removed entry",
		Long: "Walk the whole audit trail in order, recompute every entry's hash and check\n" +
			"each link to the previous entry, then hold it to every signed checkpoint in the\n" +
			"data directory (" + auditlog.CheckpointFile + ") and, with --anchor, to a checkpoint\n" +
			"printed by `socmap audit anchor` and kept elsewhere. Exits non-zero naming the\n" +
			"first entry that was altered or removed, or the entries missing at the end.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				res, err := auditlog.VerifyInstallation(ctx, db, cfg.DataDir, anchor)
				if err != nil {
					var b *auditlog.Break
					if errors.As(err, &b) {
						return fmt.Errorf("audit trail broken after %d good entries: %w", res.Entries, err)
					}
					return fmt.Errorf("audit trail broken: %w", err)
				}
				out := cmd.OutOrStdout()
				if res.Newest == nil {
					fmt.Fprintf(out, "audit trail intact: %d entries verified; no signed checkpoints yet (the server writes them hourly and at every export)\n", res.Entries)
					return nil
				}
				fmt.Fprintf(out, "audit trail intact: %d entries verified against %d signed checkpoints (the newest covers #%d, %s)\n",
					res.Entries, res.Checkpoints, res.Newest.Seq, res.Newest.At.Format("2006-01-02 15:04:05Z07:00"))
				return nil
			})
		},
	}
	cfg.BindStorage(verify.Flags())
	verify.Flags().StringVar(&anchor, "anchor", "", "a checkpoint printed by `socmap audit anchor`, kept outside the server, to check the trail against too")
	return verify
}

func newAuditAnchorCmd(cfg *config.Config) *cobra.Command {
	anchor := &cobra.Command{
		Use:   "anchor",
		Short: "Sign the audit trail's current head and print it, to keep elsewhere",
		Long: "Verify the audit trail, then sign its newest entry's number and hash with the\n" +
			"server's key and print the checkpoint as one line of JSON, e.g.\n" +
			"  socmap audit anchor > anchor.json\n" +
			"Keep it where the database's administrators cannot change it (a ticket, an\n" +
			"e-mail); `socmap audit verify --anchor anchor.json` later proves every entry up\n" +
			"to it is still there, unchanged. The checkpoint is also added to the data\n" +
			"directory's checkpoint file and the administrators' outbox.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				if _, err := auditlog.VerifyInstallation(ctx, db, cfg.DataDir, ""); err != nil {
					return fmt.Errorf("not anchoring a broken audit trail: %w", err)
				}
				key, err := signing.LoadOrCreate(cfg.DataDir)
				if err != nil {
					return err
				}
				c, err := auditlog.NewNotary(db, key, cfg.DataDir).Checkpoint(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), c.String())
				return nil
			})
		},
	}
	cfg.BindStorage(anchor.Flags())
	return anchor
}

// describe turns a domain error into a message for the terminal, with the
// reason for each bad field.
func describe(err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	names := make([]string, 0, len(e.Fields))
	for name := range e.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	lines := []string{e.Message}
	for _, name := range names {
		lines = append(lines, "  "+name+": "+e.Fields[name])
	}
	return errors.New(strings.Join(lines, "\n"))
}
