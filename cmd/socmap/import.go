package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/store"
)

func newImportCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import data from spreadsheets",
	}
	var apply bool
	sub := &cobra.Command{
		Use:   "controls FILE",
		Short: "Import a control matrix (XLSX or CSV); a dry run unless --apply",
		Long: "Import a control matrix: columns reference, title, description, owner e-mail,\n" +
			"frequency, nature, type, key and mapped requirement IDs (e.g. \"CC6.1; CC6.2\").\n" +
			"Without --apply it only shows what each row would create or update and every\n" +
			"problem with its row and column. With --apply all rows are written in one\n" +
			"transaction, or none if any row has a problem. Importing is idempotent by\n" +
			"reference, and a workbook exported by socmap imports back unchanged.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			matrix, err := controls.ReadMatrix(filepath.Base(args[0]), f)
			if err != nil {
				return describe(err)
			}
			var plan controls.Plan
			err = withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				var err error
				plan, err = controls.NewService(db).Import(ctx, matrix, apply)
				return err
			})
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ROW\tREFERENCE\tACTION\tCHANGES")
			for _, c := range plan.Changes {
				fmt.Fprintf(w, "%d\t%s\t%s\t%v\n", c.Row, c.Ref, c.Action, c.Changes)
			}
			w.Flush()
			for _, p := range plan.Warnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "note: column %s (%s): %s\n", p.Column, p.Cell, p.Reason)
			}
			for _, p := range plan.Problems {
				fmt.Fprintf(cmd.ErrOrStderr(), "row %d, column %s: %s\n", p.Row, orCell(p.Column, p.Cell), p.Reason)
			}
			switch {
			case len(plan.Problems) > 0:
				return fmt.Errorf("%d problem(s); nothing was imported", len(plan.Problems))
			case plan.Applied:
				fmt.Fprintln(cmd.OutOrStdout(), "imported")
			default:
				fmt.Fprintln(cmd.OutOrStdout(), "dry run: nothing was changed; add --apply to import")
			}
			return nil
		},
	}
	sub.Flags().BoolVar(&apply, "apply", false, "write the changes (default: dry run)")
	cfg.BindStorage(sub.Flags())
	cmd.AddCommand(sub)
	return cmd
}

// orCell names where a problem is: the field, or the cell when the
// column has no field.
func orCell(column, cell string) string {
	if column == "" {
		return cell
	}
	return column
}
