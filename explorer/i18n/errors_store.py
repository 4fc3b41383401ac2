"""Translated messages of the program's SQLite files (``jobs.sqlite``, ``classes.sqlite``): a damaged file
moved aside, a read-only or full data home. Raised by ``explorer.jobs.store`` and ``explorer.jobs.recovery``."""

STRINGS: dict[str, tuple[str, str]] = {
    "store_moved_aside": ("The {what} was damaged; it was moved to {target} and a fresh one started ({lost}; the runs "
                          "on disk are kept).",
                          "{what}已损坏；它已被移到 {target}，并新建了一个（{lost}；磁盘上的运行结果都保留）。"),
    "store_read_only": ("The data folder {folder} is read-only, so {file} cannot be written (reading still works).",
                        "数据文件夹 {folder} 是只读的，无法写入 {file}（仍可读取）。"),
    "store_full": ("No space left on the disk of the data folder {folder} ({free} free), so {file} cannot be written.",
                   "数据文件夹 {folder} 所在的磁盘已满（剩余 {free}），无法写入 {file}。"),
    "store_damaged": ("{file} is damaged ({detail}); it is moved aside the next time it is opened.",
                      "{file} 已损坏（{detail}）；下次打开时会被移到一旁。"),
    "store_damaged_stuck": ("The {what} {file} is damaged and cannot be moved aside here (the folder is read-only).",
                            "{what} {file} 已损坏，且无法在此移开（文件夹是只读的）。"),
    "what=job table": ("job table", "任务表"),
    "what=class database": ("class database", "班级数据库"),
    "what=job queue": ("job queue", "任务队列"),
    "lost=queued jobs are queued again from the job table": ("queued jobs are queued again from the job table",
                                                             "排队中的任务会按任务表重新排队"),
    "lost=job history is lost": ("the job history is lost", "任务记录已丢失"),
    "lost=classes, members and gallery entries are lost": ("classes, members and gallery entries are lost",
                                                           "班级、成员和作品展条目已丢失"),
}
