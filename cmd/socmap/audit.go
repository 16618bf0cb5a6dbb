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
	"github.com/socmap/socmap/internal/store"
)

func newAuditCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check the tamper-evident audit trail",
	}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit trail's hash chain and name the first altered or removed entry",
		Long: "Walk the whole audit trail in order, recompute every entry's hash and check\n" +
			"each link to the previous entry. Exits non-zero naming the first entry that\n" +
			"was altered or removed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				n, err := auditlog.Verify(ctx, db)
				if err != nil {
					var b *auditlog.Break
					if errors.As(err, &b) {
						return fmt.Errorf("audit trail broken after %d good entries: %w", n, err)
					}
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "audit trail intact: %d entries verified\n", n)
				return nil
			})
		},
	}
	cfg.BindStorage(verify.Flags())
	cmd.AddCommand(verify)
	return cmd
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
