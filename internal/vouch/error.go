// Package vouch holds the domain: the types of a customer reference program,
// their validation rules and the error codes every layer speaks. It imports no
// SQL and no HTTP, so the rules can be read and tested on their own.
package vouch

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Each maps to one HTTP status in one table (internal/api and internal/web).
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ERATELIMITED  = "rate_limited"
)

// Error is an error a user can act on: a code, a sentence, and for invalid
// input the reason per field.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or EINTERNAL if it carries none.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; errors that are not
// an *Error are reported as a generic internal error so no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. The problem has been logged."
}

// ErrorFields returns the per-field reasons of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects per-field problems and turns them into one EINVALID error.
type Validation struct {
	fields map[string]string
}

// Add records a problem with field unless one is already recorded.
func (v *Validation) Add(field, reason string) {
	if v.fields == nil {
		v.fields = map[string]string{}
	}
	if _, ok := v.fields[field]; !ok {
		v.fields[field] = reason
	}
}

// Merge adds the fields of a validation error to v, so one answer names
// every problem; any other error is returned as it is.
func (v *Validation) Merge(err error) error {
	if err == nil {
		return nil
	}
	if ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 {
		return err
	}
	for f, reason := range ErrorFields(err) {
		v.Add(f, reason)
	}
	return nil
}

// Err returns nil when no problem was recorded.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	msg := "Please correct the highlighted field."
	if len(v.fields) > 1 {
		msg = fmt.Sprintf("Please correct the %d highlighted fields.", len(v.fields))
	}
	return &Error{Code: EINVALID, Message: msg, Fields: v.fields}
}

// StaleVersion is the conflict of a save made after someone else's: what
// ("reference", "account" …) was read at a version that is no longer current.
// Its field is version, so an edge can show what changed and offer to save again.
func StaleVersion(what string) error {
	return &Error{Code: ECONFLICT,
		Message: "Someone else saved this " + what + " after you opened it. Reload to see their changes, then make yours again.",
		Fields:  map[string]string{"version": "is out of date"}}
}

// DuplicateCRMID is the conflict of a CRM id another record of the kind has.
func DuplicateCRMID(what string) error {
	return &Error{Code: ECONFLICT, Message: "Another " + what + " already has that CRM id.",
		Fields: map[string]string{"crm_id": "is already used"}}
}

// DuplicateReferenceEmail is the conflict of an email another reference has.
func DuplicateReferenceEmail() error {
	return &Error{Code: ECONFLICT, Message: "Another reference already has that email address.",
		Fields: map[string]string{"email": "is already used by another reference"}}
}

// AccountHasReferences is why an account with references cannot be deleted.
func AccountHasReferences(name string, n int) error {
	return Errorf(ECONFLICT, "%s still has %d reference(s); delete or move them first.", name, n)
}
