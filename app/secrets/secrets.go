// Package secrets keeps what the product must not keep in its database:
// the passwords of the mail account and of the database server, in the OS
// keyring (Get, Set), and the access log's key (AuditKeys). It is the one
// place that talks to the keyring.
package secrets

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/zalando/go-keyring"

	"arendestod/app"
)

// Service is the OS keyring service every secret of the product is kept
// under; the entry's account names the secret.
const Service = "se.bupnu.arendestod"

// ErrNotFound is the keyring's "no such entry".
var ErrNotFound = keyring.ErrNotFound

// Get reads the secret kept under account.
func Get(account string) (string, error) { return keyring.Get(Service, account) }

// Set keeps secret under account.
func Set(account, secret string) error { return keyring.Set(Service, account, secret) }

// EnvKeyFile names the environment variable that points at a key file
// holding the access log's key, for a computer without a keyring (the
// headless intake on a server) or a clinic that gives every desk the same
// file. When it is set the keyring is not used for the key.
const EnvKeyFile = "ARENDESTOD_AUDIT_KEY_FILE"

// auditAccount is the keyring entry of the access-log key with id.
func auditAccount(id string) string { return "audit:" + id }

// Keys is the access log's key store (app.AuditKeys): a key file when
// KeyFile is set, else the OS keyring, and where this computer has no
// keyring at all (a Linux machine without Secret Service) a file per key
// in FallbackDir.
type Keys struct {
	// KeyFile is the one key file (ARENDESTOD_AUDIT_KEY_FILE); "" to use
	// the keyring.
	KeyFile string
	// FallbackDir holds a file per key (ID.key, owner-only) when the
	// keyring cannot be reached; "" for none.
	FallbackDir string
}

var _ app.AuditKeys = Keys{}

// AuditKeys returns the product's key store: ARENDESTOD_AUDIT_KEY_FILE
// when set, else the OS keyring, with the folder arendestod/audit-keys in
// the user's configuration folder where there is no keyring.
func AuditKeys() Keys {
	k := Keys{KeyFile: strings.TrimSpace(os.Getenv(EnvKeyFile))}
	if dir, err := os.UserConfigDir(); err == nil {
		k.FallbackDir = filepath.Join(dir, "arendestod", "audit-keys")
	}
	return k
}

// NewKey returns a new random access-log key.
func NewKey() ([]byte, error) {
	key := make([]byte, app.AuditKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return key, nil
}

// EncodeKey is the text form of a key in a key file and the keyring: 64
// hex digits and a newline.
func EncodeKey(key []byte) string { return hex.EncodeToString(key) + "\n" }

// DecodeKey reads the text form of a key.
func DecodeKey(s string) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(key) != app.AuditKeySize {
		return nil, app.Errorf(app.EINVALID, "Nyckeln till åtkomstloggen ska vara %d hexadecimala tecken.", 2*app.AuditKeySize)
	}
	return key, nil
}

// ReadKeyFile reads a key file. On systems with Unix permissions a file
// that others than its owner may read is refused.
func ReadKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, app.Errorf(app.ECONFLICT, "Nyckelfilen %s kan läsas av andra än ägaren (%v); gör den privat (chmod 600 %s).", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := DecodeKey(string(b))
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "Nyckelfilen %s: %s", path, app.ErrorMessage(err))
	}
	return key, nil
}

// WriteKeyFile writes key to a new file at path, owner-only; an existing
// file is never overwritten (fs.ErrExist).
func WriteKeyFile(path string, key []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(EncodeKey(key))
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// notFound is the Swedish "this computer does not have the key".
func notFound(id, where string) error {
	return app.Errorf(app.ENOTFOUND, "Nyckeln till åtkomstloggen (id %s) finns inte på den här datorn (%s). Be administratören läsa in den: arendestod audit key import NYCKELFIL, eller ange nyckelfilen i %s.", id, where, EnvKeyFile)
}

// AuditKey returns the key with id.
func (k Keys) AuditKey(id string) ([]byte, error) {
	if k.KeyFile != "" {
		key, err := ReadKeyFile(k.KeyFile)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, notFound(id, "nyckelfilen "+k.KeyFile+" finns inte")
		} else if err != nil {
			return nil, err
		}
		if got := app.AuditKeyID(key); got != id {
			return nil, app.Errorf(app.ENOTFOUND, "Nyckelfilen %s (%s) har en annan nyckel (id %s) än databasens åtkomstlogg (id %s).", k.KeyFile, EnvKeyFile, got, id)
		}
		return key, nil
	}
	s, err := keyring.Get(Service, auditAccount(id))
	if err == nil {
		key, err := DecodeKey(s)
		if err != nil {
			return nil, err
		}
		if app.AuditKeyID(key) != id {
			return nil, app.Errorf(app.ECONFLICT, "Nyckelringens post %s har en annan nyckel än sitt id.", auditAccount(id))
		}
		return key, nil
	}
	// Not in the keyring, or no keyring: the fallback folder.
	where := "inte i nyckelringen"
	if !errors.Is(err, keyring.ErrNotFound) {
		where = "ingen nyckelring: " + err.Error()
	}
	if k.FallbackDir != "" {
		key, ferr := ReadKeyFile(filepath.Join(k.FallbackDir, id+".key"))
		if ferr == nil && app.AuditKeyID(key) == id {
			return key, nil
		}
		if ferr != nil && !errors.Is(ferr, fs.ErrNotExist) {
			return nil, ferr
		}
	}
	return nil, notFound(id, where)
}

// NewAuditKey returns the key for a new database: the key file's (made
// with a new key when it does not exist yet), or a new key kept in the
// keyring (the fallback folder when there is no keyring).
func (k Keys) NewAuditKey() ([]byte, error) {
	if k.KeyFile != "" {
		key, err := ReadKeyFile(k.KeyFile)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return key, err
		}
		if key, err = NewKey(); err != nil {
			return nil, err
		}
		if err := WriteKeyFile(k.KeyFile, key); errors.Is(err, fs.ErrExist) {
			return ReadKeyFile(k.KeyFile) // made by another process just now
		} else if err != nil {
			return nil, app.Errorf(app.EINTERNAL, "Nyckelfilen %s kunde inte skapas: %v", k.KeyFile, err)
		}
		return key, nil
	}
	key, err := NewKey()
	if err != nil {
		return nil, err
	}
	return key, k.SaveAuditKey(key)
}

// SaveAuditKey keeps key in the keyring (or the fallback folder). With a
// key file it only accepts the key the file holds.
func (k Keys) SaveAuditKey(key []byte) error {
	if len(key) != app.AuditKeySize {
		return app.Errorf(app.EINVALID, "Nyckeln till åtkomstloggen ska vara %d byte.", app.AuditKeySize)
	}
	id := app.AuditKeyID(key)
	if k.KeyFile != "" {
		have, err := ReadKeyFile(k.KeyFile)
		if err == nil && app.AuditKeyID(have) == id {
			return nil
		}
		return app.Errorf(app.ECONFLICT, "%s är satt: nyckeln läses från filen %s och sparas inte i nyckelringen. Lägg nyckelfilen där i stället.", EnvKeyFile, k.KeyFile)
	}
	err := keyring.Set(Service, auditAccount(id), EncodeKey(key))
	if err == nil {
		return nil
	}
	if k.FallbackDir == "" {
		return app.Errorf(app.EINTERNAL, "Nyckeln till åtkomstloggen kunde inte sparas: ingen nyckelring (%v). Ange en nyckelfil i %s.", err, EnvKeyFile)
	}
	path := filepath.Join(k.FallbackDir, id+".key")
	if werr := WriteKeyFile(path, key); werr != nil && !errors.Is(werr, fs.ErrExist) {
		return app.Errorf(app.EINTERNAL, "Nyckeln till åtkomstloggen kunde inte sparas: ingen nyckelring (%v), och filen %s kunde inte skrivas: %v", err, path, werr)
	}
	log.Printf("Ingen nyckelring på den här datorn (%v): åtkomstloggens nyckel %s sparades i %s.", err, id, path)
	return nil
}

// String describes where the keys are, for messages.
func (k Keys) String() string {
	if k.KeyFile != "" {
		return fmt.Sprintf("nyckelfilen %s", k.KeyFile)
	}
	return "nyckelringen (" + Service + ")"
}

// RunIsolated runs a test binary's tests (run is m.Run) with EnvKeyFile
// pointing at a key file in a new temporary folder, unless it is set
// already (a helper process inherits its parent's), so that tests never
// write access-log keys into the user's keyring or configuration folder.
// For TestMain; returns run's exit code.
func RunIsolated(run func() int) int {
	if os.Getenv(EnvKeyFile) != "" {
		return run()
	}
	dir, err := os.MkdirTemp("", "arendestod-auditkey-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	os.Setenv(EnvKeyFile, filepath.Join(dir, "audit.key"))
	defer os.Unsetenv(EnvKeyFile)
	return run()
}
