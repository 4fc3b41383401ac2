"""Translated error messages of the text pipeline and CBOW (key = the error's code)."""

STRINGS: dict[str, tuple[str, str]] = {
    "cbow_loss": ("arch cbow trains with the negative-sampling loss only (loss {loss} was chosen)",
                  "cbow 结构只能用负采样损失训练（当前选择的损失是 {loss}）"),
    "cbow_device": ("arch cbow trains on the CPU (the compiled trainer); use device cpu or auto",
                    "cbow 结构在 CPU 上训练（编译后的训练器）；请把设备设为 cpu 或 auto"),
    # corpora, user dictionaries and vocabularies (explorer.text)
    "zip_member_unreadable": ("{file}: cannot read this file inside the zip ({detail}).",
                              "{file}：无法读取压缩包中的这个文件（{detail}）。"),
    "user_words_empty": ("{file}: no words found (expected one word per line).",
                         "{file}：没有找到任何词（应为每行一个词）。"),
    "vocab_too_small": ("{file}: only {n} distinct word(s) occur at least {min_count} times (need 2 or more); "
                        "lower the minimum count or use a bigger corpus.",
                        "{file}：出现至少 {min_count} 次的不同词只有 {n} 个（至少需要 2 个）；"
                        "请降低最低词频，或换一个更大的语料。"),
    "vocab_no_counts": ("Negative sampling: the vocabulary has no word counts.", "负采样：词表中没有词频。"),
}
