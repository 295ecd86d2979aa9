package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// The guided intyg of a vab-under-12 case (issue 5): delsvar, the form,
// preview, the PDFs, original and copy sent, and closing the case in 1177.
// It takes the place of the case screen in the Ärenden tab until it is
// left; what is typed is saved as a draft as the nurse types. Issuing and
// printing go through app.IntygService (Services.Intyg).
//
// This file: opening the flow, its pages and navigation, and leaving it.
// The pages are in intyg_steps.go (1, 5, 6), intyg_form.go and
// intyg_periods.go (2), intyg_preview.go (3) and intyg_pdf.go (4); the
// draft in intyg_draft.go.

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

// intygPageBar is a page's own buttons and the line that says what they
// did.
type intygPageBar struct {
	info    fyne.CanvasObject
	buttons fyne.CanvasObject
}

// intygFlow is the flow's screen.
type intygFlow struct {
	u   *UI
	cv  *caseScreen
	svc *app.IntygService
	id  int64

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
	formBar *fyne.Container // the form page's part of the bottom bar
	// pageBars are the pages' own buttons (Kopiera, Markera …) and what
	// they say, shown outside the scroll: the buttons in pageButtons
	// beside the navigation, the message in pageInfo above them.
	pageBars    [intygPages]intygPageBar
	pageButtons *fyne.Container
	pageInfo    *fyne.Container

	// 1 Delsvar.
	delsvarText *keyEntry // editable before it is copied
	delsvarCopy *widget.Button
	delsvarSent *widget.Button
	delsvarInfo *widget.Label

	// 2 Intyg.
	childName, childPnr *widget.Entry
	guardians           [app.MaxGuardians]intygGuardian
	addrNote            *widget.Label // guardians at different addresses
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
	preview     *fyne.Container // the pages
	previewDoc  *widget.RadioGroup
	previewNote *widget.Label
	previewSeq  int // the latest drawing asked for; older ones are dropped

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
	finalText *keyEntry // editable before it is copied
	finalCopy *widget.Button
	closeBtn  *widget.Button
	finalInfo *widget.Label
	// finalCopied: the final answer was copied here (closing warns if not).
	finalCopied bool

	// The draft: the latest snapshot waits in pending until the nurse
	// stops typing (debounce); saves run one at a time and never write an
	// older snapshot over a newer one.
	debounce debouncer
	draftMu  sync.Mutex
	pending  []byte
	draftSeq int
	saveMu   sync.Mutex
	savedSeq int
}

// openIntyg shows the flow for the case on screen, in place of the case.
func (cv *caseScreen) openIntyg() *intygFlow {
	f := &intygFlow{u: cv.u, cv: cv, svc: cv.u.s.Intyg, id: cv.id, debounce: debouncer{delay: intygDraftDelay},
		errs: map[string]*widget.Label{}, touched: map[string]bool{}}
	if cv.u.debounce == 0 {
		f.debounce.delay = 0 // tests: save at once, through the queue
	}
	cv.flow = f
	cv.u.casesBody.Objects = []fyne.CanvasObject{f.build()}
	cv.u.casesBody.Refresh()
	f.load()
	return f
}

func (cv *caseScreen) onIntygTapped() { cv.openIntyg() }

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
	for i, p := range f.pages {
		f.pages[i] = smallHeadings(p)
	}
	f.body = container.NewStack(f.pages[0])
	top := container.NewVBox(container.NewBorder(nil, nil, f.leave, nil, f.title), container.NewCenter(indicator),
		widget.NewSeparator())
	// The age check's re-route offer (form page only) and the message
	// grow upwards from the buttons, which stay on the bottom line.
	f.formBar = container.NewStack(f.tooOld)
	f.pageButtons, f.pageInfo = container.NewStack(), container.NewStack()
	bottom := container.NewVBox(widget.NewSeparator(), f.formBar, f.pageInfo,
		container.NewBorder(nil, nil, bottomAligned(f.pageButtons), bottomAligned(container.NewHBox(f.backBtn, f.nextBtn)), f.message))
	f.scroll = container.NewVScroll(container.NewPadded(f.body))
	f.content = container.NewBorder(top, bottom, nil, nil, f.scroll)
	f.backBtn.Disable()
	f.nextBtn.Disable()
	return f.content
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
	is, err := f.svc.Load(ctx, f.id)
	if err != nil {
		return nil, err
	}
	l.versions, l.draft, l.draftError = is.Versions, is.Draft, is.DraftErr
	// The issuer's mottagning is the case's unit's (app.UnitDetailsFor).
	if l.settings, err = unitSettings(ctx, st, l.c.Unit); err != nil {
		return nil, err
	}
	fk, err := st.Setting(ctx, app.SettingFKAdress) // where the original is posted
	if err != nil {
		return nil, err
	}
	l.settings[app.SettingFKAdress] = strings.TrimSpace(fk)
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
	f.issuerText.SetText(f.issuerSummary() + f.unitHint())

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
	if f.page == intygPageForm {
		f.formBar.Show()
	} else {
		f.formBar.Hide()
	}
	f.pageButtons.Objects, f.pageInfo.Objects = nil, nil
	if bar := f.pageBars[f.page]; bar.buttons != nil {
		f.pageButtons.Objects = []fyne.CanvasObject{bar.buttons}
		f.pageInfo.Objects = []fyne.CanvasObject{bar.info}
	}
	f.pageButtons.Refresh()
	f.pageInfo.Refresh()
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
			f.message.SetText(intygTooOldHint)
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

// updateCase changes the case through a domain method, off the UI
// goroutine, and shows the result.
func (f *intygFlow) updateCase(fn func(c *app.Case, actor string, now time.Time) ([]app.Event, error), after func()) {
	actor, now := f.actor, f.u.s.Now()
	var seen int64
	if f.c != nil {
		seen = f.c.Version
	}
	f.u.background(func(ctx context.Context) {
		c, err := f.u.s.Store.UpdateCaseIf(ctx, f.id, actor, seen, func(c *app.Case) ([]app.Event, error) {
			return fn(c, actor, now)
		})
		if f.cv.refused(err) {
			return
		}
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
