"""Translated error messages of the streaming limits, the machine checks, recovery and the job
command line (error code -> text). Raised by ``explorer.text.limits``, ``explorer.resources``,
``explorer.runs.formats``, ``explorer.commands.jobs``, ``explorer.commands.analysis`` and
``explorer.commands.kind_flags`` / ``explorer.recsys.interactions`` (contradictory columns).
"""

STRINGS: dict[str, tuple[str, str]] = {  # the other codes of these modules are in errors.py and errors_logs.py
    "limit_header_dims": ("{source}: the header claims {dims} dimensions, more than {limit} (limit EXPLORER_MAX_FIELDS)",
                          "{source}：文件头声称有 {dims} 维，超过 {limit}（上限 EXPLORER_MAX_FIELDS）"),
}
