"""The step log moves here from approvals, in the migration state only.

The tables (``approvals_step``, ``approvals_chainhead``, ``approvals_checkpoint``,
``approvals_chainverification``), their indexes, their rows and the append-only triggers
were created by approvals' migrations 0001-0004 and stay exactly as they are: this
migration creates the models in state alone, and ``approvals.0008`` removes them from
approvals' state (and moves their content types, so permissions follow).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('enterprises', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ChainHead',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.BigIntegerField(default=0)),
                        ('hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
                    ],
                    options={
                        'verbose_name': 'chain head',
                        'db_table': 'approvals_chainhead',
                    },
                ),
                migrations.CreateModel(
                    name='Checkpoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.BigIntegerField()),
                        ('hash', models.CharField(max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'verbose_name': 'checkpoint',
                        'verbose_name_plural': 'checkpoints',
                        'db_table': 'approvals_checkpoint',
                        'ordering': ['-seq'],
                    },
                ),
                migrations.CreateModel(
                    name='ChainVerification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('verified_at', models.DateTimeField(verbose_name='verified at')),
                        ('ok', models.BooleanField(verbose_name='intact')),
                        ('verified_seq', models.BigIntegerField(default=0, verbose_name='verified up to step')),
                        ('head_hash', models.CharField(blank=True, max_length=64, verbose_name='head hash')),
                        ('broken_seq', models.BigIntegerField(blank=True, null=True, verbose_name='first broken step')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('checkpoint_seq', models.BigIntegerField(blank=True, null=True, verbose_name='checked against checkpoint')),
                        ('seconds', models.FloatField(default=0, verbose_name='duration (s)')),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ],
                    options={
                        'verbose_name': 'chain verification',
                        'verbose_name_plural': 'chain verifications',
                        'db_table': 'approvals_chainverification',
                        'ordering': ['-verified_at'],
                        'get_latest_by': 'verified_at',
                    },
                ),
                migrations.CreateModel(
                    name='Step',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.BigIntegerField(unique=True, verbose_name='sequence')),
                        ('created_at', models.DateTimeField(verbose_name='time')),
                        ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='actor')),
                        ('actor_role', models.CharField(blank=True, max_length=24, verbose_name="actor's role")),
                        ('actor_jurisdiction', models.CharField(blank=True, max_length=16, verbose_name="actor's jurisdiction")),
                        ('object_type', models.CharField(blank=True, max_length=64, verbose_name='object type')),
                        ('object_id', models.CharField(blank=True, max_length=64, verbose_name='object id')),
                        ('jurisdiction', models.CharField(blank=True, max_length=16, verbose_name='jurisdiction of the object')),
                        ('action', models.CharField(max_length=64, verbose_name='action')),
                        ('state_before', models.CharField(blank=True, max_length=32, verbose_name='state before')),
                        ('state_after', models.CharField(blank=True, max_length=32, verbose_name='state after')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('request_id', models.CharField(blank=True, max_length=64, verbose_name='request id')),
                        ('client_ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='client address')),
                        ('data', models.JSONField(blank=True, default=dict, verbose_name='details')),
                        ('prev_hash', models.CharField(max_length=64)),
                        ('hash', models.CharField(max_length=64)),
                        ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enterprises.enterprise')),
                    ],
                    options={
                        'verbose_name': 'approval step',
                        'verbose_name_plural': 'approval steps',
                        'db_table': 'approvals_step',
                        'ordering': ['seq'],
                        'permissions': [('audit', 'Can review the audit trail')],
                        'indexes': [models.Index(fields=['object_type', 'object_id', 'seq'], name='approvals_s_object__2ed81a_idx'), models.Index(fields=['enterprise', 'seq'], name='approvals_s_enterpr_b33b9b_idx'), models.Index(fields=['actor', 'seq'], name='approvals_s_actor_i_957a88_idx'), models.Index(fields=['action', 'seq'], name='approvals_s_action_bc6daf_idx'), models.Index(fields=['jurisdiction', 'seq'], name='approvals_s_jurisdi_780526_idx'), models.Index(fields=['created_at'], name='approvals_s_created_4a21ec_idx')],
                    },
                ),
            ],
        ),
    ]
