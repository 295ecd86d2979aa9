package app

import (
	"context"
	"encoding/json"
	"net/mail"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// The sender rule: notices are accepted only from sender domains the
// clinic allows. A domain allows its subdomains too. Unset, the list is
// DefaultSenderDomains.
const SettingSenderDomains = "avsandare.domaner"

// DefaultSenderDomains are the domains allowed until the clinic says
// otherwise: 1177's own.
var DefaultSenderDomains = []string{"1177.se"}

// ReasonUnknownSender starts the quarantine reason of a notice from a
// sender the clinic has not allowed; the address follows.
const ReasonUnknownSender = "okänd avsändare"

// SenderDomains returns the allowed sender domains, sorted.
func SenderDomains(ctx context.Context, s SettingsStore) ([]string, error) {
	v, err := s.Setting(ctx, SettingSenderDomains)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(v) == "" {
		return append([]string(nil), DefaultSenderDomains...), nil
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, Errorf(EINTERNAL, "inställningen %s är trasig", SettingSenderDomains)
	}
	sort.Strings(out)
	return out, nil
}

// AllowSenderDomain adds domain (validated) to the allowed sender domains.
// It reports whether the list changed.
func AllowSenderDomain(ctx context.Context, s SettingsStore, domain string) (string, bool, error) {
	d, err := ValidateSenderDomain(domain)
	if err != nil {
		return "", false, err
	}
	list, err := SenderDomains(ctx, s)
	if err != nil {
		return d, false, err
	}
	for _, x := range list {
		if x == d {
			return d, false, nil
		}
	}
	return d, true, saveSenderDomains(ctx, s, append(list, d))
}

// RemoveSenderDomain removes domain from the allowed sender domains. It
// reports whether the list changed.
func RemoveSenderDomain(ctx context.Context, s SettingsStore, domain string) (string, bool, error) {
	d, err := ValidateSenderDomain(domain)
	if err != nil {
		return "", false, err
	}
	list, err := SenderDomains(ctx, s)
	if err != nil {
		return d, false, err
	}
	out := list[:0:0]
	for _, x := range list {
		if x != d {
			out = append(out, x)
		}
	}
	if len(out) == len(list) {
		return d, false, nil
	}
	return d, true, saveSenderDomains(ctx, s, out)
}

func saveSenderDomains(ctx context.Context, s SettingsStore, list []string) error {
	sort.Strings(list)
	if list == nil {
		list = []string{}
	}
	b, _ := json.Marshal(list)
	return s.SetSetting(ctx, SettingSenderDomains, string(b))
}

// ValidateSenderDomain checks and normalises a sender domain: lower case,
// without a leading "@" or trailing dot, letters, digits, hyphens and at
// least one dot.
func ValidateSenderDomain(domain string) (string, error) {
	d := strings.ToLower(strings.TrimSpace(domain))
	d = strings.TrimSuffix(strings.TrimPrefix(d, "@"), ".")
	bad := func() error {
		return FieldErrorf("domain", "%s är ingen giltig domän (t.ex. 1177.se)", QuoteForTerminal(domain))
	}
	if d == "" || len(d) > 253 || !strings.Contains(d, ".") {
		return "", bad()
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return "", bad()
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return "", bad()
			}
		}
	}
	return d, nil
}

// SenderAllowed reports whether addr ("Namn <adress>" or a bare address)
// is in one of domains or a subdomain of one.
func SenderAllowed(addr string, domains []string) bool {
	a := normalizeEmail(addr)
	if p, err := mail.ParseAddress(addr); err == nil {
		a = strings.ToLower(p.Address)
	}
	at := strings.LastIndexByte(a, '@')
	if at < 0 {
		return false
	}
	host := strings.TrimSuffix(a[at+1:], ".")
	for _, d := range domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// ScreenSender quarantines a notice whose sender is not allowed, or whose
// receiving server recorded a failing DKIM or DMARC result
// (Inbound.AuthFailure). The reason names the address. Messages that are
// no notice, or already quarantined, are left as they are. at is when the
// message was taken in.
func ScreenSender(in *Inbound, domains []string, at time.Time) {
	if in.Notice == nil || in.Quarantine != nil {
		return
	}
	var reason string
	switch {
	case in.AuthFailure != "":
		reason = "Avsändaren kunde inte styrkas (" + in.AuthFailure + "): " + displayAddress(in.Sender)
	case !SenderAllowed(in.Sender, domains):
		reason = ReasonUnknownSender + ": " + displayAddress(in.Sender)
	default:
		return
	}
	in.Quarantine = &Quarantined{Key: in.Key, Source: in.Source, Reason: reason, Raw: in.Raw, ReceivedAt: at}
	in.Notice = nil
}

func displayAddress(addr string) string {
	a := normalizeEmail(addr)
	if p, err := mail.ParseAddress(addr); err == nil {
		a = p.Address
	}
	if a == "" {
		return "(avsändare saknas)"
	}
	if len(a) > 200 || !utf8.ValidString(a) {
		a = strings.ToValidUTF8(a[:min(len(a), 200)], "?")
	}
	return a
}

// SenderDomain is the domain of a quarantined sender address, for allowing
// it in one step: "" when addr has none.
func SenderDomain(addr string) string {
	a := normalizeEmail(addr)
	if p, err := mail.ParseAddress(addr); err == nil {
		a = strings.ToLower(p.Address)
	}
	at := strings.LastIndexByte(a, '@')
	if at < 0 {
		return ""
	}
	d, err := ValidateSenderDomain(a[at+1:])
	if err != nil {
		return ""
	}
	return d
}
