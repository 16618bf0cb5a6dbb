package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/socmap/socmap/internal/app"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/config"
	"github.com/socmap/socmap/internal/store"
)

func newUserCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Create and manage accounts from the command line",
	}
	cmd.AddCommand(newUserCreateCmd(cfg), newUserListCmd(cfg), newUserDisableCmd(cfg))
	return cmd
}

// cliContext marks changes made from the command line in the audit trail
// with the operating-system user who ran the command.
func cliContext(ctx context.Context) context.Context {
	who := "cli"
	if u, err := user.Current(); err == nil {
		who = "cli:" + u.Username
	}
	return auditlog.WithActor(ctx, auditlog.Actor{Label: who, Via: "cli"})
}

// withStore opens the configured database for a command and closes it after.
func withStore(cmd *cobra.Command, cfg *config.Config, fn func(ctx context.Context, db *store.DB) error) error {
	if err := cfg.ValidateStorage(); err != nil {
		return err
	}
	db, err := app.OpenStore(cmd.Context(), *cfg, newLogger(slog.LevelWarn))
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(cliContext(cmd.Context()), db)
}

func newUserCreateCmd(cfg *config.Config) *cobra.Command {
	var in auth.NewUser
	cmd := &cobra.Command{
		Use:   "create --email ADDRESS --role ROLE",
		Short: "Create an account; the password is read from the terminal or standard input",
		Long: "Create an account. The password is never a flag: it is asked for twice on a\n" +
			"terminal, or read from the first line of standard input otherwise, e.g.\n" +
			"  socmap user create --email lead@example.com --role admin\n" +
			"Roles: admin, compliance, owner, auditor (needs --access-until), viewer.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			password, err := readPassword(cmd.InOrStdin(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			in.Password = password
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				u, err := auth.NewService(db, auth.DefaultSettings(), nil).CreateUser(ctx, auth.Trusted, in)
				if err != nil {
					return describe(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created %s (%s), id %d\n", u.Email, u.Role, u.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&in.Email, "email", "", "e-mail address, used to sign in (required)")
	cmd.Flags().StringVar(&in.Role, "role", "", "admin, compliance, owner, auditor or viewer (required)")
	cmd.Flags().StringVar(&in.Name, "name", "", "display name")
	cmd.Flags().StringVar(&in.AccessUntil, "access-until", "", "last day of access, YYYY-MM-DD (required for auditors)")
	cmd.MarkFlagRequired("email")
	cmd.MarkFlagRequired("role")
	cfg.BindStorage(cmd.Flags())
	return cmd
}

// readPassword asks twice on a terminal without echo, or reads one line
// from a pipe.
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		fmt.Fprint(prompt, "Repeat password: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		if string(first) != string(second) {
			return "", errors.New("the passwords do not match")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func newUserListCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				users, err := db.ListUsers(ctx)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tEMAIL\tROLE\tACCESS UNTIL\tSTATE")
				for _, u := range users {
					state, until := "active", "-"
					if u.DisabledAt != nil {
						state = "disabled"
					}
					if u.AccessUntil != nil {
						until = *u.AccessUntil
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Role, until, state)
				}
				return w.Flush()
			})
		},
	}
	cfg.BindStorage(cmd.Flags())
	return cmd
}

func newUserDisableCmd(cfg *config.Config) *cobra.Command {
	var email string
	cmd := &cobra.Command{
		Use:   "disable --email ADDRESS",
		Short: "Disable an account; its sessions and API tokens stop working at once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, cfg, func(ctx context.Context, db *store.DB) error {
				u, err := db.UserByEmail(ctx, email)
				if err != nil {
					return fmt.Errorf("no account %q", email)
				}
				disabled := true
				if _, err := auth.NewService(db, auth.DefaultSettings(), nil).UpdateUser(ctx, auth.Trusted, u.ID,
					auth.UserPatch{Disabled: &disabled}); err != nil {
					return describe(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "disabled %s\n", u.Email)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "e-mail address of the account (required)")
	cmd.MarkFlagRequired("email")
	cfg.BindStorage(cmd.Flags())
	return cmd
}
