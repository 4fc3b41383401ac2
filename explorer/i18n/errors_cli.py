"""Translated error messages of output folders, data files, job specs and method names (error code -> text).

Raised by ``explorer.runs.check_out_dir``, ``explorer.commands.kind_flags``, ``explorer.commands.export``,
``explorer.jobs.submission`` and the method registries (``explorer.analysis``).
"""

STRINGS: dict[str, tuple[str, str]] = {
    "file_not_found": ("{path}: {what} file not found", "{path}：找不到{what}文件"),
    "not_a_file": ("{path}: {what} is not a file", "{path}：{what}不是文件"),
    "out_not_empty": ("{path}: output directory already exists and is not empty", "{path}：输出文件夹已存在且不为空"),
    "out_exists": ("{path}: already exists", "{path}：已存在"),
    "out_parent_not_dir": ("{path}: the output's parent is not a folder", "{path}：输出位置的上级不是文件夹"),
    "out_parent_create": ("{path}: cannot create the output's parent folder ({reason})",
                          "{path}：无法创建输出位置的上级文件夹（{reason}）"),
    "spec_not_json": ("{what}: not JSON data", "{what}：不是 JSON 数据"),
    "unknown_method": ("unknown method {method!r} (expected {known})", "未知方法 {method!r}（可选：{known}）"),
    "bad_workspace": ("--workspace: not a valid workspace token", "--workspace：不是有效的工作区令牌"),
}
