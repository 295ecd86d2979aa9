package app

// Access-log actions: the Action of an AuditEntry. The keys are what the
// database stores and must never change; AuditActionLabel gives the
// Swedish text an extract shows the patient.
const (
	AuditView      = "visa"      // data shown on a screen
	AuditChange    = "ändra"     // data changed
	AuditPrint     = "skriv-ut"  // an intyg issued, printed or saved as PDF
	AuditExport    = "exportera" // data written to a file
	AuditExtract   = "utdrag"    // a register extract made for the patient
	AuditRetention = "gallra"    // patient data removed after the retention time
)

// AuditAction is one access-log action: its stored key and its Swedish
// label.
type AuditAction struct {
	Key   string
	Label string
}

// auditActions is the one table of access-log actions, in the order a
// list of them shows.
var auditActions = []AuditAction{
	{AuditView, "Läst"},
	{AuditChange, "Ändrat"},
	{AuditPrint, "Skrivit ut"},
	{AuditExport, "Exporterat"},
	{AuditExtract, "Registerutdrag"},
	{AuditRetention, "Gallrat"},
}

// AuditActions returns every access-log action with its label.
func AuditActions() []AuditAction {
	return append([]AuditAction(nil), auditActions...)
}

// AuditActionLabel returns the Swedish label of an access-log action, or
// the key itself for an action it does not know (a row written by a later
// version of the program).
func AuditActionLabel(key string) string {
	for _, a := range auditActions {
		if a.Key == key {
			return a.Label
		}
	}
	return key
}
