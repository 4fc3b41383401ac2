"""The run directory, owned here: file names, writers and readers of every kind's arrays, the
derived-data cache, import/export formats, zips and admin (rename, delete).

The face re-exports :mod:`explorer.runs.directory` (write, open and validate, list); the other modules
are imported by name: :mod:`~explorer.runs.layout` (file names, kinds, change stamp),
:mod:`~explorer.runs.cache` (the derived-data cache), :mod:`~explorer.runs.arrays` (``.npy``/``.npz``
read without trusting them), :mod:`~explorer.runs.validation` (the checks :func:`load_run` makes),
:mod:`~explorer.runs.logged` (a user-item run's ``interactions.npz``), :mod:`~explorer.runs.formats`
(import/export), :mod:`~explorer.runs.manage` (rename, zips), :mod:`~explorer.runs.saved_clusterings`.
"""

from explorer.runs.directory import (  # noqa: F401
    DamagedRun,
    Run,
    atomic_run_dir,
    check_out_dir,
    delete_run,
    is_run_dir,
    list_runs,
    load_run,
    package_versions,
    read_tsv,
    save_labels,
    save_vectors,
    scan_runs,
    write_config,
    write_json,
    write_tsv,
    zip_run,
)
