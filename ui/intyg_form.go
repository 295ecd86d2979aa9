package ui

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Page 2 of the intyg flow: the form, what it holds as an app.Intyg, and
// its checks shown under each field.

// intygKindLabels are the kinds of contact offered.
var intygKindLabels = func() []string {
	var out []string
	for _, k := range app.ContactKinds() {
		out = append(out, k.Sv())
	}
	return out
}()

// intygGuardian is one guardian of the form, with the optional postal
// address the covering letter is posted to.
type intygGuardian struct {
	name, pnr              *widget.Entry
	street, postcode, city *widget.Entry
}

// address is the postal address typed, nil when none.
func (g *intygGuardian) address() *app.IntygAddress {
	a := &app.IntygAddress{Street: g.street.Text, Postcode: g.postcode.Text, City: g.city.Text}
	if a.IsZero() {
		return nil
	}
	return a
}

// intygTooOldHint is the status line's pointer to the re-route offer
// above it, shown when app.Intyg.CheckChildAge refuses.
var intygTooOldHint = fmt.Sprintf("Barnet har fyllt %d år den första vårddagen: styr om ärendet till läkarintyg (knappen ovanför).",
	app.IntygAgeLimit)

func errLabel() *widget.Label {
	l := wrapLabel("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// field is a form row: a bold label, the widget and the error under it,
// in a line kept for it: an error that comes and goes as the nurse types
// moves no field below it.
func (f *intygFlow) field(key, label string, w fyne.CanvasObject) fyne.CanvasObject {
	e := errLabel()
	f.errs[key] = e
	if label == "" {
		return container.NewVBox(w, reserve(1, e))
	}
	return container.NewVBox(boldLabel(label), w, reserve(1, e))
}

func (f *intygFlow) entry(key, placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	e.OnChanged = func(string) { f.onFieldChanged(key) }
	return e
}

func (f *intygFlow) buildForm() fyne.CanvasObject {
	f.childName = f.entry("child.name", "För- och efternamn")
	f.childPnr = f.entry("child.personnummer", "ÅÅÅÅMMDD-NNNN")
	child := widget.NewCard("Barnet", "", container.NewGridWithColumns(2,
		f.field("child.name", "Namn", f.childName), f.field("child.personnummer", "Personnummer eller samordningsnummer", f.childPnr)))

	var gRows []fyne.CanvasObject
	for i := range f.guardians {
		p := fmt.Sprintf("guardians[%d]", i)
		g := &f.guardians[i]
		g.name = f.entry(p+".name", "För- och efternamn")
		g.pnr = f.entry(p+".personnummer", "ÅÅÅÅMMDD-NNNN")
		title := "Vårdnadshavare 1"
		if i > 0 {
			title = fmt.Sprintf("Vårdnadshavare %d (om två)", i+1)
		}
		gRows = append(gRows, container.NewGridWithColumns(2,
			f.field(p+".name", title+": namn", g.name), f.field(p+".personnummer", title+": personnummer", g.pnr)))
		a := p + ".postal_address"
		g.street = f.entry(a+".street", "Gatuadress")
		g.postcode = f.entry(a+".postcode", "Postnummer")
		g.city = f.entry(a+".city", "Postort")
		hint := "Postadress för följebrevet (valfri; visas i kuvertets fönster)"
		if i > 0 {
			hint = "Postadress (valfri; lämna tom om samma som vårdnadshavare 1)"
		}
		gRows = append(gRows, container.NewBorder(widget.NewLabel(hint), nil, nil, nil,
			container.NewGridWithColumns(3, f.field(a+".street", "", g.street),
				f.field(a+".postcode", "", g.postcode), f.field(a+".city", "", g.city))))
	}
	f.addrNote = wrapLabel("")
	f.addrNote.Importance = widget.HighImportance
	f.addrNote.Hide()
	gRows = append(gRows, f.addrNote)
	gErr := errLabel()
	f.errs["guardians"] = gErr
	gRows = append(gRows, gErr)
	guardians := card("Vårdnadshavare", "Den eller de vårdnadshavare som vårdar barnet.", container.NewVBox(gRows...))

	f.diagnosis = widget.NewMultiLineEntry()
	f.diagnosis.Wrapping = fyne.TextWrapWord
	f.diagnosis.SetMinRowsVisible(5)
	f.diagnosis.SetPlaceHolder("Beskriv diagnos eller symtom och varför barnet behöver vård i hemmet.")
	f.diagnosis.OnChanged = func(string) { f.onFieldChanged("diagnosis") }
	f.counter = widget.NewLabel("")
	diag := widget.NewCard("Diagnos eller symtom", "", f.field("diagnosis", "", container.NewBorder(nil, f.counter, nil, nil, f.diagnosis)))

	f.periodBox = container.NewVBox()
	f.addPeriod = widget.NewButtonWithIcon("Lägg till period", theme.ContentAddIcon(), f.onAddPeriodTapped)
	pErr := errLabel()
	f.errs["periods"] = pErr
	periods := card("Barnet bör inte vårdas i ordinarie tillsynsform",
		"En eller flera perioder (första och sista dag, ÅÅÅÅ-MM-DD) med hur stor del av den ordinarie tiden.",
		container.NewVBox(f.periodBox, pErr, container.NewHBox(f.addPeriod)))

	f.contactDate = f.entry("contact.date", "ÅÅÅÅ-MM-DD")
	f.contactKind = widget.NewSelect(intygKindLabels, func(string) { f.onFieldChanged("contact.kind") })
	f.contactKind.PlaceHolder = "Välj kontaktform …"
	contact := widget.NewCard("Bedömningen grundar sig på", "", container.NewGridWithColumns(2,
		f.field("contact.date", "Datum för kontakten", f.contactDate), f.field("contact.kind", "Kontaktform", f.contactKind)))

	f.place = f.entry("place", "Ort")
	f.date = f.entry("date", "ÅÅÅÅ-MM-DD")
	f.issuerText = wrapLabel("")
	iErr := errLabel()
	f.errs["issuer"] = iErr
	issuer := card("Utfärdare, ort och datum", "Utfärdaren är den som är inloggad; mottagningens uppgifter kommer från Inställningar → Mottagning.",
		container.NewVBox(f.issuerText, iErr, container.NewGridWithColumns(2,
			f.field("place", "Ort", f.place), f.field("date", "Datum", f.date))))

	other := errLabel()
	f.errs["other"] = other

	f.tooOldText = wrapLabel("")
	f.tooOldText.Importance = widget.DangerImportance
	f.tooOldText.TextStyle = fyne.TextStyle{Bold: true}
	f.rerouteBtn = widget.NewButtonWithIcon("Styr om till läkarintyg (vård av barn 12–16 år)", theme.MoveDownIcon(), f.onRerouteTapped)
	f.rerouteBtn.Importance = widget.DangerImportance
	f.tooOld = container.NewBorder(nil, nil, widget.NewIcon(theme.NewErrorThemedResource(theme.WarningIcon())), nil,
		container.NewVBox(f.tooOldText, container.NewHBox(f.rerouteBtn)))
	f.tooOld.Hide()

	f.draftInfo = widget.NewLabel("")
	f.draftInfo.TextStyle = fyne.TextStyle{Italic: true}
	// f.tooOld is shown above the flow's buttons (intyg.go), where it
	// moves nothing in the form.
	return container.NewVBox(child, guardians, diag, periods, contact, issuer, other, f.draftInfo)
}

// blank is a new intyg: the case's patient as the child, one guardian and
// one period to fill in, the mottagning's town and today's date.
func (f *intygFlow) blank() *app.Intyg {
	in := &app.Intyg{
		Guardians: []app.IntygPerson{{}},
		Periods:   []app.IntygPeriod{{Percent: 100}},
		Place:     f.settings[app.SettingMottagningOrt],
		Date:      app.DateOf(f.u.s.Now()).String(),
	}
	if f.c != nil {
		in.Child = app.IntygPerson{Name: f.c.PatientName}
		if f.c.PatientPnr != "" {
			in.Child.Personnummer = f.c.PatientPnr.String()
		}
	}
	return in
}

// issuer is the issuer of the intyg: the person working and the
// mottagning's settings.
func (f *intygFlow) issuer() app.IntygIssuer {
	return app.IntygIssuer{
		Name: f.me.Name, Title: app.IssuerTitle(&f.me), HSAID: f.me.HSAID,
		Unit: f.settings[app.SettingMottagningNamn], Address: f.settings[app.SettingMottagningAdress],
		Phone: f.settings[app.SettingMottagningTelefon], CareProvider: f.settings[app.SettingMottagningVardgivare],
	}
}

// fkAddress is where the original is posted: Inställningar → Intyg, or
// Försäkringskassan's scanning centre.
func (f *intygFlow) fkAddress() string {
	if a := f.settings[app.SettingFKAdress]; a != "" {
		return a
	}
	return app.DefaultFKAddress
}

func (f *intygFlow) issuerSummary() string {
	is := f.issuer()
	or := func(s string) string {
		if s == "" {
			return "–"
		}
		return s
	}
	return fmt.Sprintf("%s, %s, HSA-ID %s\n%s, %s, tel. %s\nVårdgivare: %s", or(is.Name), or(is.Title), or(is.HSAID),
		or(is.Unit), or(is.Address), or(is.Phone), or(is.CareProvider))
}

// fill puts in into the form without saving a draft.
func (f *intygFlow) fill(in *app.Intyg) {
	f.filling = true
	defer func() { f.filling = false }()
	f.childName.SetText(in.Child.Name)
	f.childPnr.SetText(in.Child.Personnummer)
	for i := range f.guardians {
		var g app.IntygPerson
		if i < len(in.Guardians) {
			g = in.Guardians[i]
		}
		f.guardians[i].name.SetText(g.Name)
		f.guardians[i].pnr.SetText(g.Personnummer)
		var a app.IntygAddress
		if g.PostalAddress != nil {
			a = *g.PostalAddress
		}
		f.guardians[i].street.SetText(a.Street)
		f.guardians[i].postcode.SetText(a.Postcode)
		f.guardians[i].city.SetText(a.City)
	}
	f.diagnosis.SetText(in.Diagnosis)
	f.periods = nil
	for _, p := range in.Periods {
		f.addPeriodRow(p)
	}
	if len(f.periods) == 0 {
		f.addPeriodRow(app.IntygPeriod{Percent: 100})
	}
	f.renderPeriods()
	f.contactDate.SetText(in.Contact.Date)
	if in.Contact.Kind == "" {
		f.contactKind.ClearSelected()
	} else {
		f.contactKind.SetSelected(in.Contact.Kind.Sv())
	}
	f.place.SetText(in.Place)
	f.date.SetText(in.Date)
	f.validate()
}

// current is the intyg as the form holds it, issuer included.
func (f *intygFlow) current() *app.Intyg {
	in := &app.Intyg{
		CaseID:    f.id,
		Child:     app.IntygPerson{Name: f.childName.Text, Personnummer: f.childPnr.Text},
		Diagnosis: f.diagnosis.Text,
		Contact:   app.IntygContact{Date: f.contactDate.Text},
		Issuer:    f.issuer(),
		Place:     f.place.Text,
		Date:      f.date.Text,
		FKAddress: f.fkAddress(),
	}
	for i, g := range f.guardians {
		p := app.IntygPerson{Name: g.name.Text, Personnummer: g.pnr.Text, PostalAddress: g.address()}
		// A second guardian left empty is no guardian.
		if i == 0 || strings.TrimSpace(p.Name+p.Personnummer) != "" || p.PostalAddress != nil {
			in.Guardians = append(in.Guardians, p)
		}
	}
	for _, r := range f.periods {
		p := app.IntygPeriod{From: r.from.Text, To: r.to.Text}
		for i, label := range intygPercentLabels {
			if r.percent.Selected == label {
				p.Percent = app.IntygPercents[i]
			}
		}
		in.Periods = append(in.Periods, p)
	}
	for i, label := range intygKindLabels {
		if f.contactKind.Selected == label {
			in.Contact.Kind = app.ContactKinds()[i]
		}
	}
	return in
}

// onFieldChanged runs on every change the nurse makes: the field is
// touched, the form is checked again and the draft saved soon.
func (f *intygFlow) onFieldChanged(key string) {
	if f.filling || f.c == nil {
		return
	}
	f.touched[key] = true
	errs := f.validate()
	if f.page == intygPageForm && f.showAll {
		if n := len(errs); n > 0 {
			f.message.SetText(fmt.Sprintf("Rätta det som är markerat i rött (%d fel) innan du går vidare.", n))
		} else {
			f.message.SetText("Allt är ifyllt. Tryck Nästa för att förhandsgranska.")
		}
	}
	f.scheduleDraft()
	if f.issued != nil && !app.SameIntygContent(f.current(), f.issued.Intyg) {
		f.issued = nil // the PDFs are of what was there before
		f.renderPDF()
	}
}

// errorKey is the label an error of field path p shows under, and the
// touched key that lets it show.
func errorKey(p string) (label string, period int) {
	switch {
	case strings.HasPrefix(p, "issuer."):
		return "issuer", -1
	case strings.HasPrefix(p, "periods["):
		var i int
		if _, err := fmt.Sscanf(p, "periods[%d]", &i); err == nil {
			return "periods[]", i
		}
	}
	return p, -1
}

// periodFieldSv names a period's field in its error line.
var periodFieldSv = map[string]string{"from": "Första dag", "to": "Sista dag", "percent": "Omfattning"}

// fieldMessage is a validation message as the form shows it: the command
// line's texts name JSON values where the form has a list.
func fieldMessage(e *app.Error) string {
	msg := e.Message
	if e.Field == "contact.kind" && strings.HasPrefix(msg, "kontaktform saknas") {
		msg = "välj kontaktform"
	}
	return capitalize(msg)
}

// validate checks the form, shows each error under its field (fields not
// yet touched wait until Nästa), says whether the child is too old, and
// updates the counter. It returns the errors.
func (f *intygFlow) validate() app.ValidationErrors {
	in := f.current()
	var verrs app.ValidationErrors
	if err := in.Validate(); err != nil && !errors.As(err, &verrs) {
		verrs = app.ValidationErrors{app.Errorf(app.EINVALID, "%s", app.ErrorMessage(err))}
	}
	texts := map[string][]string{}
	periodTexts := map[int][]string{}
	for _, e := range verrs {
		key, period := errorKey(e.Field)
		if period >= 0 {
			if period < len(f.periods) && (f.showAll || f.periods[period].touched) {
				_, sub, _ := strings.Cut(e.Field, "].")
				name := periodFieldSv[sub]
				if name == "" {
					name = "Perioden"
				}
				periodTexts[period] = append(periodTexts[period], name+": "+e.Message)
			}
			continue
		}
		if _, ok := f.errs[key]; !ok {
			key = "other"
		}
		if key == "issuer" || f.showAll || f.touched[key] {
			texts[key] = append(texts[key], fieldMessage(e))
		}
	}
	for key, l := range f.errs {
		setErr(l, texts[key])
	}
	for i, r := range f.periods {
		setErr(r.errs, periodTexts[i])
	}

	n := utf8.RuneCountInString(strings.TrimSpace(f.diagnosis.Text))
	if left := app.DiagnosisMax - n; left >= 0 {
		f.counter.SetText(fmt.Sprintf("%d tecken kvar", left))
		f.counter.Importance = widget.MediumImportance
	} else {
		f.counter.SetText(fmt.Sprintf("%d tecken för mycket", -left))
		f.counter.Importance = widget.DangerImportance
	}
	f.counter.Refresh()

	if note := in.LettersNote(); note != "" {
		f.addrNote.SetText(note)
		f.addrNote.Show()
	} else if f.addrNote.Visible() {
		f.addrNote.Hide()
	}

	if err := in.CheckChildAge(); err != nil {
		f.tooOldText.SetText(app.ErrorMessage(err))
		if !f.tooOld.Visible() && f.page == intygPageForm {
			f.message.SetText(intygTooOldHint)
		}
		f.tooOld.Show()
	} else {
		f.tooOld.Hide()
	}
	return verrs
}

func setErr(l *widget.Label, texts []string) {
	if len(texts) == 0 {
		if l.Visible() {
			l.SetText("")
			l.Hide()
		}
		return
	}
	l.SetText(strings.Join(texts, "\n"))
	l.Show()
}
