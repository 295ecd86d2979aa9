package app

// The clinic's routine (the specification ROUTINE.md, kept beside the
// repository) as data, in this one file: a revision of the routine is a
// change here and nowhere else. Keys are
// contracts: they are stored in the database and printed in JSON.

// Role is a staff role key.
type Role string

const (
	RoleAdministrator        Role = "administrator"
	RoleArendemottagare      Role = "arendemottagare"
	RoleArendehanterare      Role = "arendehanterare"
	RoleSjukskoterska        Role = "sjukskoterska"
	RoleMedicinskSekreterare Role = "medicinsk-sekreterare"
	// RoleIntygshanterare receives the doctor-certificate cases at the
	// medicinsk mottagning and hands them to a doctor by printing them
	// from 1177.
	RoleIntygshanterare Role = "intygshanterare"
	RoleLakare          Role = "lakare"
	RoleChef            Role = "chef"
)

// RoleInfo describes a role in the clinic's words.
type RoleInfo struct {
	Key  Role
	Name string
	Does string
}

var roles = []RoleInfo{
	{RoleAdministrator, "Administratör", "Lägger in personal utifrån HSA-ID och introducerar nya medarbetare."},
	{RoleArendemottagare, "Ärendemottagare", "Kollar av inkomna ärenden; 1177-ansvarig enligt schema."},
	{RoleArendehanterare, "Ärendehanterare", "Hanterar fördelade ärenden och får notiser via e-post."},
	{RoleSjukskoterska, "Sjuksköterska", "Förnya recept och vård av barn under 12 år."},
	{RoleMedicinskSekreterare, "Medicinsk sekreterare", "Avbokning/ombokning, kontaktuppgifter, utskrift av intyg."},
	{RoleIntygshanterare, "Intygshanterare (medicinsk mottagning)", "Tar emot läkarintygsärenden och fördelar dem till läkare via utskrift från 1177."},
	{RoleLakare, "Läkare", "Läkarintyg."},
	{RoleChef, "Enhetschef/teamledare", "Schemalägger vem som är 1177-ansvarig."},
}

// Roles returns every role in display order.
func Roles() []RoleInfo { return append([]RoleInfo(nil), roles...) }

// RoleByKey returns the role with key k.
func RoleByKey(k string) (RoleInfo, bool) {
	for _, r := range roles {
		if string(r.Key) == k {
			return r, true
		}
	}
	return RoleInfo{}, false
}

// Type groups as 1177 shows them.
const (
	GroupIntygLakare        = "Intyg läkare"
	GroupIntygSjukskoterska = "Intyg sjuksköterska"
	GroupOvriga             = "Övriga"
)

// Case-type keys.
const (
	TypeOmvardnadsbidrag    = "lakarintyg-omvardnadsbidrag"
	TypeVAB1216             = "lakarintyg-vab-12-16"
	TypeAllvarligtSjuktBarn = "lakarintyg-allvarligt-sjukt-barn"
	TypeKorkort             = "lakarintyg-korkort"
	TypeSjukskrivningSkola  = "lakarintyg-sjukskrivning-skola"
	TypeNarkotikaResa       = "lakarintyg-narkotika-resa"
	TypeFornyaRecept        = "fornya-recept"
	TypeVABUnder12          = "vab-under-12"
	TypeAvbokaOmboka        = "avboka-omboka"
	TypeSkickaMeddelande    = "skicka-meddelande"
	TypeKontaktuppgifter    = "andra-kontaktuppgifter"
	TypeJournalkopia        = "journalkopia"
	TypeEgenremiss          = "egenremiss"
	TypeFragaOmRemiss       = "fraga-om-remiss"
	TypeOkand               = "okand"
)

// Step is one item of a flow's checklist. Key is stable (stored with the
// case); Text is the routine's wording.
type Step struct {
	Key  string
	Text string
	// Feedback marks the step as the recording of feedback to the citizen
	// (delsvar, svar) or the closing without an answer (avslut): ticking it
	// is the same as the matching case action.
	Feedback string
	// Alt names a group of alternative steps: ticking one of the group
	// completes it, and the others are no longer left to do (ombokning:
	// "om inte, ny tid bokas" or "om ja och video, möte i Vård och Hälsa").
	Alt string
}

// Branch is one way through a flow that forks (avboka-omboka): the handler
// picks one and then sees its steps after the flow's common steps.
type Branch struct {
	Key   string
	Name  string
	Steps []Step
}

// Flow is the checklist a case of a type shows.
type Flow struct {
	Key      string
	Name     string
	Steps    []Step
	Branches []Branch
}

// Branch returns the branch with key k.
func (f Flow) Branch(k string) (Branch, bool) {
	for _, b := range f.Branches {
		if b.Key == k {
			return b, true
		}
	}
	return Branch{}, false
}

// StepsFor returns the steps a case sees: the common steps, then those of
// the chosen branch (none when no branch is chosen yet).
func (f Flow) StepsFor(branch string) []Step {
	steps := append([]Step(nil), f.Steps...)
	if b, ok := f.Branch(branch); ok {
		steps = append(steps, b.Steps...)
	}
	return steps
}

// Step returns the step with key k in the common steps or any branch.
func (f Flow) Step(k string) (Step, bool) {
	for _, s := range f.Steps {
		if s.Key == k {
			return s, true
		}
	}
	for _, b := range f.Branches {
		for _, s := range b.Steps {
			if s.Key == k {
				return s, true
			}
		}
	}
	return Step{}, false
}

// Feedback kinds a step can record.
const (
	FeedbackDelsvar = "delsvar"
	FeedbackSvar    = "svar"
	// FeedbackAvslut closes the case in 1177 without an answer: it is not
	// feedback to the citizen (the doctor-certificate flow, where the
	// delsvar is the feedback).
	FeedbackAvslut = "avslut"
)

// Closes reports whether ticking the step closes the case in 1177.
func (s Step) Closes() bool { return s.Feedback == FeedbackSvar || s.Feedback == FeedbackAvslut }

// StepMelior is the step whose being ticked on an unclosed case raises the
// routine's warning "dokumenterat i Melior men inte avslutat i 1177".
const StepMelior = "melior"

// StepFordelatIntygshanterare is the doctor-certificate step "Fördelat
// till intygshanterare": fördela to an intygshanterare ticks it
// (Case.AssignTo).
const StepFordelatIntygshanterare = "fordelat-intygshanterare"

// StepFordelatLakare is the doctor-certificate step the medicinsk
// mottagning ticks when it has printed the case from 1177 for a doctor.
// Cases stored before the step existed show it unticked.
const StepFordelatLakare = "fordelat-lakare"

// AltOmbokningUtfall groups ombokning's two outcomes: one of them
// completes the flow.
const AltOmbokningUtfall = "ombokning-utfall"

var flows = map[string]Flow{
	"lakarintyg": {
		Key: "lakarintyg", Name: "Intyg läkare",
		Steps: []Step{
			{Key: StepMelior, Text: "Förfrågan dokumenterad i Melior (öppenvården)"},
			{Key: StepFordelatIntygshanterare, Text: "Fördelat till intygshanterare läkare (medicinsk mottagning)"},
			{Key: "delsvar", Text: "Delsvar skickat: ärendet läggs till läkare för hantering", Feedback: FeedbackDelsvar},
			{Key: StepFordelatLakare, Text: "Ärendet fördelat till läkare via utskrift från 1177 (medicinsk mottagning)"},
			{Key: "avslutat-utan-svar", Text: "Ärendet avslutat i 1177 utan svar", Feedback: FeedbackAvslut},
			{Key: "diktat", Text: "Diktat skrivet; meddelande på uppdragslista Medicinsk mottagning (intyg i Intygsmodulen)"},
			{Key: "signerat", Text: "Elektroniskt signerat av läkare; intyget utskrivet och fysiskt signerat av läkare"},
			{Key: "intyg-skickat", Text: "Intyget skickat till berörd instans och/eller hem till patient/vårdnadshavare"},
		},
	},
	"fornya-recept": {
		Key: "fornya-recept", Name: "Förnya recept",
		Steps: []Step{
			{Key: StepMelior, Text: "Förfrågan dokumenterad i Melior"},
			{Key: "receptlogg", Text: "Noterat i receptförfrågningsloggen"},
			{Key: "besvarat", Text: "Besvarat i 1177", Feedback: FeedbackSvar},
		},
	},
	"vab-under-12": {
		Key: "vab-under-12", Name: "Vård av barn under 12 år",
		Steps: []Step{
			{Key: "delsvar", Text: "Delsvar skickat till patient/vårdnadshavare", Feedback: FeedbackDelsvar},
			{Key: "intyg-skrivet", Text: "Intyg skrivet"},
			{Key: "original-fk", Text: "Original skickat till Försäkringskassan"},
			{Key: "kopia-vardnadshavare", Text: "Kopia skickad till patient/vårdnadshavare"},
			{Key: "besvarat", Text: "Besvarat (avslutat) i 1177", Feedback: FeedbackSvar},
		},
	},
	"avboka-omboka": {
		Key: "avboka-omboka", Name: "Avboka eller omboka tid",
		Branches: []Branch{
			{Key: "avbokning", Name: "Avbokning", Steps: []Step{
				{Key: "svar-avbokat", Text: "Standardsvar skickat: ärendet mottaget och besöket avbokat", Feedback: FeedbackSvar},
				{Key: StepMelior, Text: "Notat i Melior, mall Återbud"},
				{Key: "elvis", Text: "Hanterat i ELVIS"},
				{Key: "behandlare-informerad", Text: "Behandlare/läkare informerad om avbokningen"},
			}},
			{Key: "ombokning-distans", Name: "Ombokning till distanskontakt (telefon eller video)", Steps: []Step{
				{Key: "behandlare-tillfragad", Text: "Behandlare/läkare informerad om önskemålet och tillfrågad om det går"},
				{Key: "ny-tid-bokad", Text: "Om inte: kontakt tagen med invånaren och ny tid bokad", Alt: AltOmbokningUtfall},
				{Key: "vard-och-halsa", Text: "Om ja och video: möte bokat i Vård och Hälsa", Alt: AltOmbokningUtfall},
				{Key: "besvarat", Text: "Besvarat i 1177", Feedback: FeedbackSvar},
			}},
			{Key: "ny-tid", Name: "Ny tid", Steps: []Step{
				{Key: "behandlare-meddelad", Text: "Behandlaren meddelad; kontaktar patient/vårdnadshavare om ny tid"},
				{Key: "besvarat", Text: "Besvarat i 1177", Feedback: FeedbackSvar},
			}},
		},
	},
	"skicka-meddelande": {
		Key: "skicka-meddelande", Name: "Skicka meddelande",
		Steps: []Step{
			{Key: "fordelat", Text: "Fördelat efter vad som efterfrågas (vid behov)"},
			{Key: "besvarat", Text: "Besvarat i 1177", Feedback: FeedbackSvar},
		},
	},
	"andra-kontaktuppgifter": {
		Key: "andra-kontaktuppgifter", Name: "Ändring av kontaktuppgifter",
		Steps: []Step{
			{Key: StepMelior, Text: "Kontaktuppgifter justerade i Melior, mall Patientbakgrund"},
			{Key: "besvarat", Text: "Besvarat i 1177", Feedback: FeedbackSvar},
		},
	},
	"journalkopia": {
		Key: "journalkopia", Name: "Beställning journalkopia",
		Steps: []Step{
			{Key: "standardsvar", Text: "Standardsvar med länk till centralarkivet skickat (observera menprövning)", Feedback: FeedbackSvar},
		},
	},
	"evi": {
		Key: "evi", Name: "Genväg till En Väg In",
		Steps: []Step{
			{Key: "standardsvar", Text: "Standardsvar med länk till En Väg In (EVI) skickat; ärendet avslutat", Feedback: FeedbackSvar},
		},
	},
	"okand": {
		Key: "okand", Name: "Okänd ärendetyp",
		Steps: []Step{
			{Key: "klassificerat", Text: "Ärendetyp bestämd för hand (styr om ärendet till rätt typ)"},
		},
	},
}

// CaseType is one of the routine's ärendetyper.
type CaseType struct {
	Key   string
	Name  string // as 1177 shows it
	Group string
	// Roles that take the case, in order (arendemottagare → lakare).
	Roles []Role
	Flow  string
	// Routine is the routine's text for the type, shown with the case.
	Routine string
	// Aliases are other names a notice may use for the type: the routine's
	// own wording and the short forms 1177 shows.
	Aliases []string
	// Routing, when set, are the roles Fördela offers first, in order,
	// instead of Roles reversed: the doctor-certificate cases go to the
	// intygshanterare, and the doctor gets them on paper, not here.
	Routing []Role
	// StaffHint is shown to staff with the case, never sent to the
	// citizen (journalkopia: the routine's note on menprövning).
	StaffHint string
}

// Role returns the role that handles the case once it is routed: the
// first of RoutingRoles.
func (t CaseType) Role() Role { return t.RoutingRoles()[0] }

// ClosesWithoutReply reports whether the type's flow closes the case in
// 1177 without an answer (the doctor-certificate flow: "Ärendet avslutas
// utan svar"; the delsvar is the citizen's feedback).
func (t CaseType) ClosesWithoutReply() bool {
	for _, s := range flows[t.Flow].Steps {
		if s.Feedback == FeedbackAvslut {
			return true
		}
	}
	return false
}

// CloseLabel is the Swedish label of the action that closes a case of the
// type in 1177.
func (t CaseType) CloseLabel() string {
	if t.ClosesWithoutReply() {
		return "Avsluta utan svar"
	}
	return "Besvara och avsluta"
}

// RoutingRoles are the roles whose staff are offered first when a case of
// the type is assigned (Fördela): Routing when the type sets it, else the
// role that handles the case, then the roles before it, the nearest first
// (the one that takes it in last).
func (t CaseType) RoutingRoles() []Role {
	if len(t.Routing) > 0 {
		return append([]Role(nil), t.Routing...)
	}
	out := make([]Role, 0, len(t.Roles))
	for i := len(t.Roles) - 1; i >= 0; i-- {
		out = append(out, t.Roles[i])
	}
	return out
}

// StaffForAssign returns the active staff in the order they are offered
// for a case of the type: those with its RoutingRoles first, then the
// others.
func (t CaseType) StaffForAssign(staff []*Staff) []*Staff {
	return StaffByRoles(staff, t.RoutingRoles()...)
}

// StaffByRoles returns the active staff, those with roles[0] first, then
// those with roles[1] and so on, then everyone else; within each part in
// the order of staff. Each person appears once, in the first part that
// holds them.
func StaffByRoles(staff []*Staff, roles ...Role) []*Staff {
	var out []*Staff
	seen := map[string]bool{}
	add := func(s *Staff) {
		if s.Active && !seen[s.HSAID] {
			seen[s.HSAID] = true
			out = append(out, s)
		}
	}
	for _, r := range roles {
		for _, s := range staff {
			if s.HasRole(r) {
				add(s)
			}
		}
	}
	for _, s := range staff {
		add(s)
	}
	return out
}

const routineLakarintyg = "Öppenvården dokumenterar förfrågan i Melior och fördelar sedan ärendet till intygshanterare läkare (medicinsk mottagning) samt skickar delsvar om att ärendet läggs till läkare för hantering till invånaren. På medicinsk mottagning fördelas ärendet till läkare via utskrift från 1177. Ärendet avslutas utan svar. Medicinsk sekreterare skriver diktat. När intyget är färdigskrivet läggs ett meddelande på uppdragslista Medicinsk mottagning om att intyg finns i Intygsmodulen. Medicinsk sekreterare på Medicinsk mottagning får invänta elektronisk signering av läkare för att kunna skriva ut intyget och ordnar med en fysisk signering av läkare. Efter detta skickas intyget till berörd instans och/eller hem till patient/vårdnadshavare."

const routineEVI = "Egenremiss och Fråga om min remiss är genvägar till En Väg In (EVI). Skulle patienten/vårdnadshavaren råka trycka på skickaknappen kommer en tom förfrågan. Svara med det förberedda standardsvaret, som innehåller länken till EVI, och avsluta ärendet."

// The doctor-certificate flow's people, in the order the case passes
// them: öppenvården's ärendemottagare, the intygshanterare at the
// medicinsk mottagning, the doctor, the medicinsk sekreterare who types
// and prints the certificate.
var lakare = []Role{RoleArendemottagare, RoleIntygshanterare, RoleLakare, RoleMedicinskSekreterare}

// lakareRouting: Fördela offers the intygshanterare, then the ärendemottagare
// (who documents and sends the delsvar); the doctor gets the case via
// utskrift från 1177.
var lakareRouting = []Role{RoleIntygshanterare, RoleArendemottagare}

const hintMenprovning = "OBS! För menprövning (undantag): se rutinens anvisning om menprövning innan journalkopian lämnas ut. Texten är till personalen, inte till invånaren."

var caseTypes = []CaseType{
	{Key: TypeOmvardnadsbidrag, Name: "Omvårdnadsbidrag", Group: GroupIntygLakare, Roles: lakare, Routing: lakareRouting, Flow: "lakarintyg", Routine: routineLakarintyg,
		Aliases: []string{"Ansökan om omvårdnadsbidrag", "Intyg för omvårdnadsbidrag"}},
	{Key: TypeVAB1216, Name: "Ansökan för vård av barn 12 - 16 år", Group: GroupIntygLakare, Roles: lakare, Routing: lakareRouting, Flow: "lakarintyg", Routine: routineLakarintyg,
		Aliases: []string{"Vård av barn 12 - 16 år", "Vård av barn 12-16 år"}},
	{Key: TypeAllvarligtSjuktBarn, Name: "Ansökan för allvarligt sjukt barn som inte fyllt 18 år", Group: GroupIntygLakare, Roles: lakare, Routing: lakareRouting, Flow: "lakarintyg", Routine: routineLakarintyg,
		Aliases: []string{"Allvarligt sjukt barn", "Vård av allvarligt sjukt barn"}},
	{Key: TypeKorkort, Name: "Läkarutlåtande för körkortstillstånd", Group: GroupIntygLakare, Roles: lakare, Routing: lakareRouting, Flow: "lakarintyg", Routine: routineLakarintyg,
		Aliases: []string{"Läkarutlåtande körkort", "Körkortstillstånd", "Intyg för körkortstillstånd"}},
	{Key: TypeSjukskrivningSkola, Name: "Sjukskrivning till skola (gymnasiet)", Group: GroupIntygLakare, Roles: lakare, Routing: lakareRouting, Flow: "lakarintyg", Routine: routineLakarintyg,
		Aliases: []string{"Sjukskrivning till skola", "Sjukskrivning skola", "Sjukskrivning gymnasiet"}},
	{Key: TypeNarkotikaResa, Name: "Medförande av narkotikaklassat läkemedel inom ramen för medicinsk behandling vid resa (utanför Schengen)", Group: GroupIntygLakare, Roles: lakare, Routing: lakareRouting, Flow: "lakarintyg", Routine: routineLakarintyg,
		Aliases: []string{"Narkotikaklassat läkemedel vid resa", "Medförande av narkotikaklassat läkemedel", "Narkotikaklassat läkemedel utanför Schengen"}},
	{Key: TypeFornyaRecept, Name: "Förnya recept", Group: GroupIntygSjukskoterska, Roles: []Role{RoleSjukskoterska}, Flow: "fornya-recept",
		Aliases: []string{"Förnyelse av recept", "Receptförnyelse"},
		Routine: "Ärendemottagaren (sjuksköterska) dokumenterar förfrågan i Melior samt i receptförfrågningsloggen. Sjuksköterska besvarar ärendet."},
	{Key: TypeVABUnder12, Name: "Ansökan för vård av barn under 12 år", Group: GroupIntygSjukskoterska, Roles: []Role{RoleSjukskoterska}, Flow: "vab-under-12",
		Aliases: []string{"Vård av barn under 12 år"},
		Routine: "Ärendemottagaren (sjuksköterska) hanterar ärendet. Skickar delsvar till patient/vårdnadshavare. Skriver intyg. Ansvarar för att original skickas till Försäkringskassan samt kopia skickas till patient/vårdnadshavare. Besvarar (avslutar) ärendet i 1177. Har barnet fyllt 12 år första vårddagen är det ett läkarintyg (vård av barn 12 - 16 år)."},
	{Key: TypeAvbokaOmboka, Name: "Kontakt för att avboka eller omboka tid", Group: GroupOvriga, Roles: []Role{RoleMedicinskSekreterare}, Flow: "avboka-omboka",
		Aliases: []string{"Avboka eller omboka tid", "Avboka/omboka tid", "Avboka tid", "Omboka tid"},
		Routine: "Invånaren kan välja att av- eller omboka besöket helt eller att omboka till distanskontakt, telefon eller video. Vid avbokning svarar ärendemottagaren (medicinsk sekreterare) med standardsvar att ärendet är mottaget och besöket är avbokat, skriver notat i Melior (mall Återbud), hanterar ärendet i ELVIS och informerar aktuell behandlare/läkare. Vid ombokning till distanskontakt meddelas behandlare/läkare och tillfrågas om det är genomförbart; om inte, tas kontakt med invånaren och ny tid bokas; om ja och video, bokas möte i Vård och Hälsa. Vid ny tid meddelas behandlaren, som kontaktar patienten/vårdnadshavaren."},
	{Key: TypeSkickaMeddelande, Name: "Skicka meddelande", Group: GroupOvriga, Roles: []Role{RoleArendemottagare}, Flow: "skicka-meddelande",
		Routine: "Ärendemottagaren hanterar/svarar på ärendet. Fördelas beroende på vad som efterfrågas och återkopplas med svar i 1177 e-tjänster."},
	{Key: TypeKontaktuppgifter, Name: "Ändring av kontaktuppgifter", Group: GroupOvriga, Roles: []Role{RoleMedicinskSekreterare}, Flow: "andra-kontaktuppgifter",
		Aliases: []string{"Ändra kontaktuppgifter", "Ändring kontaktuppgifter", "Nya kontaktuppgifter"},
		Routine: "Ärendemottagaren (medicinsk sekreterare) hanterar och justerar kontaktuppgifterna i mall Patientbakgrund i Melior."},
	{Key: TypeJournalkopia, Name: "Beställning journalkopia", Group: GroupOvriga, Roles: []Role{RoleArendemottagare}, Flow: "journalkopia",
		Aliases:   []string{"Beställning av journalkopia", "Beställa journalkopia", "Journalkopia"},
		StaffHint: hintMenprovning,
		Routine:   "Länkas till centralarkivet. Om ärendet ändå kommer till mottagningens inkorg svarar ärendemottagare med standardsvar med en länk till centralarkivet. OBS! Menprövning (undantag)."},
	{Key: TypeEgenremiss, Name: "Egenremiss", Group: GroupOvriga, Roles: []Role{RoleArendemottagare}, Flow: "evi", Routine: routineEVI},
	{Key: TypeFragaOmRemiss, Name: "Fråga om min remiss", Group: GroupOvriga, Roles: []Role{RoleArendemottagare}, Flow: "evi", Routine: routineEVI,
		Aliases: []string{"Fråga om remiss"}},
	{Key: TypeOkand, Name: "Okänd ärendetyp", Group: "", Roles: []Role{RoleArendemottagare}, Flow: "okand",
		Routine: "Ärendetypen kändes inte igen. Läs ärendet i 1177 och styr om det till rätt ärendetyp."},
}

// CaseTypes returns every case type in the routine's order, okand last.
func CaseTypes() []CaseType { return append([]CaseType(nil), caseTypes...) }

// Groups returns the type groups in display order.
func Groups() []string {
	return []string{GroupIntygLakare, GroupIntygSjukskoterska, GroupOvriga}
}

// CaseTypeByKey returns the type with key k.
func CaseTypeByKey(k string) (CaseType, bool) {
	for _, t := range caseTypes {
		if t.Key == k {
			return t, true
		}
	}
	return CaseType{}, false
}

// TypeName returns the Swedish name of type key k, or k itself.
func TypeName(k string) string {
	if t, ok := CaseTypeByKey(k); ok {
		return t.Name
	}
	return k
}

// FlowOf returns the flow of a case type.
func FlowOf(typeKey string) Flow {
	t, ok := CaseTypeByKey(typeKey)
	if !ok {
		return flows["okand"]
	}
	return flows[t.Flow]
}

// ValidateTypeKey returns an EINVALID error naming field when k is not a
// case-type key.
func ValidateTypeKey(field, k string) error {
	if _, ok := CaseTypeByKey(k); ok {
		return nil
	}
	return FieldErrorf(field, "okänd ärendetyp %q", k)
}
