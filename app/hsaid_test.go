package app_test

import (
	"errors"
	"strings"
	"testing"

	"arendestod/app"
)

func TestValidateHSAIDValid(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SE2321000131-P000000012345", "SE2321000131-P000000012345"},
		{"  SE2321000131-P000000012345\t\n", "SE2321000131-P000000012345"},
		{"se2321000131-P000000012345", "SE2321000131-P000000012345"},
		{"Se2321000131-P000000012345", "SE2321000131-P000000012345"},
		{"sE2321000131-P000000012345", "SE2321000131-P000000012345"},
		{"SE2321000131-p000000012345", "SE2321000131-p000000012345"}, // local part keeps its case
		{"SE2321000131-1", "SE2321000131-1"},
		{"SE2321000131-E", "SE2321000131-E"},
		{"SE1620000001-" + strings.Repeat("A", 31), "SE1620000001-" + strings.Repeat("A", 31)},
		{"SE0000000000-abc123XYZ", "SE0000000000-abc123XYZ"},
	}
	for _, tt := range tests {
		got, err := app.ValidateHSAID(tt.in)
		if err != nil {
			t.Errorf("ValidateHSAID(%q) error: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ValidateHSAID(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again, err := app.ValidateHSAID(got); err != nil || again != got {
			t.Errorf("ValidateHSAID(%q) again = %q, %v", got, again, err)
		}
	}
}

func TestValidateHSAIDInvalid(t *testing.T) {
	const shape = "ska ha formen SE + 10 siffror + - + lokal del"
	tests := []struct{ name, in, msg string }{
		{"empty", "", "saknas"},
		{"only space", "   ", "saknas"},
		{"no prefix", "2321000131-P000000012345", shape},
		{"other country", "NO2321000131-P000000012345", shape},
		{"prefix only", "SE", shape},
		{"no local part", "SE2321000131-", shape},
		{"no hyphen", "SE2321000131P000000012345", shape},
		{"9 digits", "SE232100013-P000000012345", shape},
		{"11 digits", "SE23210001311-P000000012345", shape},
		{"letter in organisation number", "SE23210O0131-P000000012345", shape},
		{"space after SE", "SE 2321000131-P000000012345", shape},
		{"space inside", "SE2321000131-P0000 00012345", "lokala delen"},
		{"second hyphen", "SE2321000131-P-12345", "lokala delen"},
		{"underscore", "SE2321000131-P_12345", "lokala delen"},
		{"non-ASCII letter", "SE2321000131-Å12345", "lokala delen"},
		{"local part 32 characters", "SE2321000131-" + strings.Repeat("1", 32), "högst 31"},
		{"personnummer", "19850720-9800", shape},
		{"e-mail address", "anna.andersson@regionen.se", shape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := app.ValidateHSAID(tt.in)
			if err == nil {
				t.Fatalf("ValidateHSAID(%q) = %q, want error", tt.in, got)
			}
			if got != "" {
				t.Errorf("ValidateHSAID(%q) returned %q with the error", tt.in, got)
			}
			var e *app.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *app.Error", err, err)
			}
			if e.Code != app.EINVALID || e.Field != "hsa-id" {
				t.Errorf("error code/field = %q/%q, want %q/%q", e.Code, e.Field, app.EINVALID, "hsa-id")
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Message, tt.msg)
			}
		})
	}
}
