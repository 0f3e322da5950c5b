package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// stdin is where passwords are read from; tests replace it.
var stdin io.Reader = os.Stdin

func runUserPassword(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("user password", stderr)
	email := fs.String("email", "", "the account's email address (required); the new password is read from standard input")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return rapport.Invalid("email", "An email address is required.")
	}
	password, err := readPassword(stderr, *email)
	if err != nil {
		return err
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		n, err := d.SetPassword(ctx, *email, password)
		if err != nil {
			return plainPasswordError(err)
		}
		fmt.Fprintf(stdout, "Set a new password for %s; signed out %d web session(s).\n", strings.ToLower(strings.TrimSpace(*email)), n)
		return nil
	})
}

// readPassword reads a password from standard input: one line, without its
// line ending. At a terminal it asks twice without echoing what is typed;
// otherwise (a pipe, a file) it reads the first line. It never prints the
// password. The rules (length and so on) are the desk's to check.
func readPassword(stderr io.Writer, email string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(stderr, "New password for %s (at least %d characters): ", email, rapport.MinPasswordLen)
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(stderr, "The same password again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(again) {
			return "", rapport.Errorf(rapport.EINVALID, "The two passwords typed are not the same; nothing was changed.")
		}
		return nonEmpty(string(first))
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 64<<10)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	return nonEmpty(line)
}

func nonEmpty(pw string) (string, error) {
	if pw == "" {
		return "", rapport.Errorf(rapport.EINVALID, "No password was given on standard input. Send it as one line, for example: printf '%%s\\n' \"$PASSWORD\" | rapport user password --email E")
	}
	return pw, nil
}

// plainPasswordError turns a problem with the password field into a plain
// message: the CLI has no --password flag to point at.
func plainPasswordError(err error) error {
	for _, f := range rapport.ErrorFields(err) {
		if f.Field == "password" {
			return rapport.Errorf(rapport.EINVALID, "%s", f.Message)
		}
	}
	return err
}
