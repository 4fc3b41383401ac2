"""The run directory, owned here: file names, writers and readers of every kind's arrays, the
derived-data cache, import/export formats, zips and admin (rename, delete).

The face re-exports :mod:`explorer.runs.directory`; the other modules are imported by name.
"""

from explorer.runs.directory import (  # noqa: F401
    KINDS,
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
    write_config,
    write_json,
    write_tsv,
    zip_run,
)
