package main

import (
	"github.com/spf13/cobra"

	"github.com/socmap/socmap/internal/httpapi"
)

// The web app's TypeScript types are generated from this description
// (make openapi), so it is printed without a server or a database.
func newOpenAPICmd() *cobra.Command {
	return &cobra.Command{
		Use:   "openapi",
		Short: "Print the API description (OpenAPI 3.1) that /api/v1/openapi.json serves",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc, err := httpapi.OpenAPIJSON()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(doc)
			return err
		},
	}
}
