"""``train <kind>``: build the kind's spec from the generated flags and train in this process."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer import settings
from explorer.commands.kind_flags import spec_from_args
from explorer.commands.outputs import missing_folders, remove_folders
from explorer.commands.progress_bar import ProgressBar
from explorer.kinds import run_kind
from explorer.runs import check_out_dir


def run(args: argparse.Namespace) -> int:
    from explorer.training import run_training

    spec = spec_from_args(args.model, args)
    created = missing_folders(Path(args.out).parent)  # check_out_dir creates them; a failure removes them
    out = check_out_dir(Path(args.out))
    bar = ProgressBar(disable=True if settings.no_progress() else None)
    try:
        run_training(spec, out, bar)
    except BaseException:
        remove_folders(created)
        raise
    finally:
        bar.close()
    note = run_kind(spec.kind).run_note(out)
    if note:
        print(note, file=sys.stderr)
    print(out)
    return 0
