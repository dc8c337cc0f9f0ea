package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// token manages API tokens: vouch token create|list|revoke.
func (m *Main) token(ctx context.Context, args []string) error {
	ctx = m.cliActor(ctx)
	if len(args) == 0 {
		fmt.Fprintln(m.Stderr, "Usage: vouch token create --email E [--name N] | list | revoke ID")
		return usageError{}
	}
	switch args[0] {
	case "create":
		var name *string
		return m.withUser(ctx, "token create", args[1:], func(fs *flagSet) {
			name = fs.String("name", "API token", "what the token is for, e.g. \"CRM sync\"")
		}, func(db *store.DB, u *vouch.User) error {
			secret, t, err := db.CreateToken(ctx, u.ID, *name)
			if err != nil {
				return err
			}
			fmt.Fprintln(m.Stdout, secret)
			fmt.Fprintf(m.Stderr, "Token %d for %s created. It is shown only once: store it now.\n", t.ID, u.Email)
			return nil
		})
	case "list":
		fs := m.newFlagSet("token list", "")
		dbf := fs.database()
		if err := fs.parse(args[1:]); err != nil {
			return err
		}
		db, err := dbf.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		tokens, err := db.ListTokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPREFIX\tUSER\tNAME\tCREATED\tLAST USED\tSTATUS")
		for _, t := range tokens {
			used, status := "never", "active"
			if t.LastUsedAt != nil {
				used = t.LastUsedAt.Format("2006-01-02 15:04")
			}
			if t.RevokedAt != nil {
				status = "revoked"
			}
			fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, t.UserEmail, t.Name,
				t.CreatedAt.Format("2006-01-02"), used, status)
		}
		return tw.Flush()
	case "revoke":
		fs := m.newFlagSet("token revoke", "ID")
		dbf := fs.database()
		if err := fs.parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usageError{"name the id of the token to revoke (see vouch token list)"}
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return usageError{fmt.Sprintf("token id %q is not a number", fs.Arg(0))}
		}
		db, err := dbf.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.RevokeToken(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Token %d revoked.\n", id)
		return nil
	}
	return usageError{fmt.Sprintf("unknown subcommand %q; use create, list or revoke", args[0])}
}
