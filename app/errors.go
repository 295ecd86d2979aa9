// Package app is the domain of Ärendestöd: cases, the clinic's routine,
// staff, working days and deadlines, personnummer. It imports nothing of
// this project and no storage, UI or network package.
package app

import (
	"errors"
	"fmt"
)

// Error codes. The UI shows Error.Message; logs keep the wrapped detail.
const (
	ECONFLICT = "conflict" // action not allowed in the current state
	EINTERNAL = "internal" // a fault of ours or of the machine
	EINVALID  = "invalid"  // bad input from the user
	ENOTFOUND = "not_found"
)

// Error is a domain error with a code and a Swedish message for the user.
// Field names the input the message is about, when there is one.
type Error struct {
	Code    string
	Field   string
	Message string
}

// Error is the message prefixed with the field key, for logs and tests;
// people read ErrorMessage.
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an *Error with a formatted Swedish message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID error about one input field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an *Error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the Swedish message
// alone, without the field key (a form shows it beside its field; a
// command line names its flag itself). Errors that are not ours get a
// generic Swedish message: their detail may hold data we must not show or
// that means nothing to staff.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Ett internt fel inträffade. Försök igen; kvarstår felet, kontakta support."
}

// ValidationErrors collects several field errors, for forms that show every
// problem at once.
type ValidationErrors []*Error

func (v ValidationErrors) Error() string {
	s := ""
	for i, e := range v {
		if i > 0 {
			s += "\n"
		}
		s += e.Error()
	}
	return s
}

// Err returns v as an error, or nil when it is empty.
func (v ValidationErrors) Err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}

// Unwrap lets errors.As find the first field error, so ErrorCode reports
// EINVALID for a list of them.
func (v ValidationErrors) Unwrap() []error {
	out := make([]error, len(v))
	for i, e := range v {
		out[i] = e
	}
	return out
}
