// Command vouch runs the Vouch customer reference platform: the web server
// and the administrative commands that work on its database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/vouchhq/vouch/internal/vouch"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		StdinIsTerminal: func() bool { return term.IsTerminal(int(os.Stdin.Fd())) }}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main is the program with its environment made explicit, so tests can run
// every command in-process.
type Main struct {
	Stdin           io.Reader
	Stdout, Stderr  io.Writer
	Getenv          func(string) string
	StdinIsTerminal func() bool
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(m *Main, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web interface and JSON API", (*Main).serve},
		{"migrate", "apply database migrations and exit", (*Main).migrate},
		{"user", "manage users: add, list, set-role, set-password, disable, enable", (*Main).user},
		{"token", "manage API tokens: create, list, revoke", (*Main).token},
		{"demo", "load the demo dataset into the database", (*Main).demo},
		{"import", "import references or a content list from a CSV or XLSX file", (*Main).importCommand},
		{"export", "export references as CSV or XLSX", (*Main).exportCommand},
		{"scorecard", "write the scorecard of a period as PDF, PNG, CSV, XLSX or JSON", (*Main).scorecardCommand},
		{"backup", "write a consistent copy of the SQLite database while it is in use", (*Main).backup},
		{"version", "print the version", (*Main).printVersion},
	}
}

// usageError makes Run print usage and exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Run runs the command in args and returns the exit code: 0 on success, 1
// when the work failed, 2 when the command line was wrong.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		m.usage(m.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(m, ctx, args[1:])
		var ue usageError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			if ue.msg != "" {
				fmt.Fprintf(m.Stderr, "vouch %s: %s\n", c.name, ue.msg)
			}
			return 2
		default:
			fmt.Fprintf(m.Stderr, "vouch %s: %s\n", c.name, sentence(err))
			return 1
		}
	}
	fmt.Fprintf(m.Stderr, "vouch: unknown command %q\n\n", args[0])
	m.usage(m.Stderr)
	return 2
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: vouch <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'vouch <command> -h' for a command's flags. Flags shown there with a")
	fmt.Fprintln(w, "[VOUCH_…] name can also be set in the environment, e.g. --data-dir as VOUCH_DATA_DIR.")
}

// sentence ends an error message with a full stop, once. Invalid input is
// told field by field: on a terminal there is nothing "highlighted".
func sentence(err error) string {
	s := vouch.ErrorMessage(err)
	if vouch.ErrorCode(err) == vouch.EINTERNAL {
		s = err.Error() // the command line is the operator's: show the cause
	}
	if fields := vouch.ErrorFields(err); len(fields) > 0 && vouch.ErrorCode(err) == vouch.EINVALID {
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + fields[k]
		}
		s = strings.Join(parts, "; ")
	}
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, ")") {
		s += "."
	}
	return s
}
