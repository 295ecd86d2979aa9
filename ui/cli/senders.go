package cli

import (
	"fmt"
	"log"
	"strconv"
	"strings"

	"arendestod/app"
	"arendestod/app/intake"
)

// ---- senders ----

// runSenders is `senders allow DOMÄN`, `senders remove DOMÄN` and
// `senders list [--json]`: the sender domains notices are accepted from.
func runSenders(r *Run, args []string) error {
	const use = "använd: senders allow DOMÄN | senders remove DOMÄN | senders list [--json]"
	if len(args) == 0 {
		return Usagef("%s", use)
	}
	switch args[0] {
	case "list":
		fl := newFlagSet("senders list")
		asJSON := fl.Bool("json", false, "JSON")
		if err := Parse(fl, args[1:]); err != nil {
			return err
		}
		s, err := r.Store()
		if err != nil {
			return err
		}
		list, err := app.SenderDomains(r.Ctx, s)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(r.Env.Stdout, list)
		}
		if len(list) == 0 {
			fmt.Fprintln(r.Env.Stdout, "Inga avsändare är tillåtna: alla notiser hamnar i karantän.")
			return nil
		}
		fmt.Fprintln(r.Env.Stdout, "Notiser tas emot från (och underdomäner till):")
		for _, d := range list {
			fmt.Fprintln(r.Env.Stdout, "  "+app.TerminalSafe(d))
		}
		return nil
	case "allow", "remove":
		fl := newFlagSet("senders " + args[0])
		if err := parseWithArgs(fl, args[1:]); err != nil {
			return err
		}
		if fl.NArg() != 1 {
			return Usagef("%s", use)
		}
		if _, err := app.ValidateSenderDomain(fl.Arg(0)); err != nil {
			return Usagef("%s", app.ErrorMessage(err))
		}
		s, err := r.Store()
		if err != nil {
			return err
		}
		var d string
		var changed bool
		if args[0] == "allow" {
			d, changed, err = app.AllowSenderDomain(r.Ctx, s, fl.Arg(0))
		} else {
			d, changed, err = app.RemoveSenderDomain(r.Ctx, s, fl.Arg(0))
		}
		if err != nil {
			return err
		}
		if !changed {
			if args[0] == "allow" {
				fmt.Fprintf(r.Env.Stdout, "%s är redan tillåten.\n", d)
			} else {
				fmt.Fprintf(r.Env.Stdout, "%s fanns inte bland de tillåtna avsändarna.\n", d)
			}
			return nil
		}
		if err := auditSenders(r, s, args[0], d); err != nil {
			return err
		}
		if args[0] == "allow" {
			fmt.Fprintf(r.Env.Stdout, "Notiser från %s (och underdomäner) tas nu emot. Släpp meddelanden i karantän med: arendestod quarantine release NR\n", d)
		} else {
			fmt.Fprintf(r.Env.Stdout, "Notiser från %s tas inte längre emot; de hamnar i karantän.\n", d)
		}
		return nil
	}
	return Usagef("okänt underkommando %s; %s", app.QuoteForTerminal(args[0]), use)
}

// auditSenders records a change of the allowed senders: a settings change
// in the access log (no patient), and a line in the program's log.
func auditSenders(r *Run, s Store, verb, domain string) error {
	detail := "tillåten avsändardomän tillagd: " + domain
	if verb == "remove" {
		detail = "tillåten avsändardomän borttagen: " + domain
	}
	log.Printf("inställning ändrad av %s: %s", r.Actor(), detail)
	return s.Audit(r.Ctx, app.AuditEntry{At: r.Env.Now(), Actor: r.Actor(), Action: app.AuditChange,
		Detail: "inställning " + app.SettingSenderDomains + ": " + detail})
}

// runQuarantineRelease is `quarantine release NR`: a quarantined notice
// whose sender is now allowed becomes a case.
func runQuarantineRelease(r *Run, args []string) error {
	fl := newFlagSet("quarantine release")
	if err := parseWithArgs(fl, args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return Usagef("använd: quarantine release NR (numret i listan från arendestod quarantine)")
	}
	id, err := strconv.ParseInt(strings.TrimSpace(fl.Arg(0)), 10, 64)
	if err != nil || id <= 0 {
		return Usagef("%s är inget meddelandenummer", app.QuoteForTerminal(fl.Arg(0)))
	}
	s, err := r.Store()
	if err != nil {
		return err
	}
	res, n, err := intake.Release(r.Ctx, s, id, r.Env.Now())
	if err != nil {
		if c := app.ErrorCode(err); c == app.ENOTFOUND || c == app.ECONFLICT {
			return Usagef("%s", app.ErrorMessage(err))
		}
		return err
	}
	log.Printf("meddelande %d i karantän släppt av %s: %s", id, r.Actor(), res.Outcome)
	switch res.Outcome {
	case app.OutcomeNew, app.OutcomeUpdated:
		fmt.Fprintf(r.Env.Stdout, "Meddelande nr %d släppt: %s (ärende nr %d).\n", id, caseLine(s.Calendar(), res, n), res.CaseID)
	default:
		fmt.Fprintf(r.Env.Stdout, "Meddelande nr %d släppt: %s.\n", id, res.Outcome)
	}
	return nil
}
