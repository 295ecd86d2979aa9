package ui

import (
	"context"
	"log"
	"net/mail"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/app/intake"
	"arendestod/app/notice"
)

// "Karantän" in the settings, for administrators: the messages intake
// kept for review, each with its reason and sender, "Tillåt avsändaren"
// (the sender's domain joins the allowed senders, audited) and "Släpp in
// som ärende" (intake.Release: the message must now pass the rules). The
// message itself is not shown: it may hold patient data.

type quarantineSettings struct {
	u    *UI
	card *widget.Card
	list *fyne.Container
	info *widget.Label
}

func newQuarantineSettings(u *UI) *quarantineSettings { return &quarantineSettings{u: u} }

func (qs *quarantineSettings) build() fyne.CanvasObject {
	qs.list = container.NewVBox()
	qs.info = wrapLabel("")
	qs.info.Hide()
	qs.card = card("Karantän", "Meddelanden som inte togs in som ärenden, med orsaken. Tillåt avsändaren om den är rätt, och släpp sedan in meddelandet som ärende.",
		container.NewVBox(qs.list, qs.info))
	qs.card.Hide()
	return qs.card
}

// quarantineRow is one quarantined message as the list shows it.
type quarantineRow struct {
	q       app.Quarantined
	sender  string // the address, "" when the message has none
	domain  string // the sender's domain, "" when none
	allowed bool   // the domain is allowed already
}

// load reads the quarantine; only administrators see it.
func (qs *quarantineSettings) load() {
	u := qs.u
	if !u.isAdmin() {
		qs.card.Hide()
		return
	}
	qs.card.Show()
	u.background(func(ctx context.Context) {
		list, err := u.s.Store.Quarantine(ctx)
		if err != nil {
			u.showError(err)
			return
		}
		domains, err := app.SenderDomains(ctx, u.s.Store)
		if err != nil {
			u.showError(err)
			return
		}
		rows := make([]quarantineRow, 0, len(list))
		for _, q := range list {
			r := quarantineRow{q: q, sender: notice.Parse(q.Raw, time.Time{}, q.Source).Sender}
			if a, err := mail.ParseAddress(r.sender); err == nil {
				r.sender = a.Address // the address, not the name it claims
			}
			r.domain = app.SenderDomain(r.sender)
			r.allowed = r.domain != "" && app.SenderAllowed(r.sender, domains)
			rows = append(rows, r)
		}
		fyne.Do(func() { qs.render(rows) })
	})
}

func (qs *quarantineSettings) render(rows []quarantineRow) {
	qs.list.Objects = nil
	if len(rows) == 0 {
		qs.list.Add(widget.NewLabel("Inga meddelanden i karantän."))
	}
	for _, r := range rows {
		id, domain := r.q.ID, r.domain
		allow := widget.NewButtonWithIcon("Tillåt avsändaren", theme.ConfirmIcon(), func() { qs.onAllowTapped(domain) })
		if domain == "" || r.allowed {
			allow.Disable()
		}
		release := widget.NewButtonWithIcon("Släpp in som ärende", theme.MailReplyIcon(), func() { qs.onReleaseTapped(id) })
		sender := r.sender
		if sender == "" {
			sender = "(avsändare saknas)"
		}
		text := "Nr " + strconv.FormatInt(id, 10) + ", " + r.q.ReceivedAt.In(app.Stockholm).Format("2006-01-02 15:04") +
			"\nOrsak: " + r.q.Reason + "\nAvsändare: " + sender
		qs.list.Add(container.NewBorder(nil, nil, nil, container.NewVBox(allow, release), wrapLabel(text)))
	}
	qs.list.Refresh()
}

func (qs *quarantineSettings) say(text string, imp widget.Importance) {
	qs.info.Importance = imp
	qs.info.SetText(text)
	qs.info.Show()
}

// onAllowTapped adds domain to the allowed senders and records it in the
// access log, as `senders allow` does.
func (qs *quarantineSettings) onAllowTapped(domain string) {
	u := qs.u
	actor, now := u.actor(), u.s.Now()
	u.background(func(ctx context.Context) {
		d, changed, err := app.AllowSenderDomain(ctx, u.s.Store, domain)
		if err == nil && changed {
			detail := "tillåten avsändardomän tillagd: " + d
			log.Printf("inställning ändrad av %s: %s", actor, detail)
			err = u.s.Store.Audit(ctx, app.AuditEntry{At: now, Actor: actor, Action: app.AuditChange,
				Detail: "inställning " + app.SettingSenderDomains + ": " + detail})
		}
		if err != nil {
			u.showError(err)
			return
		}
		fyne.Do(func() {
			qs.say("Notiser från "+d+" (och underdomäner) tas nu emot. Släpp in meddelandet som ärende.", widget.SuccessImportance)
			qs.load()
		})
	})
}

// onReleaseTapped takes quarantined message id into cases, if the rules
// now accept it; otherwise the reason shows under the list.
func (qs *quarantineSettings) onReleaseTapped(id int64) {
	u := qs.u
	actor, now := u.actor(), u.s.Now()
	u.background(func(ctx context.Context) {
		res, _, err := intake.Release(ctx, u.s.Store, id, now)
		if c := app.ErrorCode(err); c == app.ECONFLICT || c == app.ENOTFOUND {
			fyne.Do(func() { qs.say(app.ErrorMessage(err), widget.WarningImportance) })
			return
		}
		if err != nil {
			u.showError(err)
			return
		}
		log.Printf("meddelande %d i karantän släppt av %s: %s", id, actor, res.Outcome)
		fyne.Do(func() {
			qs.say("Meddelande nr "+strconv.FormatInt(id, 10)+" är släppt in som ärende.", widget.SuccessImportance)
			qs.load()
			u.refreshAll()
		})
	})
}
