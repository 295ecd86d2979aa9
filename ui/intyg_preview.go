package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"arendestod/app"
)

// Page 3 of the intyg flow: the intyg as it will be printed, to read
// through before it is issued.

func (f *intygFlow) buildPreview() fyne.CanvasObject {
	f.preview = container.NewVBox()
	return card("Förhandsgranska", "Läs igenom intyget. Stämmer något inte, gå tillbaka och rätta det.", f.preview)
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
