package app

import (
	"context"
	"testing"
)

func TestValidateDBLogin(t *testing.T) {
	for _, ok := range []string{"asa", "asa.oberg", "a1_b-c", " eva "} {
		if _, err := ValidateDBLogin(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Åsa", "ASA", "1asa", "_asa", "pg_asa", "a b", "a;b", "a'b", "a\"b", string(make([]byte, 64))} {
		if _, err := ValidateDBLogin(bad); ErrorCode(err) != EINVALID {
			t.Errorf("%q: %v, want EINVALID", bad, err)
		}
	}
}

func TestAuditDetailNamesTheOSUser(t *testing.T) {
	ctx := context.Background()
	if got := AuditDetail(ctx, "x"); got != "x" {
		t.Errorf("without an OS user: %q", got)
	}
	ctx = WithOSUser(ctx, "asa")
	if got := AuditDetail(ctx, ""); got != "datorkonto asa" {
		t.Errorf("empty detail: %q", got)
	}
	if got := AuditDetail(ctx, "registerutdrag med 3 rader"); got != "registerutdrag med 3 rader (datorkonto asa)" {
		t.Errorf("detail: %q", got)
	}
	if LoginActor("intag") != "cli:intag" || (Identity{}).Team() || !(Identity{Login: "x"}).Team() {
		t.Error("LoginActor or Team")
	}
}
