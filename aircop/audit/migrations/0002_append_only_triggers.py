"""Make the audit table append-only in the database itself, not only in the ORM.

PostgreSQL refuses UPDATE and DELETE of rows (TRUNCATE stays possible for the test runner's
flush and for an operator with shell access). SQLite, the embedded mode, refuses UPDATE.
Each statement is executed on its own: drivers refuse several in one prepared statement.
"""

from django.db import migrations

FORWARD = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
        END;
        $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
        """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END""",
    ],
}
BACKWARD = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent",
        "DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_event_append_only()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update"],
}


def forward(apps, schema_editor):
    for statement in FORWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    for statement in BACKWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
