package app

import (
	"errors"
	"strings"
)

// IntakeState is the state of the e-mail intake's connection, as the
// window's status bar and `sync --watch` show it.
type IntakeState string

// The intake's states.
const (
	IntakeConnecting IntakeState = "ansluter"
	IntakeFetching   IntakeState = "hamtar"
	IntakeWatching   IntakeState = "bevakar" // in IDLE, waiting for pushes
	IntakeError      IntakeState = "fel"     // with the error; the intake retries
	IntakeStopped    IntakeState = "stoppad"
	// IntakeElsewhere: another desk (window or server) fetches the shared
	// mailbox right now; this one waits and takes over if that one stops.
	IntakeElsewhere IntakeState = "annan-dator"
)

var intakeStateTexts = map[IntakeState]string{
	IntakeConnecting: "Ansluter till e-postservern …",
	IntakeFetching:   "Hämtar nya notiser från 1177 …",
	IntakeWatching:   "Ansluten. Bevakar inkorgen. Nya ärenden visas direkt när notisen kommer.",
	IntakeError:      "Ingen anslutning till e-postservern. Försöker igen automatiskt.",
	IntakeStopped:    "Bevakningen är stoppad.",
	IntakeElsewhere:  "E-postintaget sköts av en annan dator just nu.",
}

// Text is the state's line in Swedish. With an error (the intake reports
// one with IntakeError) the line gives its reason: our own errors' Swedish
// message, or the network's own words ("connection refused"), which IT
// support needs and which hold no patient data. An EINVALID error means
// the account itself is wrong (no password, bad settings): retrying
// cannot help, so the line does not promise it. A state this vocabulary
// does not know is shown as it is.
func (s IntakeState) Text(err error) string {
	if err != nil {
		reason := IntakeErrorReason(err)
		if ErrorCode(err) == EINVALID {
			return "E-postintaget är inte igång: " + reason
		}
		return "Ingen anslutning till e-postservern: " + strings.TrimSuffix(reason, ".") + ". Försöker igen automatiskt."
	}
	if t, ok := intakeStateTexts[s]; ok {
		return t
	}
	return string(s)
}

// IntakeErrorReason is an intake error's reason for staff: our own errors'
// Swedish message (without the field), or the error's own text.
func IntakeErrorReason(err error) string {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Message
	}
	return err.Error()
}
