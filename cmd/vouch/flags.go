package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/notify"
	"github.com/vouchhq/vouch/internal/store"
)

// flagSet is a flag.FlagSet whose defaults come from VOUCH_* variables:
// every flag --some-name is also VOUCH_SOME_NAME.
type flagSet struct {
	*flag.FlagSet
	m       *Main
	envErrs []string
	fromEnv map[string]bool // flags that also read VOUCH_*
}

func (m *Main) newFlagSet(name, args string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("vouch "+name, flag.ContinueOnError), m: m, fromEnv: map[string]bool{}}
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: vouch %s [flags] %s\n\nFlags ([VOUCH_…]: also read from that environment variable):\n", name, args)
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" && f.DefValue != "false" {
				def = fmt.Sprintf(" (default %q)", f.DefValue)
			}
			env := ""
			if fs.fromEnv[f.Name] {
				env = " [" + envName(f.Name) + "]"
			}
			fmt.Fprintf(m.Stderr, "  --%-16s %s%s%s\n", f.Name, f.Usage, env, def)
		})
	}
	return fs
}

func envName(flagName string) string {
	return "VOUCH_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (fs *flagSet) env(name string) (string, bool) {
	fs.fromEnv[name] = true
	v := fs.m.Getenv(envName(name))
	return v, v != ""
}

func (fs *flagSet) str(name, def, usage string) *string {
	if v, ok := fs.env(name); ok {
		def = v
	}
	return fs.String(name, def, usage)
}

func (fs *flagSet) boolean(name string, def bool, usage string) *bool {
	if v, ok := fs.env(name); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fs.envErrs = append(fs.envErrs, fmt.Sprintf("%s=%q is not true or false", envName(name), v))
		}
		def = b
	}
	return fs.Bool(name, def, usage)
}

func (fs *flagSet) integer(name string, def int, usage string) *int {
	if v, ok := fs.env(name); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			fs.envErrs = append(fs.envErrs, fmt.Sprintf("%s=%q is not a whole number", envName(name), v))
		}
		def = n
	}
	return fs.Int(name, def, usage)
}

// parse parses args; a bad flag or variable is a usage error (exit 2).
// Flags may come after positional arguments too (vouch backup FILE --data-dir D).
func (fs *flagSet) parse(args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return err
			}
			return usageError{} // flag already printed the problem and the usage
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			positional = append(positional, args[1:]...)
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
		return usageError{}
	}
	if len(fs.envErrs) > 0 {
		return usageError{strings.Join(fs.envErrs, "; ") + "."}
	}
	return nil
}

// dbFlags are the flags of every command that touches data; they mean the same everywhere.
type dbFlags struct {
	dataDir *string
	url     *string
}

func (fs *flagSet) database() dbFlags {
	return dbFlags{
		dataDir: fs.str("data-dir", "./data", "directory of the embedded SQLite database (created if missing)"),
		url:     fs.str("db", "", "PostgreSQL URL, e.g. postgres://vouch:secret@localhost:5432/vouch; overrides --data-dir"),
	}
}

// open opens and migrates the database the flags name.
func (d dbFlags) open(ctx context.Context) (*store.DB, error) {
	db, err := store.Open(ctx, store.Config{DataDir: *d.dataDir, URL: *d.url})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// smtpFlags are the mail settings of vouch serve. The password has no flag:
// it is read from VOUCH_SMTP_PASSWORD only, so it shows in no process list.
type smtpFlags struct {
	host, username, from, tls *string
	port                      *int
}

func (fs *flagSet) smtp() smtpFlags {
	return smtpFlags{
		host:     fs.str("smtp-host", "", "SMTP server that sends Vouch's mail; empty: mail stays in the outbox, unsent"),
		port:     fs.integer("smtp-port", 587, "SMTP port (465 is used with --smtp-tls tls unless set)"),
		username: fs.str("smtp-username", "", "SMTP user name; the password is read from VOUCH_SMTP_PASSWORD"),
		from:     fs.str("smtp-from", "", `sender of Vouch's mail, e.g. "Vouch <vouch@example.com>"`),
		tls:      fs.str("smtp-tls", notify.TLSStartTLS, "starttls (required STARTTLS), tls (TLS from the start) or none"),
	}
}

// config returns the mail settings after fs is parsed; a bad one is a usage error.
func (f smtpFlags) config(fs *flagSet) (notify.Config, error) {
	c := notify.Config{
		Host: strings.TrimSpace(*f.host), Port: *f.port, Username: *f.username,
		Password: fs.m.Getenv("VOUCH_SMTP_PASSWORD"), From: strings.TrimSpace(*f.from), TLS: *f.tls,
	}
	if c.TLS == notify.TLSImplicit && !fs.given("smtp-port") {
		c.Port = 465
	}
	if err := c.Validate(); err != nil {
		return c, usageError{err.Error() + "."}
	}
	return c, nil
}

// given reports whether the flag was set on the command line or by its variable.
func (fs *flagSet) given(name string) bool {
	set := fs.m.Getenv(envName(name)) != ""
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}
