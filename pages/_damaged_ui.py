"""Runs that did not pass the run-directory checks: listed by id with their first problem, deletable.

A damaged run (a truncated array, a config.json with a number where a date belongs, ...) never breaks
the Runs page: it is left out of the tables and shown here as text.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.errors import ExplorerError
from explorer.jobs import workspaces
from explorer.runs import DamagedRun, scan_runs
from pages._widgets import show_error, tr, workspace


def damaged_runs() -> list[DamagedRun]:
    """This workspace's run directories that fail the checks."""
    return scan_runs(workspaces.runs_dir(workspace()))[1]


def damaged_ui(damaged: list[DamagedRun]) -> None:
    """A warning, a table (run id, problem) and a delete button per damaged run."""
    if not damaged:
        return
    st.warning(tr("runs.damaged", n=len(damaged)), icon=":material/broken_image:")
    st.dataframe(pd.DataFrame([{tr("runs.col_id"): d.run_id, tr("runs.damaged_problem"): d.problem}
                               for d in damaged]), hide_index=True)
    ids = [d.run_id for d in damaged]
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.selectbox(tr("runs.damaged_pick"), ids, key="runs_damaged_pick")
    if c2.button(tr("runs.damaged_delete"), key="runs_damaged_delete", icon=":material/delete:"):
        try:
            workspaces.delete_run(workspace(), pick)
        except ExplorerError as exc:
            show_error(exc)
        else:
            st.rerun()
