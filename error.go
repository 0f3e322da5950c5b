package rapport

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. The HTTP edge maps each to one status; nothing else should
// need to know about HTTP.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Fields says which
	ENOTFOUND     = "not_found"    // nothing there, or nothing the caller may see
	ECONFLICT     = "conflict"     // valid input that the current state refuses
	EUNAUTHORIZED = "unauthorized" // the caller is not signed in
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed to do this
	ETOOLARGE     = "too_large"    // the request is bigger than we accept
	ETOOMANY      = "too_many"     // too many attempts; wait before trying again
	EMISMATCH     = "mismatch"     // a retry that does not match the request it repeats
	EINTERNAL     = "internal"     // our fault; details go to the log only
)

// Error is an application error with a message meant for the person who
// caused it, in plain language.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError says what is wrong with one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("rapport error: code=%s message=%s", e.Code, e.Message)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return fmt.Sprintf("rapport error: code=%s message=%s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of the first *Error in err's chain,
// or a generic one for internal errors so that no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Nothing you sent was lost; please try again in a moment."
}

// ErrorFields returns the field errors of err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors while validating input.
type Problems []FieldError

// Add records that field has a problem.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an EINVALID error listing the problems, or nil when there are none.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	msg := "Please check the highlighted field."
	if len(p) > 1 {
		msg = "Please check the highlighted fields."
	}
	return &Error{Code: EINVALID, Message: msg, Fields: p}
}

// Invalid returns an EINVALID error about one field.
func Invalid(field, format string, args ...any) error {
	var p Problems
	p.Add(field, format, args...)
	return p.Err()
}
