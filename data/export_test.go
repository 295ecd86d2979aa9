package data

// Rebind is rebind for the external tests' raw connections to PostgreSQL.
var Rebind = rebind
