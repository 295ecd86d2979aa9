package app

// Settings keys: every key the product reads or writes through
// SettingsStore, in one place. The values are stored in databases and
// must never change.

// The mottagning's details, used by the standard replies, the intyg and
// the access-log extract.
const (
	SettingMottagningNamn       = "mottagning.namn"
	SettingMottagningAdress     = "mottagning.adress"
	SettingMottagningTelefon    = "mottagning.telefon"
	SettingMottagningVardgivare = "mottagning.vardgivare"
	// SettingMottagningOrt is the mottagning's town, the default place of
	// an intyg. Optional: without it the nurse types the place.
	SettingMottagningOrt = "mottagning.ort"
	// Links the replies for journalkopia and En Väg In point to. They are
	// the region's, so the clinic sets them rather than us guessing them.
	SettingLankCentralarkivet = "lank.centralarkivet"
	SettingLankEVI            = "lank.evi"
)

// SettingFKAdress is where the intyg's original is posted to
// Försäkringskassan, printed on the original; empty means
// DefaultFKAddress.
const SettingFKAdress = "intyg.fk_adress"

// DefaultFKAddress is Försäkringskassan's address for medical certificates
// sent on paper: its scanning centre in Östersund.
const DefaultFKAddress = "Försäkringskassan, Inläsningscentralen, 839 88 Östersund"

// ReplySettingPrefix is the settings prefix of an overridden reply text:
// "svar.<key>". An empty value means the default text.
const ReplySettingPrefix = "svar."

// The saved IMAP account, written by the settings screen and read by the
// window's intake and by `sync`. The password is never among them: the
// desktop app keeps it in the OS keyring.
const (
	SettingIMAPHost     = "imap.host"
	SettingIMAPPort     = "imap.port"
	SettingIMAPSecurity = "imap.security"
	SettingIMAPUser     = "imap.user"
	SettingIMAPMailbox  = "imap.mailbox"
	SettingIMAPMarkSeen = "imap.mark_seen"
	SettingIMAPMoveTo   = "imap.move_to"
	SettingIMAPAssignee = "imap.assignee"
)

// The daily jobs (app/jobs): where backups go and how many are kept, how
// many months a closed case keeps its patient identifiers, and the day
// each job last ran (YYYY-MM-DD, Stockholm).
const (
	SettingBackupDir       = "backup.mapp"
	SettingBackupKeep      = "backup.antal"
	SettingRetentionMonths = "gallring.manader"
	SettingBackupLastRun   = "jobb.backup.senast"
	SettingRetentionLast   = "jobb.gallring.senast"
	// SettingAccessLogYears is how many years the access log keeps its
	// rows, personnummer included (AccessLogYearsOf): its own retention,
	// not the cases' gallring.manader.
	SettingAccessLogYears = "gallring.atkomstlogg.ar"
)

// SettingDemo, "1", marks a database as the demo's, so that the demo never
// writes made-up cases into a real database.
const SettingDemo = "demo.database"
