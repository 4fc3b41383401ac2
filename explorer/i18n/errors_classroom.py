"""Translated error messages of the class features (codes raised by explorer.jobs.classes)."""

STRINGS: dict[str, tuple[str, str]] = {
    "class_not_teacher": ("teacher: only the class's teacher link opens the dashboard", "教师：只有班级的教师链接才能打开教师面板"),
    "class_unknown_code": ("join: no class has this code", "加入：没有班级使用此代码"),
    "class_other_class": ("join: this workspace belongs to another class; open the join link in a new browser",
                          "加入：该工作区属于另一个班级；请在新的浏览器中打开加入链接"),
    "class_teacher_join": ("join: the teacher's workspace cannot join as a student", "加入：教师的工作区不能以学生身份加入"),
    "class_name_taken": ("display name {name!r}: already taken in this class", "显示名称 {name!r}：本班已有人使用"),
    "class_name_empty": ("{what}: must not be empty", "{what}：不能为空"),
    "class_name_long": ("{what}: at most {max} characters", "{what}：最多 {max} 个字符"),
    "class_name_bad": ("{what}: control characters are not allowed", "{what}：不允许控制字符"),
    "class_bad_limit": ("{name}: expected a number >= 0", "{name}：应为 >= 0 的数字"),
    "class_other_workspace": ("workspace: this belongs to another workspace; students see only their own",
                              "工作区：这属于其他工作区；学生只能查看自己的"),
    "class_limit_epochs": ("epochs: the class allows at most {max}, got {value}", "轮数：本班最多允许 {max}，当前为 {value}"),
    "class_limit_dim": ("dim: the class allows at most {max}, got {value}", "维度：本班最多允许 {max}，当前为 {value}"),
    "class_limit_corpus": ("corpus: {value} MB, the class allows at most {max} MB", "语料：{value} MB，本班最多允许 {max} MB"),
    "class_limit_jobs": ("jobs: the class allows {max} job(s) at once per student; wait for one to finish",
                         "任务：本班每名学生同时最多 {max} 个任务；请等待一个完成"),
    "class_not_published": ("run: not in this class's gallery", "运行：不在本班作品展中"),
    "class_share_upload": ("share: only uploaded files can be shared", "共享：只能共享已上传的文件"),
}
