package desk

import (
	"fmt"

	"github.com/rapportdesk/rapport"
)

// errAfterCommit is what a person is told when their change was saved but
// reading it back to answer them failed: telling them to try again would
// make them repeat a change that already happened.
var errAfterCommit = rapport.Errorf(rapport.EINTERNAL,
	"Your change was saved, but something went wrong on our side while preparing the answer. "+
		"Please reload to see the result instead of sending it again.")

// afterCommit turns a failure that happens after a write committed into
// errAfterCommit, keeping the cause for the log. Errors with a code of
// their own (a ticket no longer visible, say) pass unchanged.
func afterCommit(err error) error {
	if err == nil || rapport.ErrorCode(err) != rapport.EINTERNAL {
		return err
	}
	return fmt.Errorf("%w (after commit: %w)", errAfterCommit, err)
}
