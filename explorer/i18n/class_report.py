"""Strings of the class report (explorer/jobs/class_report.py and its buttons on the teacher dashboard)."""

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Class report", "班级报告"),
    "intro": ("Every student's models with their settings and key numbers, and their check-yourself answers: a CSV "
              "for marking, a printable page with the gallery's maps.",
              "每位学生的模型（设置和关键数字）以及自我检测的答题情况：CSV 便于评分，可打印页面附带作品展的图。"),
    "download_csv": ("Download the report (CSV)", "下载报告（CSV）"),
    "download_html": ("Download the printable page (HTML)", "下载可打印页面（HTML）"),
    "student": ("Student", "学生"),
    "run": ("Model", "模型"),
    "kind": ("Kind", "类型"),
    "created": ("Created", "创建时间"),
    "data": ("Data", "数据"),
    "answered": ("Questions answered", "已答题数"),
    "correct": ("Correct", "答对"),
    "generated": ("Made", "生成于"),
    "students": ("Students:", "学生人数："),
    "runs": ("Models and answers", "模型和答题"),
    "gallery": ("Gallery", "作品展"),
    "no_gallery": ("Nothing published in the gallery yet.", "作品展还没有发布任何内容。"),
}
