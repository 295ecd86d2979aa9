package locale_test

import (
	"testing"

	"arendestod/ui/locale"
)

func TestFix(t *testing.T) {
	for _, tc := range []struct {
		name      string
		env       map[string]string
		wantVar   string
		wantValue string
	}{
		{"unset", map[string]string{}, "LANG", "sv_SE.UTF-8"},
		{"C", map[string]string{"LANG": "C"}, "LANG", "sv_SE.UTF-8"},
		{"C.UTF-8 in LC_ALL", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, "LC_ALL", "sv_SE.UTF-8"},
		{"POSIX", map[string]string{"LC_MESSAGES": "POSIX"}, "LC_MESSAGES", "sv_SE.UTF-8"},
		{"user's own kept", map[string]string{"LANG": "en_GB.UTF-8"}, "LANG", "en_GB.UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			locale.Fix(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			if env[tc.wantVar] != tc.wantValue {
				t.Errorf("%s = %q, want %q (env %v)", tc.wantVar, env[tc.wantVar], tc.wantValue, env)
			}
		})
	}
}
