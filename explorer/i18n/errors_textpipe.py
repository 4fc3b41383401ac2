"""Translated error messages of the text pipeline and CBOW (key = the error's code)."""

STRINGS: dict[str, tuple[str, str]] = {
    "cbow_loss": ("arch cbow trains with the negative-sampling loss only (loss {loss} was chosen)",
                  "cbow 结构只能用负采样损失训练（当前选择的损失是 {loss}）"),
    "cbow_device": ("arch cbow trains on the CPU (the compiled trainer); use device cpu or auto",
                    "cbow 结构在 CPU 上训练（编译后的训练器）；请把设备设为 cpu 或 auto"),
}
