"""Operating the System (SPEC §3 items 23–25): health and readiness, structured logs,
backups, planned-maintenance notices, the incident log book and the security headers."""
