package data_test

import (
	"testing"

	"arendestod/data"
)

// A server on another machine is reached with sslmode=verify-full unless
// the URL says otherwise; this machine keeps the driver's default.
func TestWithServerDefaults(t *testing.T) {
	t.Setenv("PGSSLMODE", "")
	for _, c := range []struct{ in, want string }{
		{"postgres://app@db.example.se/arendestod", "postgres://app@db.example.se/arendestod?sslmode=verify-full"},
		{"postgresql://app:pw@10.1.2.3:5433/arendestod?application_name=x", "postgresql://app:pw@10.1.2.3:5433/arendestod?application_name=x&sslmode=verify-full"},
		{"postgres://app@[2001:db8::1]/a", "postgres://app@[2001:db8::1]/a?sslmode=verify-full"},
		{"postgres://app@db.example.se/a?sslmode=require", "postgres://app@db.example.se/a?sslmode=require"},
		{"postgres://app@db.example.se/a?sslmode=disable", "postgres://app@db.example.se/a?sslmode=disable"},
		{"postgres://app@localhost/a", "postgres://app@localhost/a"},
		{"postgres://app@LOCALHOST:5432/a", "postgres://app@LOCALHOST:5432/a"},
		{"postgres://app@127.0.0.1:5432/a", "postgres://app@127.0.0.1:5432/a"},
		{"postgres://app@127.3.4.5/a", "postgres://app@127.3.4.5/a"},
		{"postgres://app@[::1]:5432/a", "postgres://app@[::1]:5432/a"},
		{"postgres:///a", "postgres:///a"},
		{"postgres:///a?host=/var/run/postgresql", "postgres:///a?host=/var/run/postgresql"},
		{"postgres://x/a?host=%2Frun%2Fpg", "postgres://x/a?host=%2Frun%2Fpg"},
		{"postgres://localhost/a?host=db.example.se", "postgres://localhost/a?host=db.example.se&sslmode=verify-full"},
		{"/home/eva/arendestod.db", "/home/eva/arendestod.db"},
	} {
		if got := data.WithServerDefaults(c.in); got != c.want {
			t.Errorf("WithServerDefaults(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// PGSSLMODE in the environment is the user's choice.
	t.Setenv("PGSSLMODE", "require")
	if got := data.WithServerDefaults("postgres://app@db.example.se/a"); got != "postgres://app@db.example.se/a" {
		t.Errorf("with PGSSLMODE: %q", got)
	}
}

func TestDisplayName(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://app:hemligt@db.example.se:5433/arendestod?password=x&sslmode=disable": "postgres://app@db.example.se:5433/arendestod",
		"/tmp/a.db": "/tmp/a.db",
	} {
		if got := data.DisplayName(in); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", in, got, want)
		}
	}
}
