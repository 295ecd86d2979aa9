package secrets_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"arendestod/app"
	"arendestod/app/secrets"
)

// On a desk: a new key goes to the OS keyring under its id, and is found
// there again; an id it does not hold is ENOTFOUND in Swedish.
func TestKeysKeyring(t *testing.T) {
	keyring.MockInit()
	k := secrets.Keys{FallbackDir: t.TempDir()}
	key, err := k.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	id := app.AuditKeyID(key)
	if s, err := keyring.Get(secrets.Service, "audit:"+id); err != nil || strings.TrimSpace(s) != strings.TrimSpace(secrets.EncodeKey(key)) {
		t.Fatalf("keyring holds %q, %v", s, err)
	}
	got, err := k.AuditKey(id)
	if err != nil || string(got) != string(key) {
		t.Fatalf("AuditKey = %x, %v", got, err)
	}
	if ents, _ := os.ReadDir(k.FallbackDir); len(ents) != 0 {
		t.Errorf("a key file was written beside a working keyring: %v", ents)
	}
	_, err = k.AuditKey("0123456789abcdef")
	if app.ErrorCode(err) != app.ENOTFOUND || !strings.Contains(app.ErrorMessage(err), "audit key import") {
		t.Errorf("unknown id: %v", err)
	}
}

// Without a keyring (Linux without Secret Service) the key goes to an
// owner-only file in the fallback folder, and is read from there.
func TestKeysNoKeyring(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.secrets saknas"))
	defer keyring.MockInit()
	k := secrets.Keys{FallbackDir: filepath.Join(t.TempDir(), "audit-keys")}
	key, err := k.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	id := app.AuditKeyID(key)
	fi, err := os.Stat(filepath.Join(k.FallbackDir, id+".key"))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", fi.Mode().Perm())
	}
	if got, err := k.AuditKey(id); err != nil || string(got) != string(key) {
		t.Fatalf("AuditKey = %x, %v", got, err)
	}
	if _, err := (secrets.Keys{}).NewAuditKey(); err == nil {
		t.Error("no keyring and no folder: a key was made that nobody keeps")
	}
}

// ARENDESTOD_AUDIT_KEY_FILE: made with a new key on first use, owner-only,
// the same key for every new database after; another id is refused; a
// file others may read is refused; it is never overwritten by an import.
func TestKeysKeyFile(t *testing.T) {
	keyring.MockInit()
	path := filepath.Join(t.TempDir(), "etc", "audit.key")
	k := secrets.Keys{KeyFile: path}
	key, err := k.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	again, err := k.NewAuditKey()
	if err != nil || string(again) != string(key) {
		t.Fatalf("second NewAuditKey = %x, %v; want the file's key", again, err)
	}
	if got, err := k.AuditKey(app.AuditKeyID(key)); err != nil || string(got) != string(key) {
		t.Fatalf("AuditKey = %x, %v", got, err)
	}
	if _, err := k.AuditKey("0123456789abcdef"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("another id: %v", err)
	}
	other, _ := secrets.NewKey()
	if err := k.SaveAuditKey(other); err == nil {
		t.Error("SaveAuditKey replaced the key file's key")
	}
	if runtime.GOOS != "windows" {
		os.Chmod(path, 0o644)
		if _, err := k.AuditKey(app.AuditKeyID(key)); err == nil || !strings.Contains(app.ErrorMessage(err), "chmod 600") {
			t.Errorf("world-readable key file: %v", err)
		}
	}
}

func TestDecodeKey(t *testing.T) {
	key, _ := secrets.NewKey()
	if got, err := secrets.DecodeKey("  " + secrets.EncodeKey(key) + "\n"); err != nil || string(got) != string(key) {
		t.Errorf("round trip: %x, %v", got, err)
	}
	for _, bad := range []string{"", "abc", strings.Repeat("zz", 32), strings.Repeat("ab", 31)} {
		if _, err := secrets.DecodeKey(bad); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("DecodeKey(%q): %v", bad, err)
		}
	}
}
