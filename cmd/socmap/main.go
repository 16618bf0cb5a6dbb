// Command socmap is the compliance evidence-mapping tracker: the web server
// and the command-line tools that share its database.
package main

import (
	"fmt"
	"os"
	// Time zones for --timezone even on a machine without a zoneinfo database.
	_ "time/tzdata"

	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/config"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "socmap:", err)
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	cfg := config.Defaults()
	root := &cobra.Command{
		Use:   "socmap",
		Short: "Map controls and evidence to SOC 2 criteria and SOC 1 objectives, and track audits",
		Long: "socmap maps an organisation's controls and evidence to the SOC 2 Trust Services\n" +
			"Criteria and its SOC 1 control objectives, shows the gaps, tracks Type I and\n" +
			"Type II audit engagements and exports the workbooks auditors work from.",
		SilenceUsage:  true,
		SilenceErrors: true,
		// The settings the command line left alone come from SOCMAP_*
		// variables, before any command validates or uses them.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return cfg.LoadEnv(cmd.Flags(), os.LookupEnv)
		},
	}
	root.AddCommand(newVersionCmd(), newServeCmd(&cfg), newCatalogCmd(&cfg), newUserCmd(&cfg), newAuditCmd(&cfg), newExportCmd(&cfg), newImportCmd(&cfg), newDemoCmd(&cfg), newIngestCmd(&cfg), newMigrateDBCmd(&cfg), newBackupCmd(&cfg), newRestoreCmd(&cfg), newEvidenceCmd(&cfg), newOpenAPICmd())
	return root
}
