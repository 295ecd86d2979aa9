package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
	"arendestod/data"
	"arendestod/data/pgtest"
	"arendestod/pdf"
)

// Two desks on one PostgreSQL database, as two staff members: what one
// does, the other's window shows within a second.

// notifyApp records the desktop notifications of one window (the test
// app keeps only the last of all windows).
type notifyApp struct {
	fyne.App
	mu    sync.Mutex
	notes []*fyne.Notification
}

func (a *notifyApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	a.notes = append(a.notes, n)
	a.mu.Unlock()
}

func (a *notifyApp) sent() []*fyne.Notification {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*fyne.Notification(nil), a.notes...)
}

// desk is one window on its own connection to the database.
type desk struct {
	t  *testing.T
	db *data.DB
	a  *notifyApp
	u  *UI
}

func openDesk(t *testing.T, a fyne.App, url, osUser, hsaID string) *desk {
	t.Helper()
	db, err := data.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return testNow }
	t.Cleanup(func() { db.Close() })
	a.Preferences().SetString("medarbetare."+osUser, hsaID)
	d := &desk{t: t, db: db, a: &notifyApp{App: a}}
	d.u = newUI(context.Background(), d.a, Services{Store: db, Changes: db, Intyg: app.NewIntygService(db, pdf.Renderer{}),
		Now: func() time.Time { return testNow }, OSUser: osUser})
	d.u.queued, d.u.debounce, d.u.coalesce, d.u.liveDelay, d.u.heartbeat = true, 0, 0, 0, 0
	d.u.win.Resize(fyne.NewSize(1200, 760))
	d.u.start()
	select {
	case <-d.u.liveReady:
	case <-time.After(10 * time.Second):
		t.Fatal("the window did not subscribe to the change feed")
	}
	d.settle()
	if d.u.me == nil || d.u.me.HSAID != hsaID {
		t.Fatalf("desk %s: not signed in (last error %q)", osUser, d.u.lastError)
	}
	return d
}

func (d *desk) settle() {
	d.t.Helper()
	if !d.u.settle() {
		d.t.Fatal("background work does not settle")
	}
}

// await runs the desk's work as changes arrive until cond holds; it fails
// after a second.
func (d *desk) await(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		d.settle()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("within 1 s: %s (last error %q)", what, d.u.lastError)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func historyText(cv *caseScreen) string {
	var b strings.Builder
	for _, o := range cv.history.Objects {
		if rt, ok := o.(*widget.RichText); ok {
			b.WriteString(rt.String())
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestLiveTwoDesks(t *testing.T) {
	pgtest.Need(t)
	url := pgtest.DB(t)
	setup, err := data.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	setup.Now = func() time.Time { return testNow }
	seedStaff(t, setup)
	ids := seedCases(t, setup)
	setup.Close()
	a := test.NewTempApp(t)
	eva := openDesk(t, a, url, "eva", hsaEva)    // 1177-ansvarig: fördelar
	lars := openDesk(t, a, url, "lars", hsaLars) // läkare
	x := ids["1177-100231"]

	// Lars looks at his own cases: none yet.
	lars.u.inbox.setView(app.ViewMine)
	lars.settle()
	if n := len(lars.u.inbox.rows); n != 0 || lars.u.inbox.tiles["mine"].value != 0 {
		t.Fatalf("Lars has %d rows, counter %d before fördela", n, lars.u.inbox.tiles["mine"].value)
	}

	// Eva fördelar the case to Lars: his list and counter follow, and he
	// is told.
	eva.u.openCase(x)
	eva.settle()
	eva.u.caseView.assign(hsaLars)
	eva.settle()
	if eva.u.lastError != "" {
		t.Fatalf("fördela: %s", eva.u.lastError)
	}
	lars.await("Lars's list and counter show the case", func() bool {
		return len(lars.u.inbox.rows) == 1 && lars.u.inbox.rows[0].ID == x && lars.u.inbox.tiles["mine"].value == 1
	})
	lars.await("Lars is notified", func() bool { return len(lars.a.sent()) > 0 })
	n := lars.a.sent()[0]
	if n.Title != "Ärende fördelat till dig" || n.Content != "Eva Ek fördelade Förnya recept – svar senast tis 24/11." {
		t.Errorf("notification %q / %q", n.Title, n.Content)
	}
	if len(eva.a.sent()) != 0 {
		t.Errorf("Eva was notified of her own fördela: %+v", eva.a.sent()[0])
	}

	// Lars opens it: each sees the other there.
	lars.u.openCase(x)
	lars.settle()
	eva.await("Eva sees Lars in the case", func() bool {
		return eva.u.caseView.live.viewers.Visible() && eva.u.caseView.live.viewers.Text == "Öppnat av: Lars Lind (sedan 10:00)"
	})
	lv := lars.u.caseView
	if !lv.live.viewers.Visible() || lv.live.viewers.Text != "Öppnat av: Eva Ek (sedan 10:00)" {
		t.Errorf("Lars sees %q (visible %v)", lv.live.viewers.Text, lv.live.viewers.Visible())
	}

	// Lars is typing when Eva writes a note: his case shows her change
	// and who made it, and keeps what he typed.
	test.Type(lv.note, "Ringde mamman, ")
	lv.patientName.SetText("Kalle")
	evaV := eva.u.caseView
	test.Type(evaV.note, "Receptet förnyat")
	evaV.onNoteTapped()
	eva.settle()
	lars.await("Lars's case shows Eva's note", func() bool {
		return strings.Contains(historyText(lars.u.caseView), "Anteckning: Receptet förnyat")
	})
	if lv.note.Text != "Ringde mamman, " {
		t.Errorf("Lars's note is now %q", lv.note.Text)
	}
	if lv.patientName.Text != "Kalle" {
		t.Errorf("Lars's patient name is now %q", lv.patientName.Text)
	}
	if !lv.live.changedBy.Visible() || lv.live.changedBy.Text != "Ändrat av Eva Ek kl 10:00" {
		t.Errorf("changed by %q (visible %v)", lv.live.changedBy.Text, lv.live.changedBy.Visible())
	}
	if evaV.live.changedBy.Visible() {
		t.Error("Eva is told of her own change")
	}

	// No lost update: Eva re-assigns the case to herself; Lars, before his
	// window has caught up, closes it from what he saw. Refused, with
	// Eva's name, and he sees the fresh case.
	evaV.assign(hsaEva)
	eva.settle()
	lv.onCloseTapped()
	answerDialog(t, lars.u, "Besvara och avsluta")
	lars.await("Lars sees the fresh case", func() bool {
		return lars.u.caseView.c.Assignee == hsaEva
	})
	want := "Ärendet ändrades av Eva Ek kl 10:00 medan du hade det öppet. Det visas nu som det är; gör om åtgärden om den fortfarande behövs."
	if lars.u.lastError != want {
		t.Errorf("Lars was told %q, want %q", lars.u.lastError, want)
	}
	if c, err := eva.db.Case(context.Background(), x); err != nil || c.Status == app.StatusAvslutad {
		t.Errorf("the stale close was stored: %+v %v", c, err)
	}
	if lv.note.Text != "Ringde mamman, " {
		t.Errorf("the refusal lost Lars's note: %q", lv.note.Text)
	}
	// A note from the same moment is applied in order.
	lars.u.lastError = ""
	lv.onNoteTapped()
	lars.settle()
	if lars.u.lastError != "" || !strings.Contains(historyText(lv), "Anteckning: Ringde mamman,") {
		t.Errorf("Lars's note: error %q, history %q", lars.u.lastError, historyText(lv))
	}

	// Lars leaves the case: Eva sees him go.
	lars.u.closeCase()
	lars.settle()
	eva.await("Lars gone from Eva's case", func() bool { return !eva.u.caseView.live.viewers.Visible() })
}

// A burst of changes is one reload.
func TestLiveCoalesces(t *testing.T) {
	f := newFixture(t)
	f.u.liveDelay = 0
	reloads := 0
	f.u.inbox.shown = func() { reloads++ }
	for i := range 50 {
		f.u.onChange(app.Change{Kind: app.ChangeCase, CaseID: int64(i%6 + 1), Actor: hsaAnna, At: testNow})
	}
	f.settle()
	if reloads != 1 {
		t.Errorf("%d inbox reloads for 50 changes, want 1", reloads)
	}
}

// A change made elsewhere while the intyg form is open: the flow shows
// the fresh case and who changed it, and every typed field stays.
func TestLiveKeepsIntygForm(t *testing.T) {
	f := newFixture(t)
	f.u.liveDelay = 0
	setMottagning(t, f.db)
	fl := f.openIntygFlow()
	fl.goTo(intygPageForm)
	test.Type(fl.childName, "Alva Testsson")
	test.Type(fl.diagnosis, "Feber och hosta")
	id := f.ids[refVAB]
	// Anna, on another desk, ticks the delsvar step.
	if _, err := f.db.UpdateCase(context.Background(), id, hsaAnna, func(c *app.Case) ([]app.Event, error) {
		return c.SetStep(app.StepDelsvar, true, hsaAnna, testNow)
	}); err != nil {
		t.Fatal(err)
	}
	f.u.onChange(app.Change{Kind: app.ChangeCase, CaseID: id, Actor: hsaAnna, At: testNow})
	f.settle()
	if _, done := fl.c.Steps[app.StepDelsvar]; !done {
		t.Error("the flow still shows the case without Anna's step")
	}
	if fl.childName.Text != "Alva Testsson" || fl.diagnosis.Text != "Feber och hosta" {
		t.Errorf("typed fields now %q, %q", fl.childName.Text, fl.diagnosis.Text)
	}
	if fl.message.Text != "Ändrat av Anna Berg kl 10:00." {
		t.Errorf("message %q", fl.message.Text)
	}
	if f.u.casesBody.Objects[0] != fl.content {
		t.Error("the reload left the intyg flow")
	}
}

// A case that another desk's intake made (one desk fetches the shared
// mailbox) gives every open window the "Nytt ärende" notification, once.
func TestNewCaseNotifiesEveryDesk(t *testing.T) {
	pgtest.Need(t)
	url := pgtest.DB(t)
	setup, err := data.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	setup.Now = func() time.Time { return testNow }
	seedStaff(t, setup)
	a := test.NewTempApp(t)
	eva := openDesk(t, a, url, "eva", hsaEva)
	lars := openDesk(t, a, url, "lars", hsaLars)
	in := app.Inbound{Key: "live-new-1", Source: "test", Raw: []byte("x"), Sender: "notis@1177.se",
		Notice: &app.Notice{Kind: app.NoticeInkommit, Type: app.TypeFornyaRecept, Unit: "BUP Uddevalla",
			Reference: "1177-700001", ReceivedAt: testNow.Add(-time.Hour)}}
	if rs, err := setup.IngestBatch(context.Background(), []app.Inbound{in}, nil); err != nil || len(rs) != 1 || rs[0].Outcome != app.OutcomeNew {
		t.Fatalf("intake: %+v %v", rs, err)
	}
	setup.Close()
	for _, d := range []*desk{eva, lars} {
		d.await("the desk is told of the new case", func() bool { return len(d.a.sent()) > 0 })
		d.settle()
		sent := d.a.sent()
		if len(sent) != 1 || sent[0].Title != "Nytt ärende" || !strings.HasPrefix(sent[0].Content, "Förnya recept – svar senast") {
			t.Errorf("notifications %+v", sent)
		}
	}
	// The list follows as well.
	if len(eva.u.inbox.rows) != 1 {
		t.Fatalf("Eva's inbox has %d rows", len(eva.u.inbox.rows))
	}
}
