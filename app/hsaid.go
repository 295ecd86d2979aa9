package app

import "strings"

// hsaField is the field name of HSA-ID validation errors.
const hsaField = "hsa-id"

// hsaMaxLocal is the longest local part (after the "-") accepted.
const hsaMaxLocal = 31

// ValidateHSAID checks the shape of an HSA-ID and returns it normalised:
// surrounding white space removed and the "SE" prefix in upper case. The
// shape is "SE" + a 10-digit organisation number + "-" + a local part of
// 1–31 ASCII letters and digits, e.g. SE2321000131-P000000012345. The local
// part keeps its case. Only the shape is checked, not the HSA catalogue.
func ValidateHSAID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", FieldErrorf(hsaField, "HSA-id saknas")
	}
	if len(s) >= 2 && strings.EqualFold(s[:2], "se") {
		s = "SE" + s[2:]
	}
	const shape = "ska ha formen SE + 10 siffror + - + lokal del, t.ex. SE2321000131-P000000012345"
	if len(s) < 14 || s[:2] != "SE" || s[12] != '-' {
		return "", FieldErrorf(hsaField, shape)
	}
	for i := 2; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", FieldErrorf(hsaField, shape)
		}
	}
	local := s[13:]
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return "", FieldErrorf(hsaField, "lokala delen (efter -) får bara innehålla bokstäverna A–Z och siffror")
		}
	}
	if len(local) > hsaMaxLocal {
		return "", FieldErrorf(hsaField, "lokala delen (efter -) får ha högst %d tecken", hsaMaxLocal)
	}
	return s, nil
}
