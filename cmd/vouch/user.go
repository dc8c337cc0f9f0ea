package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// cliActor is who the audit log names for changes made from the command
// line: "cli:" and the operating-system user.
func (m *Main) cliActor(ctx context.Context) context.Context {
	return vouch.WithActor(ctx, vouch.Actor{Label: "cli:" + m.osUser()})
}

// osUser names the operating-system user running the command: $USER or
// $LOGNAME as a shell sets them, else the account of the process's user id
// (services, cron and containers often set neither variable).
func (m *Main) osUser() string {
	for _, v := range []string{"USER", "LOGNAME"} {
		if name := m.Getenv(v); name != "" {
			return name
		}
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "uid " + strconv.Itoa(os.Getuid())
}

// user manages users: vouch user add|list|set-role|set-password|disable|enable.
func (m *Main) user(ctx context.Context, args []string) error {
	sub := map[string]func(context.Context, []string) error{
		"add": m.userAdd, "list": m.userList, "set-role": m.userSetRole,
		"set-password": m.userSetPassword, "disable": m.userDisable(true), "enable": m.userDisable(false),
	}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprintln(m.Stderr, "Usage: vouch user add|list|set-role|set-password|disable|enable [flags]")
		fmt.Fprintln(m.Stderr, "  add          --email E --name N --role R   (password from standard input, or prompted)")
		fmt.Fprintln(m.Stderr, "  list")
		fmt.Fprintln(m.Stderr, "  set-role     --email E --role R")
		fmt.Fprintln(m.Stderr, "  set-password --email E                    (password from standard input, or prompted)")
		fmt.Fprintln(m.Stderr, "  disable      --email E")
		fmt.Fprintln(m.Stderr, "  enable       --email E")
		fmt.Fprintln(m.Stderr, "Roles: admin, program_manager, team_member, seller, viewer.")
		if len(args) == 0 {
			return usageError{}
		}
		return usageError{fmt.Sprintf("unknown subcommand %q", args[0])}
	}
	return sub[args[0]](m.cliActor(ctx), args[1:])
}

// readPassword prompts twice on a terminal, else reads the first line of standard input.
func (m *Main) readPassword() (string, error) {
	if m.StdinIsTerminal != nil && m.StdinIsTerminal() {
		fmt.Fprint(m.Stderr, "Password: ")
		a, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(m.Stderr, "Again: ")
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", fmt.Errorf("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("no password on standard input; pipe one in, e.g. echo \"$PASSWORD\" | vouch user add …")
	}
	return pw, nil
}

func (m *Main) userAdd(ctx context.Context, args []string) error {
	fs := m.newFlagSet("user add", "")
	email := fs.String("email", "", "email address (the login)")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "admin, program_manager, team_member, seller or viewer")
	zone := fs.String("time-zone", "", "where they read times, like Europe/Berlin (default: the program's zone)")
	dbf := fs.database()
	if err := fs.parse(args); err != nil {
		return err
	}
	if *email == "" || *name == "" || *role == "" {
		fs.Usage()
		return usageError{"--email, --name and --role are required"}
	}
	if err := checkFlagText(map[string]string{"email": *email, "name": *name, "role": *role, "time-zone": *zone}); err != nil {
		return err
	}
	u := &vouch.User{Email: *email, Name: *name, Role: vouch.Role(*role), TimeZone: *zone}
	if err := u.Validate(); err != nil { // before asking for a password
		return err
	}
	pw, err := m.readPassword()
	if err != nil {
		return err
	}
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateUser(ctx, u, pw); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Added %s <%s> as %s.\n", u.Name, u.Email, u.Role.Label())
	return nil
}

func (m *Main) userList(ctx context.Context, args []string) error {
	fs := m.newFlagSet("user list", "")
	dbf := fs.database()
	if err := fs.parse(args); err != nil {
		return err
	}
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATUS")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		// Names stored before control characters were refused are escaped,
		// so none can move the cursor or rewrite the terminal.
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, vouch.Printable(u.Email), vouch.Printable(u.Name), vouch.Printable(string(u.Role)), status)
	}
	return tw.Flush()
}

// checkFlagText refuses flag values with control characters or invalid
// UTF-8, as the pages and the API do: a name holding an escape sequence
// would rewrite the terminal of whoever lists the users.
func checkFlagText(flags map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		if err := vouch.CheckText(name, flags[name], false); err != nil {
			return fmt.Errorf("--%s: %s", name, vouch.ErrorMessage(err))
		}
	}
	return nil
}

// withUser parses --email plus extra flags, opens the database and finds the user.
func (m *Main) withUser(ctx context.Context, name string, args []string, extra func(*flagSet), fn func(*store.DB, *vouch.User) error) error {
	fs := m.newFlagSet(name, "")
	email := fs.String("email", "", "email address of the user")
	if extra != nil {
		extra(fs)
	}
	dbf := fs.database()
	if err := fs.parse(args); err != nil {
		return err
	}
	if *email == "" {
		fs.Usage()
		return usageError{"--email is required"}
	}
	if err := checkFlagText(map[string]string{"email": *email}); err != nil {
		return err
	}
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, *email)
	if err != nil {
		return err
	}
	return fn(db, u)
}

func (m *Main) userSetRole(ctx context.Context, args []string) error {
	var role *string
	return m.withUser(ctx, "user set-role", args, func(fs *flagSet) {
		role = fs.String("role", "", "admin, program_manager, team_member, seller or viewer")
	}, func(db *store.DB, u *vouch.User) error {
		if err := checkFlagText(map[string]string{"role": *role}); err != nil {
			return err
		}
		r := vouch.Role(*role)
		if _, err := db.UpdateUser(ctx, u.ID, vouch.UserUpdate{Role: &r}); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s is now %s.\n", u.Email, r.Label())
		return nil
	})
}

func (m *Main) userSetPassword(ctx context.Context, args []string) error {
	return m.withUser(ctx, "user set-password", args, nil, func(db *store.DB, u *vouch.User) error {
		pw, err := m.readPassword()
		if err != nil {
			return err
		}
		if err := db.SetPassword(ctx, u.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Password of %s changed; their sessions have ended.\n", u.Email)
		return nil
	})
}

func (m *Main) userDisable(disable bool) func(context.Context, []string) error {
	name := "user enable"
	if disable {
		name = "user disable"
	}
	return func(ctx context.Context, args []string) error {
		return m.withUser(ctx, name, args, nil, func(db *store.DB, u *vouch.User) error {
			if _, err := db.UpdateUser(ctx, u.ID, vouch.UserUpdate{Disabled: &disable}); err != nil {
				return err
			}
			if disable {
				fmt.Fprintf(m.Stdout, "%s is disabled and signed out everywhere.\n", u.Email)
			} else {
				fmt.Fprintf(m.Stdout, "%s is enabled.\n", u.Email)
			}
			return nil
		})
	}
}
