package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/store"
)

func newCatalogCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Inspect and check the criteria catalogs",
	}
	cmd.AddCommand(newCatalogListCmd(cfg), newCatalogValidateCmd())
	return cmd
}

func newCatalogListCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the frameworks in the database with their requirement counts",
		Long: "List the frameworks loaded in the database (loading the built-in catalogs\n" +
			"first if they are missing or changed), with requirement counts per category.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				fws, err := db.ListFrameworks(ctx)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "FRAMEWORK\tVERSION\tCATEGORY\tREQUIREMENTS")
				for _, fw := range fws {
					fmt.Fprintf(w, "%s\t%s\t%s\t%d\n", fw.ID, fw.Version, "(all)", fw.RequirementCount)
					for _, c := range fw.Categories {
						fmt.Fprintf(w, "\t\t%s\t%d\n", c.Code, c.RequirementCount)
					}
				}
				return w.Flush()
			})
		},
	}
	cfg.BindStorage(cmd.Flags())
	return cmd
}

func newCatalogValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate [FILE...]",
		Short: "Check catalog files against the catalog schema",
		Long: "Check catalog files (YAML) against the catalog schema and report every\n" +
			"problem with its file, entry and reason. Without arguments the catalogs\n" +
			"built into this binary are checked. Exits non-zero when any file is invalid.",
		RunE: func(cmd *cobra.Command, args []string) error {
			files := map[string][]byte{}
			for _, name := range args {
				data, err := os.ReadFile(name)
				if err != nil {
					return err
				}
				files[name] = data
			}
			var cats []*catalog.Catalog
			var err error
			if len(args) == 0 {
				cats, err = catalog.Embedded()
			} else {
				cats, err = catalog.ParseAll(files, args)
			}
			if err != nil {
				return err
			}
			for _, c := range cats {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (%s, %d categories, %d requirements)\n",
					filepath.Base(c.Name), c.Framework.ID, len(c.Categories), len(c.Requirements))
			}
			return nil
		},
	}
}
