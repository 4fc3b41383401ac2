"""Translated messages of the frame errors (codes raised by explorer/runs/frames.py and explorer/analysis/frames.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "no_frames": ("{run}: this run kept no frames (train it again with “Frames to watch it learn” above 0)",
                  "{run}：这个模型没有保存帧（重新训练时把“保存的帧数（看模型学习）”设为大于 0）"),
    "frames_bad": ("{run}: the frame files do not match the run", "{run}：帧文件与模型不一致"),
    "frames_method": ("method: frames are drawn with pca or umap, got {method}", "method：帧只能用 pca 或 umap 来画，收到的是 {method}"),
}
