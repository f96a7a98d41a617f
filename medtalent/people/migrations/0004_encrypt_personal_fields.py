# Personal fields encrypted at rest, the keyed hash of the ID number, and the change proposals of imports.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import medtalent.people.fields
from medtalent.people.fields import TOKEN_PREFIX, field_fernet, keyed_hash

FIELDS = ("id_number", "phone", "health_status", "cv_text")
CHUNK = 500


def _rows(cursor, table, qn, columns, after):
    cursor.execute(
        f"SELECT {qn('id')}, {', '.join(qn(c) for c in columns)} FROM {qn(table)} "
        f"WHERE {qn('id')} > %s ORDER BY {qn('id')} LIMIT {CHUNK}",
        [after],
    )
    return cursor.fetchall()


def encrypt_existing(apps, schema_editor):
    """Encrypt every clear value (a Fernet token is left as it is: the migration may run twice) and hash the
    ID number. Raw SQL: what is read and written is exactly the column's content, on SQLite and PostgreSQL."""
    Person = apps.get_model("people", "Person")
    table = Person._meta.db_table
    qn = schema_editor.connection.ops.quote_name
    fernet = field_fernet()
    sets = ", ".join(f"{qn(c)} = %s" for c in (*FIELDS, "id_number_hash"))
    with schema_editor.connection.cursor() as cursor:
        after = 0
        while rows := _rows(cursor, table, qn, FIELDS, after):
            for pk, *values in rows:
                after = pk
                clear = [fernet.decrypt(v.encode()).decode() if v and v.startswith(TOKEN_PREFIX) else v for v in values]
                stored = [
                    fernet.encrypt(v.encode()).decode() if v and not v.startswith(TOKEN_PREFIX) else v for v in values
                ]
                stored[0] = stored[0] or None  # no ID number: NULL, as before (the unique hash allows many)
                cursor.execute(
                    f"UPDATE {qn(table)} SET {sets} WHERE {qn('id')} = %s", [*stored, keyed_hash(clear[0]), pk]
                )


def decrypt_existing(apps, schema_editor):
    """Back to clear values (before the columns become plain and the ID number unique again)."""
    Person = apps.get_model("people", "Person")
    table = Person._meta.db_table
    qn = schema_editor.connection.ops.quote_name
    fernet = field_fernet()
    sets = ", ".join(f"{qn(c)} = %s" for c in FIELDS)
    with schema_editor.connection.cursor() as cursor:
        after = 0
        while rows := _rows(cursor, table, qn, FIELDS, after):
            for pk, *values in rows:
                after = pk
                clear = [fernet.decrypt(v.encode()).decode() if v and v.startswith(TOKEN_PREFIX) else v for v in values]
                cursor.execute(f"UPDATE {qn(table)} SET {sets} WHERE {qn('id')} = %s", [*clear, pk])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_files_through_storages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=medtalent.people.fields.EncryptedChar(blank=True, max_length=18, null=True, verbose_name="ID number"),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=medtalent.people.fields.EncryptedChar(blank=True, max_length=20, verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="person",
            name="health_status",
            field=medtalent.people.fields.EncryptedChar(blank=True, max_length=50, verbose_name="health status"),
        ),
        migrations.AlterField(
            model_name="person",
            name="cv_text",
            field=medtalent.people.fields.EncryptedText(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="CV",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="id_number_hash",
            field=medtalent.people.fields.KeyedHashField(blank=True, null=True, source="id_number", unique=True),
        ),
        migrations.CreateModel(
            name="ProfileChangeProposal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("field", models.CharField(max_length=40, verbose_name="field")),
                (
                    "proposed_value",
                    medtalent.people.fields.EncryptedText(
                        blank=True,
                        max_length=5000,
                        validators=[django.core.validators.MaxLengthValidator(5000)],
                        verbose_name="proposed value",
                    ),
                ),
                (
                    "import_job_id",
                    models.PositiveIntegerField(blank=True, db_index=True, null=True, verbose_name="import job"),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[("pending", "Pending"), ("accepted", "Accepted"), ("rejected", "Rejected")],
                        default="pending",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="proposed at")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="change_proposals",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="proposed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "profile change proposal",
                "verbose_name_plural": "profile change proposals",
                "ordering": ["person", "-created_at", "id"],
                "indexes": [models.Index(fields=["person", "state"], name="people_proposal_person_state")],
            },
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
