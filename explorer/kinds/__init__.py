"""The registry of kinds: every run kind, training kind and job kind, one module each.

``base`` says what a kind is (:class:`TrainingKind`, :class:`RunKind`, :class:`JobKind`,
:class:`Capabilities`, the typed :class:`TrainingSpec` and its parsing); ``files`` names the run
files and how kinds declare them; ``skipgram`` (Skip-gram and CBOW), ``glove``, ``useritem``, ``graph`` and ``gnn`` are
the training kinds, ``imported`` and ``imported_documents`` the run kinds of imported vectors, ``jobs`` the projection job.
Everything else asks these modules about a kind -- lanes, class limits, gallery, dashboard, run
validation, the CLI's flags and the Train form -- and never compares a kind's name.

Adding a training kind: its module here (data and config dataclasses, run files, a
:class:`TrainingKind` subclass with what differs from the defaults, its ``KIND``), added to the
registration line below; its runner (taking the typed spec); its strings (``common.kind_<name>``, the config fields' ``train.f_``/``train.help_``); its tests
(``tests/kinds/`` runs the contract on every registered kind).

    >>> sorted(training_kinds())
    ['doc2vec', 'encoder', 'glove', 'gnn', 'graph', 'sif', 'skipgram', 'useritem']
    >>> sorted(run_kinds())
    ['doc2vec', 'encoder', 'glove', 'gnn', 'graph', 'imported', 'imported_documents', 'sif', 'skipgram', 'useritem']
"""

from __future__ import annotations

from explorer.kinds import (
    doc2vec,
    encoder,
    glove,
    gnn,
    graph,
    imported,
    imported_documents,
    jobs,
    sif,
    skipgram,
    useritem,
)
from explorer.kinds.base import (
    KEY_NUMBER_FORMATS,
    SPEC_VERSION,
    Capabilities,
    DataFieldSpec,
    DataInput,
    JobKind,
    Limited,
    RunKind,
    TrainingKind,
    TrainingSpec,
    data_field,
    data_field_specs,
    data_inputs,
    data_stats,
    default_name,
    input_files,
    job_kinds,
    load_runner,
    register,
    run_kind,
    run_kinds,
    spec_from_dict,
    training_kind,
    training_kinds,
    unregister,
)
from explorer.kinds.files import RunFile
from explorer.kinds.glove import GloveConfig, GloveData, GloveSpec
from explorer.kinds.graph import GraphConfig, GraphData, GraphSpec
from explorer.kinds.imported import KIND as IMPORTED
from explorer.kinds.jobs import PROJECTION
from explorer.kinds.skipgram import SkipGramConfig, SkipGramData, SkipGramSpec
from explorer.kinds.useritem import COLUMN_HELP, COLUMN_ROLES, UserItemConfig, UserItemData, UserItemSpec

# the order of the Train page's choices and the CLI's subcommands
for _kind in (skipgram.KIND, glove.KIND, useritem.KIND, graph.KIND, gnn.KIND, doc2vec.KIND, encoder.KIND, sif.KIND,
              imported.KIND, imported_documents.KIND, jobs.PROJECTION):
    register(_kind)

__all__ = [
    "COLUMN_HELP", "COLUMN_ROLES", "IMPORTED", "KEY_NUMBER_FORMATS", "PROJECTION", "SPEC_VERSION", "Capabilities",
    "DataFieldSpec", "DataInput", "GloveConfig", "GloveData", "GloveSpec", "GraphConfig", "GraphData", "GraphSpec", "JobKind", "Limited", "RunFile", "RunKind",
    "SkipGramConfig", "SkipGramData", "SkipGramSpec", "TrainingKind", "TrainingSpec", "UserItemConfig",
    "UserItemData", "UserItemSpec", "data_field", "data_field_specs", "data_inputs", "data_stats", "default_name",
    "input_files", "job_kinds", "load_runner", "register", "run_kind", "run_kinds", "spec_from_dict",
    "training_kind", "training_kinds", "unregister",
]
