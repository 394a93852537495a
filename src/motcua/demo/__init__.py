"""The demo province: data, accounts and dossiers for ``motcua demo``."""

DEMO_PASSWORD = "MotCua@2026"
