"""Translated messages of the environment variables' errors (:mod:`explorer.settings`).

A value below its minimum or outside its choices uses the shared ``param_min``/``param_gt``/``param_choice``
(:mod:`explorer.i18n.errors`), with the variable as ``name``.
"""

STRINGS: dict[str, tuple[str, str]] = {
    "env_number": ("{name}: not a number.", "{name}：不是数字。"),
    "env_integer": ("{name}: not a whole number.", "{name}：不是整数。"),
    "env_flag": ("{name}: expected 1 or 0, got {value}.", "{name}：应为 1 或 0，当前为 {value}。"),
}
