"""The catalogue's full-text index: a generated tsvector column with a GIN index on
PostgreSQL, an FTS5 table kept in sync by triggers on SQLite (catalogue/search.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from motcua.catalogue import search

    search.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from motcua.catalogue import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
