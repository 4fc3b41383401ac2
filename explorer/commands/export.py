"""``export DIR --format projector|word2vec|word2vec-binary --out PATH``.

``projector`` writes the vectors TSV at PATH and ``<stem>_metadata.tsv`` beside it; the word2vec
formats write one file that gensim's ``KeyedVectors.load_word2vec_format`` reads. Prints the
written path(s), one per line. Refuses (exit 2) when an output file already exists.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from explorer.errors import ExplorerError
from explorer.resources import disk_space
from explorer.runs import load_run
from explorer.runs.formats import export_projector, export_word2vec, projector_metadata_path


def refuse_existing(*paths: Path) -> None:
    """Raise ExplorerError ``"<path>: already exists"`` for the first of ``paths`` that exists
    (outputs never overwrite files); then create the missing parent folders of ``paths``."""
    for path in paths:
        if path.exists() or path.is_symlink():
            raise ExplorerError(f"{path}: already exists", code="out_exists", path=str(path))
    for path in paths:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise ExplorerError(f"{path.parent}: the output's parent is not a folder", code="out_parent_not_dir",
                                path=str(path.parent)) from None


def run(args: argparse.Namespace) -> int:
    run_ = load_run(Path(args.run_dir))
    out = Path(args.out)
    refuse_existing(out, *([projector_metadata_path(out)] if args.format == "projector" else []))
    n, d = (int(x) for x in run_.vectors.shape)
    per_row = 4 * d + 24 if args.format == "word2vec-binary" else 11 * d + 24  # bytes a row takes, about
    with disk_space(out.parent, n * per_row):
        if args.format == "projector":
            written = list(export_projector(run_, out))
        else:
            written = [export_word2vec(run_, out, binary=args.format == "word2vec-binary")]
    for path in written:
        print(path)
    return 0
