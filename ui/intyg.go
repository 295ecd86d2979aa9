package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/pdf"
)

// The guided intyg of a vab-under-12 case (issue 5): delsvar, the form,
// preview, the PDFs, original and copy sent, and closing the case in 1177.
// It takes the place of the case screen in the Ärenden tab until it is
// left; what is typed is saved as a draft as the nurse types.

// Pages of the flow, in order.
const (
	intygPageDelsvar = iota
	intygPageForm
	intygPagePreview
	intygPagePDF
	intygPageSent
	intygPageClose
	intygPages
)

var intygPageNames = [intygPages]string{"Delsvar", "Intyg", "Förhandsgranska", "PDF", "Skickat", "Avsluta"}

// intygDraftDelay is how long the flow waits after a keystroke before it
// saves the draft.
const intygDraftDelay = 500 * time.Millisecond

// intygPercentLabels are the shares offered, as the form prints them.
var intygPercentLabels = func() []string {
	var out []string
	for _, p := range app.IntygPercents {
		out = append(out, app.PercentSv(p))
	}
	return out
}()

// intygKindLabels are the kinds of contact offered.
var intygKindLabels = func() []string {
	var out []string
	for _, k := range app.ContactKinds() {
		out = append(out, k.Sv())
	}
	return out
}()

// intygLoaded is what the flow reads when it opens.
type intygLoaded struct {
	c          *app.Case
	draft      *app.Intyg // nil when there is none worth keeping
	versions   []app.IntygVersion
	settings   map[string]string
	delsvar    app.FilledReply
	final      app.FilledReply
	draftError error // a draft that could not be read: said, not fatal
}

// intygPeriodRow is one period of the form.
type intygPeriodRow struct {
	from, to *widget.Entry
	percent  *widget.Select
	remove   *widget.Button
	errs     *widget.Label
	touched  bool
}

// intygGuardian is one guardian of the form.
type intygGuardian struct {
	name, pnr *widget.Entry
}

// intygFlow is the flow's screen.
type intygFlow struct {
	u     *UI
	cv    *caseScreen
	store app.IntygStore
	id    int64

	// Set when the flow opens (UI goroutine).
	actor    string
	me       app.Staff
	c        *app.Case
	settings map[string]string
	versions []app.IntygVersion
	delsvar  app.FilledReply
	final    app.FilledReply

	page    int
	content fyne.CanvasObject
	steps   []*widget.Label
	body    *fyne.Container
	scroll  *container.Scroll
	pages   [intygPages]fyne.CanvasObject
	title   *widget.Label
	leave   *widget.Button
	backBtn *widget.Button
	nextBtn *widget.Button
	message *widget.Label

	// 1 Delsvar.
	delsvarText *widget.Label
	delsvarCopy *widget.Button
	delsvarSent *widget.Button
	delsvarInfo *widget.Label

	// 2 Intyg.
	childName, childPnr *widget.Entry
	guardians           [app.MaxGuardians]intygGuardian
	diagnosis           *widget.Entry
	counter             *widget.Label
	periods             []*intygPeriodRow
	periodBox           *fyne.Container
	addPeriod           *widget.Button
	contactDate         *widget.Entry
	contactKind         *widget.Select
	place, date         *widget.Entry
	issuerText          *widget.Label
	draftInfo           *widget.Label
	tooOld              *fyne.Container
	tooOldText          *widget.Label
	rerouteBtn          *widget.Button
	errs                map[string]*widget.Label // by field path, see errorKey
	touched             map[string]bool
	showAll             bool // after Nästa: every error shows
	filling             bool // the form is being filled, not typed in

	// 3 Förhandsgranska.
	preview *fyne.Container

	// 4 PDF.
	createBtn *widget.Button
	saveBtn   *widget.Button
	// Re-printing an earlier version: identical content, from the store.
	oldBox   *fyne.Container
	oldSel   *widget.Select
	oldSave  *widget.Button
	oldKeys  map[string]int // option text → version
	openBtn  *widget.Button
	pdfInfo  *widget.Label
	issued   *app.IntygVersion // the version the PDFs are made of
	savedDir string            // where they were saved last

	// 5 Skickat.
	sentChecks map[string]*widget.Check
	sentInfo   map[string]*widget.Label

	// 6 Avsluta.
	finalText *widget.Label
	finalCopy *widget.Button
	closeBtn  *widget.Button
	finalInfo *widget.Label

	// The draft: the latest snapshot waits for the timer; saves run one
	// at a time and never write an older snapshot over a newer one.
	debounce   time.Duration
	draftMu    sync.Mutex
	draftTimer *time.Timer
	pending    []byte
	draftSeq   int
	saveMu     sync.Mutex
	savedSeq   int
}

// openIntyg shows the flow for the case on screen, in place of the case.
func (cv *caseScreen) openIntyg() *intygFlow {
	store, ok := cv.u.s.Store.(app.IntygStore)
	if !ok {
		cv.u.showError(app.Errorf(app.EINTERNAL, "Databasen kan inte spara intyg."))
		return nil
	}
	f := &intygFlow{u: cv.u, cv: cv, store: store, id: cv.id, debounce: intygDraftDelay,
		errs: map[string]*widget.Label{}, touched: map[string]bool{}}
	if cv.u.debounce == 0 {
		f.debounce = 0 // tests: save at once, through the queue
	}
	cv.flow = f
	cv.u.casesBody.Objects = []fyne.CanvasObject{f.build()}
	cv.u.casesBody.Refresh()
	f.load()
	return f
}

func (cv *caseScreen) onIntygTapped() { cv.openIntyg() }

func errLabel() *widget.Label {
	l := wrapLabel("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

func (f *intygFlow) build() fyne.CanvasObject {
	f.title = widget.NewLabelWithStyle("Intyg – vård av barn under 12 år", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.title.SizeName = theme.SizeNameSubHeadingText
	f.leave = widget.NewButtonWithIcon("Till ärendet", theme.NavigateBackIcon(), f.onLeaveTapped)
	indicator := container.NewHBox()
	for i, name := range intygPageNames {
		if i > 0 {
			indicator.Add(widget.NewLabel("·"))
		}
		l := widget.NewLabel(strconv.Itoa(i+1) + " " + name)
		f.steps = append(f.steps, l)
		indicator.Add(l)
	}
	f.backBtn = widget.NewButtonWithIcon("Tillbaka", theme.NavigateBackIcon(), f.onBackTapped)
	f.nextBtn = widget.NewButtonWithIcon("Nästa", theme.NavigateNextIcon(), f.onNextTapped)
	f.nextBtn.IconPlacement = widget.ButtonIconTrailingText
	f.nextBtn.Importance = widget.HighImportance
	f.message = wrapLabel("Läser ärendet …")

	f.pages = [intygPages]fyne.CanvasObject{f.buildDelsvar(), f.buildForm(), f.buildPreview(), f.buildPDF(),
		f.buildSent(), f.buildClose()}
	f.body = container.NewStack(f.pages[0])
	top := container.NewVBox(container.NewBorder(nil, nil, f.leave, nil, f.title), container.NewCenter(indicator),
		widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewHBox(f.backBtn, f.nextBtn), f.message))
	f.scroll = container.NewVScroll(container.NewPadded(f.body))
	f.content = container.NewBorder(top, bottom, nil, nil, f.scroll)
	f.backBtn.Disable()
	f.nextBtn.Disable()
	return f.content
}

func (f *intygFlow) buildDelsvar() fyne.CanvasObject {
	f.delsvarText = wrapLabel("")
	f.delsvarCopy = widget.NewButtonWithIcon("Kopiera", theme.ContentCopyIcon(), f.onDelsvarCopyTapped)
	f.delsvarSent = widget.NewButtonWithIcon("Markera delsvar som skickat", theme.MailSendIcon(), f.onDelsvarSentTapped)
	f.delsvarInfo = wrapLabel("")
	f.delsvarInfo.Hide()
	return card("Delsvar", "Skicka ett delsvar i 1177 medan intyget skrivs: kopiera texten, klistra in den i 1177, "+
		"skicka den där och markera den sedan som skickad. Första återkopplingen stoppar klockan.",
		container.NewVBox(widget.NewCard("", "", f.delsvarText), container.NewHBox(f.delsvarCopy, f.delsvarSent), f.delsvarInfo))
}

// field is a form row: a bold label, the widget and the error under it.
func (f *intygFlow) field(key, label string, w fyne.CanvasObject) fyne.CanvasObject {
	e := errLabel()
	f.errs[key] = e
	if label == "" {
		return container.NewVBox(w, e)
	}
	return container.NewVBox(boldLabel(label), w, e)
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
	}
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
	return container.NewVBox(f.tooOld, child, guardians, diag, periods, contact, issuer, other, f.draftInfo)
}

func (f *intygFlow) buildPreview() fyne.CanvasObject {
	f.preview = container.NewVBox()
	return card("Förhandsgranska", "Läs igenom intyget. Stämmer något inte, gå tillbaka och rätta det.", f.preview)
}

func (f *intygFlow) buildPDF() fyne.CanvasObject {
	f.createBtn = widget.NewButtonWithIcon("Skapa PDF", theme.DocumentCreateIcon(), f.onCreateTapped)
	f.createBtn.Importance = widget.HighImportance
	f.saveBtn = widget.NewButtonWithIcon("Spara PDF:er …", theme.DocumentSaveIcon(), f.onSaveTapped)
	f.openBtn = widget.NewButtonWithIcon("Öppna", theme.FolderOpenIcon(), f.onOpenTapped)
	f.saveBtn.Disable()
	f.openBtn.Disable()
	f.pdfInfo = wrapLabel("")
	f.oldSel = widget.NewSelect(nil, func(string) { f.oldSave.Enable() })
	f.oldSel.PlaceHolder = "Välj en tidigare version …"
	f.oldSave = widget.NewButtonWithIcon("Spara tidigare version …", theme.DocumentSaveIcon(), f.onSaveOldTapped)
	f.oldSave.Disable()
	f.oldBox = container.NewVBox(widget.NewSeparator(),
		wrapLabel("Skriva ut ett tidigare intyg igen: innehållet är detsamma som när det skapades."),
		container.NewBorder(nil, nil, nil, f.oldSave, f.oldSel))
	f.oldBox.Hide()
	return card("PDF", "Skapa PDF:erna: originalet till Försäkringskassan (skrivs ut och signeras), kopian till "+
		"vårdnadshavaren och ett följebrev. Spara dem i en mapp och öppna dem för att skriva ut.",
		container.NewVBox(container.NewHBox(f.createBtn, f.saveBtn, f.openBtn), f.pdfInfo, f.oldBox))
}

func (f *intygFlow) buildSent() fyne.CanvasObject {
	f.sentChecks = map[string]*widget.Check{}
	f.sentInfo = map[string]*widget.Label{}
	box := container.NewVBox()
	for _, s := range []struct{ key, text string }{
		{app.StepOriginalFK, "Original skickat till Försäkringskassan"},
		{app.StepKopiaVardnadshavare, "Kopia skickad till vårdnadshavare"},
	} {
		key := s.key
		check := widget.NewCheck(s.text, func(on bool) { f.onSentChanged(key, on) })
		info := widget.NewLabel("")
		info.TextStyle = fyne.TextStyle{Italic: true}
		f.sentChecks[key], f.sentInfo[key] = check, info
		box.Add(check)
		box.Add(container.NewBorder(nil, nil, widget.NewLabel("   "), nil, info))
	}
	return card("Skickat", "Bocka i när originalet är postat till Försäkringskassan och kopian med följebrevet "+
		"till vårdnadshavaren. Datumet registreras.", box)
}

func (f *intygFlow) buildClose() fyne.CanvasObject {
	f.finalText = wrapLabel("")
	f.finalCopy = widget.NewButtonWithIcon("Kopiera", theme.ContentCopyIcon(), f.onFinalCopyTapped)
	f.closeBtn = widget.NewButtonWithIcon("Besvarat och avslutat i 1177", theme.ConfirmIcon(), f.onCloseTapped)
	f.closeBtn.Importance = widget.HighImportance
	f.finalInfo = wrapLabel("")
	f.finalInfo.Hide()
	return card("Avsluta", "Kopiera svaret, klistra in det i 1177, besvara och avsluta ärendet där, och markera det sedan här.",
		container.NewVBox(widget.NewCard("", "", f.finalText), container.NewHBox(f.finalCopy, f.closeBtn), f.finalInfo))
}

// load reads the case, the draft, the issued versions, the settings and
// the standard replies, then fills the flow.
func (f *intygFlow) load() {
	now := f.u.s.Now()
	if f.u.me != nil {
		f.me = *f.u.me
	}
	f.actor = f.u.actor()
	f.u.background(func(ctx context.Context) {
		l, err := f.read(ctx, now)
		if err != nil {
			f.u.showError(err)
			fyne.Do(func() { f.message.SetText("Intyget kunde inte läsas.") })
			return
		}
		fyne.Do(func() { f.show(l) })
	})
}

func (f *intygFlow) read(ctx context.Context, now time.Time) (*intygLoaded, error) {
	st := f.u.s.Store
	l := &intygLoaded{settings: map[string]string{}}
	var err error
	if l.c, err = st.Case(ctx, f.id); err != nil {
		return nil, err
	}
	if l.versions, err = f.store.IntygVersions(ctx, f.id); err != nil {
		return nil, err
	}
	raw, err := f.store.IntygDraft(ctx, f.id)
	if err != nil {
		return nil, err
	}
	if raw != nil {
		var d app.Intyg
		if err := json.Unmarshal(raw, &d); err != nil {
			l.draftError = err
		} else if n := len(l.versions); n == 0 || !app.SameIntygContent(&d, l.versions[n-1].Intyg) {
			l.draft = &d
		}
	}
	for _, k := range []string{app.SettingMottagningNamn, app.SettingMottagningAdress, app.SettingMottagningTelefon,
		app.SettingMottagningVardgivare, app.SettingMottagningOrt} {
		v, err := st.Setting(ctx, k)
		if err != nil {
			return nil, err
		}
		l.settings[k] = strings.TrimSpace(v)
	}
	vals, err := app.ReplyValuesFor(ctx, st, l.c, now)
	if err != nil {
		return nil, err
	}
	for key, out := range map[string]*app.FilledReply{app.ReplyDelsvar: &l.delsvar, app.ReplyIntygSkickat: &l.final} {
		text, _, err := f.u.replies.Text(ctx, st, key)
		if err != nil {
			return nil, err
		}
		*out = app.FillReply(text, vals)
	}
	return l, nil
}

// show fills the flow from what load read and opens the page where the
// work stands.
func (f *intygFlow) show(l *intygLoaded) {
	f.c, f.settings, f.versions, f.delsvar, f.final = l.c, l.settings, l.versions, l.delsvar, l.final
	f.delsvarText.SetText(l.delsvar.Text)
	f.finalText.SetText(l.final.Text)
	f.issuerText.SetText(f.issuerSummary())

	switch {
	case l.draft != nil:
		f.fill(l.draft)
		f.draftInfo.SetText("Utkastet är återställt: det du skrev senast finns kvar.")
	case len(l.versions) > 0:
		f.fill(l.versions[len(l.versions)-1].Intyg)
	default:
		f.fill(f.blank())
	}
	if n := len(l.versions); n > 0 && l.draft == nil {
		f.issued = &l.versions[n-1]
	}
	if l.draftError != nil {
		f.draftInfo.SetText("Det sparade utkastet kunde inte läsas; formuläret är tomt.")
	}
	f.renderCase()

	_, delsvarDone := f.c.Steps[app.StepDelsvar]
	_, origDone := f.c.Steps[app.StepOriginalFK]
	_, kopiaDone := f.c.Steps[app.StepKopiaVardnadshavare]
	page := intygPageForm
	switch {
	case f.c.Status == app.StatusAvslutad && l.draft == nil:
		page = intygPageClose
	case !delsvarDone && len(l.versions) == 0 && l.draft == nil:
		page = intygPageDelsvar
	case l.draft != nil || len(l.versions) == 0:
		page = intygPageForm
	case !origDone || !kopiaDone:
		page = intygPagePDF
	default:
		page = intygPageClose
	}
	f.goTo(page)
	if l.draft != nil && page == intygPageForm {
		f.message.SetText("Utkastet är återställt: det du skrev senast finns kvar.")
	}
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

func (f *intygFlow) addPeriodRow(p app.IntygPeriod) *intygPeriodRow {
	r := &intygPeriodRow{}
	r.from = widget.NewEntry()
	r.from.SetPlaceHolder("Första dag ÅÅÅÅ-MM-DD")
	r.from.SetText(p.From)
	r.to = widget.NewEntry()
	r.to.SetPlaceHolder("Sista dag ÅÅÅÅ-MM-DD")
	r.to.SetText(p.To)
	r.percent = widget.NewSelect(intygPercentLabels, nil)
	r.percent.PlaceHolder = "Omfattning …"
	if p.Percent != 0 {
		r.percent.SetSelected(app.PercentSv(p.Percent))
	}
	changed := func() {
		r.touched = true
		f.onFieldChanged("periods")
	}
	r.from.OnChanged = func(string) { changed() }
	r.to.OnChanged = func(string) { changed() }
	r.percent.OnChanged = func(string) { changed() }
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { f.onRemovePeriod(r) })
	r.errs = errLabel()
	f.periods = append(f.periods, r)
	return r
}

func (f *intygFlow) renderPeriods() {
	f.periodBox.Objects = nil
	for i, r := range f.periods {
		if len(f.periods) > 1 {
			r.remove.Enable()
		} else {
			r.remove.Disable()
		}
		row := container.NewBorder(nil, nil, widget.NewLabel(fmt.Sprintf("Period %d", i+1)), r.remove,
			container.NewGridWithColumns(3, r.from, r.to, r.percent))
		f.periodBox.Add(container.NewVBox(row, r.errs))
	}
	f.periodBox.Refresh()
}

func (f *intygFlow) onAddPeriodTapped() {
	r := f.addPeriodRow(app.IntygPeriod{Percent: 100})
	f.renderPeriods()
	f.u.win.Canvas().Focus(r.from)
	f.onFieldChanged("periods")
}

func (f *intygFlow) onRemovePeriod(r *intygPeriodRow) {
	for i, x := range f.periods {
		if x == r && len(f.periods) > 1 {
			f.periods = append(f.periods[:i], f.periods[i+1:]...)
			break
		}
	}
	f.renderPeriods()
	f.onFieldChanged("periods")
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
	}
	for i, g := range f.guardians {
		p := app.IntygPerson{Name: g.name.Text, Personnummer: g.pnr.Text}
		// A second guardian left empty is no guardian.
		if i == 0 || strings.TrimSpace(p.Name+p.Personnummer) != "" {
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
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return msg
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

	if age, tooOld := in.ChildTooOld(); tooOld {
		f.tooOldText.SetText(fmt.Sprintf("Barnet har fyllt %d år den första vårddagen (%s): barnet är då %d år. "+
			"Intyget för vård av barn under 12 år gäller inte; det behövs ett läkarintyg (vård av barn 12–16 år).",
			app.IntygAgeLimit, in.FirstCareDay(), age))
		if !f.tooOld.Visible() && f.page == intygPageForm {
			f.message.SetText("Barnet har fyllt 12 år den första vårddagen: se överst i formuläret.")
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

// scheduleDraft saves the form as a draft when the nurse has stopped
// typing for a moment, off the UI goroutine.
func (f *intygFlow) scheduleDraft() {
	b, err := json.Marshal(f.current())
	if err != nil {
		return
	}
	f.draftMu.Lock()
	f.draftSeq++
	f.pending = b
	if f.debounce <= 0 {
		f.draftMu.Unlock()
		f.flushDraft()
		return
	}
	if f.draftTimer != nil {
		f.draftTimer.Stop()
	}
	f.draftTimer = time.AfterFunc(f.debounce, f.flushDraft)
	f.draftMu.Unlock()
}

// flushDraft saves the waiting snapshot now. Safe from any goroutine.
func (f *intygFlow) flushDraft() {
	f.draftMu.Lock()
	b, seq := f.pending, f.draftSeq
	f.pending = nil
	if f.draftTimer != nil {
		f.draftTimer.Stop()
		f.draftTimer = nil
	}
	f.draftMu.Unlock()
	if b == nil {
		return
	}
	actor := f.actor
	f.u.background(func(ctx context.Context) {
		f.saveMu.Lock()
		defer f.saveMu.Unlock()
		if seq <= f.savedSeq {
			return // a newer snapshot is saved, or the intyg issued
		}
		if err := f.store.SaveIntygDraft(ctx, f.id, actor, b); err != nil {
			f.u.showError(err)
			return
		}
		f.savedSeq = seq
		at := f.u.s.Now().In(app.Stockholm).Format("15:04:05")
		fyne.Do(func() { f.draftInfo.SetText("Utkastet sparat " + at + ".") })
	})
}

// dropDraft forgets unsaved snapshots up to now: the intyg is issued (or
// the case re-routed) and the store has removed the draft.
func (f *intygFlow) dropDraft() int {
	f.draftMu.Lock()
	defer f.draftMu.Unlock()
	f.pending = nil
	if f.draftTimer != nil {
		f.draftTimer.Stop()
		f.draftTimer = nil
	}
	return f.draftSeq
}

// goTo shows page p.
func (f *intygFlow) goTo(p int) {
	f.page = p
	f.body.Objects = []fyne.CanvasObject{f.pages[p]}
	f.body.Refresh()
	f.scroll.ScrollToTop()
	for i, l := range f.steps {
		switch {
		case i == p:
			l.Importance = widget.HighImportance
			l.TextStyle = fyne.TextStyle{Bold: true}
		default:
			l.Importance = widget.MediumImportance
			l.TextStyle = fyne.TextStyle{}
		}
		l.Refresh()
	}
	switch p {
	case intygPagePreview:
		f.renderPreview()
	case intygPagePDF:
		f.renderPDF()
	}
	f.renderNav()
}

func (f *intygFlow) renderNav() {
	if f.page > 0 {
		f.backBtn.Enable()
	} else {
		f.backBtn.Disable()
	}
	switch {
	case f.page == intygPageClose:
		f.nextBtn.Disable()
	case f.page == intygPagePDF && f.issued == nil:
		f.nextBtn.Disable()
	default:
		f.nextBtn.Enable()
	}
	f.message.SetText(f.pageHint())
}

func (f *intygFlow) pageHint() string {
	switch f.page {
	case intygPageDelsvar:
		return "Nästa: skriv intyget."
	case intygPageForm:
		return "Fyll i intyget. Det sparas som utkast medan du skriver."
	case intygPagePreview:
		return "Nästa: skapa PDF:erna."
	case intygPagePDF:
		if f.issued == nil {
			return "Skapa PDF:erna för att gå vidare."
		}
		return "Nästa: skicka originalet och kopian."
	case intygPageSent:
		return "Nästa: besvara och avsluta ärendet i 1177."
	}
	if f.c != nil && f.c.Status == app.StatusAvslutad {
		return "Ärendet är avslutat."
	}
	return "Sista steget."
}

func (f *intygFlow) onBackTapped() {
	if f.page > 0 {
		f.goTo(f.page - 1)
	}
}

func (f *intygFlow) onNextTapped() {
	switch f.page {
	case intygPageForm:
		f.showAll = true
		errs := f.validate()
		if f.tooOld.Visible() {
			f.message.SetText("Barnet har fyllt 12 år: styr om ärendet till läkarintyg.")
			f.scroll.ScrollToTop()
			return
		}
		if len(errs) > 0 {
			f.message.SetText(fmt.Sprintf("Rätta det som är markerat i rött (%d fel) innan du går vidare.", len(errs)))
			return
		}
	case intygPagePDF:
		if f.issued == nil {
			return
		}
	case intygPageClose:
		return
	}
	f.goTo(f.page + 1)
}

// renderCase shows what the case says: delsvar, sent, closed.
func (f *intygFlow) renderCase() {
	c := f.c
	now := f.u.s.Now()
	open := c.Status != app.StatusAvslutad
	if st, done := c.Steps[app.StepDelsvar]; done {
		f.delsvarInfo.Importance = widget.SuccessImportance
		f.delsvarInfo.SetText("Delsvar skickat " + whenAt(st.At, now) + " av " + f.u.staffName(st.By) + ". Gå vidare till intyget.")
		f.delsvarInfo.Show()
		f.delsvarSent.Disable()
	} else if !open {
		f.delsvarSent.Disable()
	} else {
		f.delsvarSent.Enable()
	}
	for key, check := range f.sentChecks {
		st, done := c.Steps[key]
		check.OnChanged, check.Checked = nil, done // no event for showing it
		check.Refresh()
		k := key
		check.OnChanged = func(on bool) { f.onSentChanged(k, on) }
		if done {
			f.sentInfo[key].SetText("Klart " + whenAt(st.At, now) + " av " + f.u.staffName(st.By))
		} else {
			f.sentInfo[key].SetText("Inte gjort än")
		}
	}
	if open {
		f.closeBtn.Enable()
	} else {
		f.closeBtn.Disable()
		f.finalInfo.Importance = widget.SuccessImportance
		f.finalInfo.SetText("Ärendet är besvarat och avslutat.")
		f.finalInfo.Show()
	}
	f.title.SetText("Intyg – vård av barn under 12 år · Ärende nr " + itoa(int(c.ID)))
}

// updateCase changes the case through a domain method, off the UI
// goroutine, and shows the result.
func (f *intygFlow) updateCase(fn func(c *app.Case, actor string, now time.Time) ([]app.Event, error), after func()) {
	actor, now := f.actor, f.u.s.Now()
	f.u.background(func(ctx context.Context) {
		c, err := f.u.s.Store.UpdateCase(ctx, f.id, actor, func(c *app.Case) ([]app.Event, error) {
			return fn(c, actor, now)
		})
		if err != nil {
			f.u.showError(err)
			fyne.Do(func() {
				if f.c != nil {
					f.renderCase() // undo a box the user ticked
				}
			})
			return
		}
		fyne.Do(func() {
			f.c = c
			f.renderCase()
			if after != nil {
				after()
			}
		})
		f.u.refreshHeader()
	})
}

func (f *intygFlow) onDelsvarCopyTapped() {
	f.u.app.Clipboard().SetContent(f.delsvarText.Text)
	f.delsvarInfo.Importance = widget.MediumImportance
	f.delsvarInfo.SetText("Kopierat. Klistra in delsvaret i 1177, skicka det och tryck sedan \"Markera delsvar som skickat\".")
	f.delsvarInfo.Show()
}

func (f *intygFlow) onDelsvarSentTapped() {
	reply, ok := f.u.replies.Reply(app.ReplyDelsvar)
	if !ok {
		return
	}
	f.delsvarSent.Disable()
	f.updateCase(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.SendReply(reply, actor, now)
	}, nil)
}

// onRerouteTapped sends the case to the doctor's flow and leaves.
func (f *intygFlow) onRerouteTapped() {
	f.rerouteBtn.Disable()
	f.updateCase(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.Reroute(app.TypeVAB1216, actor, now)
	}, func() {
		f.dropDraft()
		f.leaveFlow()
	})
}

func (f *intygFlow) renderPreview() {
	in, err := f.current().Normalized()
	f.preview.Objects = nil
	if err != nil {
		f.preview.Add(wrapLabel("Intyget är inte färdigt: gå tillbaka och rätta det som är markerat."))
		f.preview.Refresh()
		return
	}
	item := func(label, value string) *widget.FormItem {
		return widget.NewFormItem(label, wrapLabel(value))
	}
	form := widget.NewForm()
	form.Append("", boldLabel("Barnet"))
	form.AppendItem(item("Namn", in.Child.Name))
	form.AppendItem(item("Personnummer", in.Child.Personnummer))
	for i, g := range in.Guardians {
		form.Append("", boldLabel(fmt.Sprintf("Vårdnadshavare %d", i+1)))
		form.AppendItem(item("Namn", g.Name))
		form.AppendItem(item("Personnummer", g.Personnummer))
	}
	form.Append("", boldLabel("Diagnos eller symtom"))
	form.AppendItem(item("", in.Diagnosis))
	form.Append("", boldLabel("Barnet bör inte vårdas i ordinarie tillsynsform"))
	for i, p := range in.Periods {
		form.AppendItem(item(fmt.Sprintf("Period %d", i+1), p.From+" – "+p.To+", "+app.PercentSv(p.Percent)+" av ordinarie tid"))
	}
	form.Append("", boldLabel("Bedömningen grundar sig på"))
	form.AppendItem(item("Kontakt", in.Contact.Kind.Sv()+" "+in.Contact.Date))
	form.Append("", boldLabel("Utfärdare"))
	form.AppendItem(item("Namn", in.Issuer.Name+", "+in.Issuer.Title))
	form.AppendItem(item("HSA-ID", in.Issuer.HSAID))
	form.AppendItem(item("Mottagning", in.Issuer.Unit+", "+in.Issuer.Address+", tel. "+in.Issuer.Phone))
	form.AppendItem(item("Vårdgivare", in.Issuer.CareProvider))
	form.AppendItem(item("Ort och datum", in.Place+" "+in.Date))
	f.preview.Add(form)
	f.preview.Refresh()
}

// renderPDF shows whether the PDFs are made of what the form holds.
func (f *intygFlow) renderPDF() {
	n := len(f.versions)
	switch {
	case f.issued != nil:
		f.createBtn.SetText("Skapa PDF")
		f.createBtn.Disable()
		f.saveBtn.Enable()
		text := fmt.Sprintf("Intyg version %d skapat %s av %s: original, kopia och följebrev.",
			f.issued.Version, whenAt(f.issued.CreatedAt, f.u.s.Now()), f.u.staffName(f.issued.CreatedBy))
		if f.savedDir != "" {
			text += "\nSparade i " + f.savedDir + "."
		} else {
			text += "\nSpara dem i en mapp för att skriva ut."
		}
		if n > 1 {
			text += fmt.Sprintf("\nTidigare versioner (1–%d) finns sparade med ärendet.", n-1)
		}
		f.pdfInfo.SetText(text)
	case n > 0:
		f.createBtn.SetText(fmt.Sprintf("Skapa rättad version (version %d)", n+1))
		f.createBtn.Enable()
		f.saveBtn.Disable()
		f.pdfInfo.SetText(fmt.Sprintf("Intyget är ändrat sedan version %d. En rättelse blir en ny version; den gamla sparas.", n))
	default:
		f.createBtn.SetText("Skapa PDF")
		f.createBtn.Enable()
		f.saveBtn.Disable()
		f.pdfInfo.SetText("Inga PDF:er skapade än.")
	}
	if f.savedDir != "" && f.issued != nil {
		f.openBtn.Enable()
	} else {
		f.openBtn.Disable()
	}
	f.renderOldVersions()
	if f.page == intygPagePDF {
		f.renderNav()
	}
}

// renderOldVersions offers every stored version but the current one for
// printing again.
func (f *intygFlow) renderOldVersions() {
	f.oldKeys = map[string]int{}
	var opts []string
	for i := len(f.versions) - 1; i >= 0; i-- {
		v := f.versions[i]
		if f.issued != nil && f.issued.Version == v.Version {
			continue
		}
		o := fmt.Sprintf("Version %d, skapad %s av %s", v.Version, whenAt(v.CreatedAt, f.u.s.Now()), f.u.staffName(v.CreatedBy))
		f.oldKeys[o] = v.Version
		opts = append(opts, o)
	}
	f.oldSel.Options = opts
	f.oldSel.ClearSelected()
	f.oldSave.Disable()
	if len(opts) == 0 {
		f.oldBox.Hide()
	} else {
		f.oldBox.Show()
	}
}

func (f *intygFlow) onSaveOldTapped() {
	version, ok := f.oldKeys[f.oldSel.Selected]
	if !ok {
		return
	}
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			f.u.showError(err)
			return
		}
		if dir != nil {
			f.saveVersion(dir.Path(), version)
		}
	}, f.u.win)
	d.SetConfirmText("Spara här")
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// saveVersion writes a stored version's documents again, read from the
// store so that the content is what was issued, and logs the print.
func (f *intygFlow) saveVersion(dir string, version int) {
	actor := f.actor
	f.oldSave.Disable()
	f.u.background(func(ctx context.Context) {
		defer fyne.Do(func() { f.oldSave.Enable() })
		v, err := f.store.IntygVersion(ctx, f.id, version)
		if err != nil {
			f.u.showError(err)
			return
		}
		out := filepath.Join(dir, intygDirName(v.CaseID, v.Version))
		if err := pdf.RenderAll(out, v.Intyg, pdf.Options{}); err != nil {
			f.u.showError(err)
			return
		}
		if err := f.store.RecordPrint(ctx, v.CaseID, v.Version, actor); err != nil {
			for _, name := range app.IntygFiles() {
				os.Remove(filepath.Join(out, name))
			}
			os.Remove(out)
			f.u.showError(err)
			return
		}
		fyne.Do(func() { f.pdfInfo.SetText(fmt.Sprintf("Version %d sparad i %s.", v.Version, out)) })
	})
}

// onCreateTapped issues the intyg (a new version, stored with the case and
// written to the access log) and makes its PDFs in memory.
func (f *intygFlow) onCreateTapped() {
	in := f.current()
	if err := in.Validate(); err != nil {
		f.showAll = true
		f.validate()
		f.goTo(intygPageForm)
		f.message.SetText("Rätta det som är markerat i rött.")
		return
	}
	f.createBtn.Disable()
	f.pdfInfo.SetText("Skapar PDF:erna …")
	seq := f.dropDraft()
	actor := f.actor
	f.u.background(func(ctx context.Context) {
		// Render first: text the font cannot print stops here, before
		// anything is stored.
		if _, err := pdf.Documents(in, pdf.Options{}); err != nil {
			f.failCreate(err)
			return
		}
		f.saveMu.Lock()
		v, err := f.store.IssueIntyg(ctx, f.id, actor, in)
		if err == nil {
			f.savedSeq = max(f.savedSeq, seq) // older snapshots must not bring the draft back
		}
		f.saveMu.Unlock()
		if err != nil {
			f.failCreate(err)
			return
		}
		versions, err := f.store.IntygVersions(ctx, f.id)
		if err != nil {
			f.failCreate(err)
			return
		}
		var issued *app.IntygVersion
		for i := range versions {
			if versions[i].Version == v {
				issued = &versions[i]
			}
		}
		if issued == nil {
			f.failCreate(app.Errorf(app.EINTERNAL, "intyg version %d saknas efter att det sparats", v))
			return
		}
		// The documents are made of the stored version, as every later
		// print will be.
		if _, err := pdf.Documents(issued.Intyg, pdf.Options{}); err != nil {
			f.failCreate(err)
			return
		}
		c, err := f.u.s.Store.Case(ctx, f.id)
		if err != nil {
			f.failCreate(err)
			return
		}
		fyne.Do(func() {
			f.versions, f.issued, f.savedDir, f.c = versions, issued, "", c
			f.draftInfo.SetText("")
			f.renderCase()
			f.renderPDF()
		})
		f.u.refreshHeader()
	})
}

func (f *intygFlow) failCreate(err error) {
	f.u.showError(err)
	fyne.Do(func() { f.renderPDF() })
}

func (f *intygFlow) onSaveTapped() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			f.u.showError(err)
			return
		}
		if dir == nil {
			return // cancelled
		}
		f.saveTo(dir.Path())
	}, f.u.win)
	d.SetConfirmText("Spara här")
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// intygDirName is the folder the documents of a version are saved in,
// inside the folder chosen: one per case and version, so that saving
// another intyg never overwrites these, and no name in the path.
func intygDirName(caseID int64, version int) string {
	return fmt.Sprintf("intyg-arende-%d-version-%d", caseID, version)
}

// saveTo writes original.pdf, kopia.pdf and foljebrev.pdf of the issued
// version into a folder of their own in dir, and writes the access log.
func (f *intygFlow) saveTo(dir string) {
	if f.issued == nil {
		return
	}
	v, actor := *f.issued, f.actor
	out := filepath.Join(dir, intygDirName(v.CaseID, v.Version))
	f.saveBtn.Disable()
	f.u.background(func(ctx context.Context) {
		defer fyne.Do(func() { f.renderPDF() })
		if err := pdf.RenderAll(out, v.Intyg, pdf.Options{}); err != nil {
			f.u.showError(err)
			return
		}
		if err := f.store.RecordPrint(ctx, v.CaseID, v.Version, actor); err != nil {
			// Documents with personnummer do not stay on disk without
			// their row in the access log.
			for _, name := range app.IntygFiles() {
				os.Remove(filepath.Join(out, name))
			}
			os.Remove(out)
			f.u.showError(err)
			return
		}
		fyne.Do(func() {
			if f.issued != nil && f.issued.Version == v.Version {
				f.savedDir = out
			}
		})
	})
}

// onOpenTapped opens the saved original in the system's PDF viewer, to
// print and sign; the copy and letter are beside it.
func (f *intygFlow) onOpenTapped() {
	if f.savedDir == "" {
		return
	}
	p := filepath.Join(f.savedDir, app.IntygOriginalFile)
	if err := f.u.app.OpenURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}); err != nil {
		f.u.showError(app.Errorf(app.EINTERNAL, "Kunde inte öppna %s: %v", p, err))
	}
}

func (f *intygFlow) onSentChanged(key string, on bool) {
	f.updateCase(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.SetStep(key, on, actor, now)
	}, nil)
}

func (f *intygFlow) onFinalCopyTapped() {
	f.u.app.Clipboard().SetContent(f.finalText.Text)
	f.finalInfo.Importance = widget.MediumImportance
	f.finalInfo.SetText("Kopierat. Klistra in svaret i 1177, besvara och avsluta ärendet där och tryck sedan \"Besvarat och avslutat i 1177\".")
	f.finalInfo.Show()
}

// onCloseTapped records the final answer: the case is closed.
func (f *intygFlow) onCloseTapped() {
	reply, ok := f.u.replies.Reply(app.ReplyIntygSkickat)
	if !ok {
		return
	}
	f.closeBtn.Disable()
	f.updateCase(func(c *app.Case, actor string, now time.Time) ([]app.Event, error) {
		return c.SendReply(reply, actor, now)
	}, f.leaveFlow)
}

func (f *intygFlow) onLeaveTapped() { f.leaveFlow() }

// leaveFlow saves what is typed and goes back to the case.
func (f *intygFlow) leaveFlow() {
	f.flushDraft()
	if f.cv.flow == f {
		f.cv.flow = nil
	}
	if f.u.caseView != f.cv {
		return // the user has gone elsewhere already
	}
	f.u.casesBody.Objects = []fyne.CanvasObject{f.cv.content}
	f.u.casesBody.Refresh()
	f.cv.load()
}
