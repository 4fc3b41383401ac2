"""Translated error messages of the streaming limits, the machine checks, recovery and the job
command line (error code -> text). Raised by ``explorer.text.limits``, ``explorer.resources``,
``explorer.runs.formats``, ``explorer.commands.jobs``, ``explorer.commands.analysis`` and
``explorer.commands.kind_flags`` / ``explorer.recsys.interactions`` (contradictory columns).
"""

STRINGS: dict[str, tuple[str, str]] = {
    "env_number": ("{name}: not a valid number", "{name}：不是有效的数字"),
    "limit_line": ("{source}: line {line} is longer than {limit} characters (limit EXPLORER_MAX_LINE_CHARS)",
                   "{source}：第 {line} 行超过 {limit} 个字符（上限 EXPLORER_MAX_LINE_CHARS）"),
    "limit_fields": ("{source}: line {line} has {n} fields, more than {limit} (limit EXPLORER_MAX_FIELDS)",
                     "{source}：第 {line} 行有 {n} 个字段，超过 {limit} 个（上限 EXPLORER_MAX_FIELDS）"),
    "limit_field": ("{source}: line {line} has a field longer than {limit} characters (limit EXPLORER_MAX_FIELD_CHARS)",
                    "{source}：第 {line} 行有超过 {limit} 个字符的字段（上限 EXPLORER_MAX_FIELD_CHARS）"),
    "limit_unzipped": ("{source}: expands to more than {limit} MB (limit EXPLORER_MAX_UNZIPPED_MB)",
                       "{source}：解压后超过 {limit} MB（上限 EXPLORER_MAX_UNZIPPED_MB）"),
    "limit_header_dims": ("{source}: the header claims {dims} dimensions, more than {limit} (limit EXPLORER_MAX_FIELDS)",
                          "{source}：文件头声称有 {dims} 维，超过 {limit}（上限 EXPLORER_MAX_FIELDS）"),
    "header_size": ("{source}: the header claims {n} vectors of dimension {d} ({need} bytes) but the file has only "
                    "{size} bytes (truncated or wrong header)",
                    "{source}：文件头声称有 {n} 个 {d} 维向量（{need} 字节），但文件只有 {size} 字节（文件被截断或文件头错误）"),
    "model_memory": ("{what}: the model would need about {need} of memory, but only {available} is available; {advice}",
                     "{what}：模型大约需要 {need} 内存，但只有 {available} 可用；{advice}"),
    "disk_full": ("{folder}: no space left on device ({free} free, {needed} needed)",
                  "{folder}：磁盘空间不足（剩余 {free}，需要 {needed}）"),
    "columns_same": ("--{first}-col and --{second}-col: both name the column {column!r}; each role needs its own column",
                     "--{first}-col 和 --{second}-col 指向同一列 {column!r}；每个角色需要单独的一列"),
    "job_not_found": ("job {job}: not found", "任务 {job}：不存在"),
    "job_other_workspace": ("job {job}: belongs to another workspace; add --operator to act on it as the server's operator",
                            "任务 {job}：属于另一个工作区；以服务器管理员身份操作请加 --operator"),
    "jobs_unreadable": ("{path}: the job table cannot be read; any other command moves a damaged table aside",
                        "{path}：无法读取任务表；运行其他任何命令会把损坏的任务表移到一旁"),
    "param_range": ("{name}: must be between {min} and {max}, got {value}", "{name}：必须在 {min} 到 {max} 之间，实际为 {value}"),
}
