"""Translated error messages: key = the error's ``code``, placeholders = its ``params``.

Looked up by :func:`explorer.i18n.error_text` together with every other ``errors*`` table. These
are the codes of the shared layers (configs, kinds, uploads, reading files, runs); an area with
codes of its own keeps them in ``errors_<area>.py``. A key ``"<param>=<value>"`` translates one
parameter value (e.g. a column role). Messages shown in the app never name a command-line flag.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # configs.check_value / kinds
    "param_missing": ("{name} must be set", "必须设置 {name}"),
    "param_type": ("{name} must be of type {expected}, got {value}", "{name} 的类型应为 {expected}，当前为 {value}"),
    "param_finite": ("{name} must be a finite number, got {value}", "{name} 必须是有限的数，当前为 {value}"),
    "param_choice": ("{name} must be one of {choices}, got {value}", "{name} 必须是 {choices} 之一，当前为 {value}"),
    "param_min": ("{name} must be at least {min}, got {value}", "{name} 最小为 {min}，当前为 {value}"),
    "param_gt": ("{name} must be greater than {min}, got {value}", "{name} 必须大于 {min}，当前为 {value}"),
    "param_max": ("{name} must be at most {max}, got {value}", "{name} 最大为 {max}，当前为 {value}"),
    "spec_invalid": ("The job description is invalid ({what}).", "任务描述无效（{what}）。"),
    "no_cuda": ("Device cuda was chosen, but this machine has no CUDA GPU: choose auto or cpu.",
                "选择了 cuda 设备，但这台机器没有 CUDA GPU：请选择 auto 或 cpu。"),
    "unknown_kind": ("Unknown training kind {kind} (known: {known}).", "未知的训练类型 {kind}（可用：{known}）。"),
    "config_not_object": ("The settings of {name} must be a JSON object.", "{name} 的设置必须是 JSON 对象。"),
    "config_unknown_key": ("{key} is not a setting of {owner} ({hint}).", "{key} 不是 {owner} 的设置项（{hint}）。"),
    "spec_unknown_key": ("The job description names {key}, which is not a field of {owner} ({hint}).",
                         "任务描述中的 {key} 不是 {owner} 的字段（{hint}）。"),
    "kind_no_query": ("{kind}: runs of this kind cannot encode a query.", "{kind}：这类模型无法对查询文字编码。"),
    "kind_no_node_vector": ("{kind}: runs of this kind cannot embed a new node (train a gnn run)",
                            "{kind}：这类模型无法为新节点计算向量（请训练一个图神经网络模型）"),
    "kind_no_sample": ("{kind}: no bundled sample", "{kind}：没有自带的示例数据"),
    "kind_no_data_input": ("{kind}: no input on the Data page", "{kind}：数据页上没有它的输入"),
    "spec_version": ("The job description has version {version}; this program reads versions 1 to {newest}.",
                     "任务描述的版本为 {version}；本程序可读取版本 1 到 {newest}。"),
    # uploads
    "upload_type": ("Files of type {suffix} are not accepted. Accepted: {accepted}.",
                    "不接受 {suffix} 类型的文件。可接受：{accepted}。"),
    "upload_empty": ("The uploaded file is empty.", "上传的文件是空的。"),
    "upload_too_big": ("The file is {size} MB, above the limit of {limit} MB.",
                       "文件大小为 {size} MB，超过了 {limit} MB 的上限。"),
    # reading files (corpora, logs, metadata)
    # (also in errors_cli.py with a {what}; this table is searched first and fits both raisers)
    "file_not_found": ("{path}: file not found.", "{path}：找不到文件。"),
    "file_not_file": ("{file}: not a file.", "{file}：不是文件。"),
    "file_empty": ("{file}: the file is empty.", "{file}：文件是空的。"),
    "file_binary": ("{file}: looks like a binary file, not text.", "{file}：看起来是二进制文件，不是文本。"),
    "file_bad_table": ("{file}: not a valid {format} file ({detail}).", "{file}：不是有效的 {format} 文件（{detail}）。"),
    "text_column_not_table": ("{file}: a text column applies only to .csv/.tsv files; leave the text column empty.",
                              "{file}：文本列只适用于 .csv/.tsv 文件；请把文本列留空。"),
    "text_no_column": ("{file}: no column {column}; available columns: {columns}.",
                       "{file}：没有名为 {column} 的列；可用的列：{columns}。"),
    "text_no_text_column": ("{file}: no text column found (columns: {columns}); type the text column's name above.",
                            "{file}：找不到文本列（现有列：{columns}）；请在上方填写文本列的名称。"),
    "zip_no_txt": ("{file}: no .txt files inside the zip.", "{file}：压缩包里没有 .txt 文件。"),
    "zip_invalid": ("{file}: not a valid zip file.", "{file}：不是有效的 zip 文件。"),
    "text_empty_after_cleaning": ("{file}: no text left after cleaning.", "{file}：清洗后没有剩下任何文本。"),
    "text_mostly_symbols": ("{file}: {share} of the characters are emoji or symbols, which are not words; only {n} "
                            "distinct words are left to train on. Use a text with sentences.",
                            "{file}：{share} 的字符是表情符号或其他符号，它们不算词；只剩下 {n} 个不同的词可供训练。请换一份由句子组成的文本。"),
    "text_no_tokens": ("{file}: no words left after cleaning and tokenizing.", "{file}：清洗和分词后没有剩下任何词。"),
    "labels_no_rows": ("{file}: no word,label rows found (expected two columns: word and label).",
                       "{file}：没有找到“词,类别”行（应有两列：词和类别）。"),
    "jsonl_invalid": ("{file}: line {line} is not a valid JSON object.", "{file}：第 {line} 行不是有效的 JSON 对象。"),
    # runs (output folders, job specs and method names: errors_cli.py)
    "unknown_word": ("{word} is not in the vocabulary ({n} words).", "“{word}”不在词表中（共 {n} 个词）。"),
    "unknown_id": ("{role} {value} is not in this run ({n} in all, e.g. {examples}).",
                   "{role} {value} 不在这个模型中（共 {n} 个，例如 {examples}）。"),
    "role=user": ("user", "用户"),
    "role=item": ("item", "物品"),
    # shared layers of other areas that had no translation yet (limits, resources, jobs, formats)
    "limit_line": ("{source}: line {line} is longer than {limit} characters.", "{source}：第 {line} 行超过 {limit} 个字符。"),
    "limit_field": ("{source}: line {line} has a field longer than {limit} characters.",
                    "{source}：第 {line} 行有一个字段超过 {limit} 个字符。"),
    "limit_fields": ("{source}: line {line} has {n} fields, more than {limit}.",
                     "{source}：第 {line} 行有 {n} 个字段，超过了 {limit} 个。"),
    "limit_unzipped": ("{source}: the files inside expand to more than {limit} MB.",
                       "{source}：解压后的内容超过 {limit} MB。"),
    "model_memory": ("{what}: the model would need about {need} of memory, but only {available} is available; {advice}.",
                     "{what}：模型大约需要 {need} 内存，但只有 {available} 可用；{advice}。"),
    "disk_full": ("{folder}: no space left ({free} free, {needed} needed).", "{folder}：磁盘空间不足（剩余 {free}，需要 {needed}）。"),
    "header_size": ("{source}: the header claims more vectors than the file holds (truncated or wrong header).",
                    "{source}：文件头声称的向量数多于文件实际内容（文件不完整或文件头有误）。"),
    "glove_cooccur_memory": ("{file}: the co-occurrence counts need more than {need} of memory (window {window}, "
                             "vocabulary {n_vocab} words), more than the {available} available; raise the minimum "
                             "count, set a maximum vocabulary or lower the window.",
                             "{file}：共现计数需要超过 {need} 内存（窗口 {window}，词表 {n_vocab} 个词），超过可用的 "
                             "{available}；请提高最低词频、设置最大词表或减小窗口。"),
    "glove_no_cooccurrences": ("{file}: no two words of the vocabulary occur within {window} words of each other; "
                               "use a bigger corpus, a larger window or a lower minimum count.",
                               "{file}：词表中没有任何两个词在 {window} 个词的距离内共同出现；请换更大的语料、"
                               "增大窗口或降低最低词频。"),
    "train_diverged": ("Training diverged at learning rate {lr}: try a smaller learning rate.",
                       "学习率为 {lr} 时训练发散：请尝试更小的学习率。"),
    "param_range": ("{name} is out of range.", "{name} 超出范围。"),
    "job_not_found": ("Job not found.", "找不到该任务。"),
    "job_other_workspace": ("This job belongs to another workspace.", "该任务属于另一个工作区。"),
    "jobs_unreadable": ("The job table cannot be read.", "无法读取任务表。"),
    # parameters, training and jobs (explorer.recsys, explorer.training, explorer.jobs)
    "param_positive_int": ("{name} must be a positive whole number, got {value}", "{name} 必须是正整数，当前为 {value}"),
    "compiled_trainer_device": ("The compiled trainer runs on the CPU: choose device cpu or auto, or the torch backend.",
                                "编译后的训练器只能在 CPU 上运行：请把设备设为 cpu 或 auto，或改用 torch 后端。"),
    "corpus_missing": ("No corpus file was given.", "没有提供语料文件。"),
    "interactions_missing": ("No interaction log was given.", "没有提供交互日志。"),
    "train_diverged_useritem": ("Training diverged (NaN or inf in the vectors): lower the learning rate (now {lr}) "
                                "or raise the weight decay (now {weight_decay}).",
                                "训练发散（向量中出现 NaN 或无穷大）：请降低学习率（当前为 {lr}），"
                                "或提高权重衰减（当前为 {weight_decay}）。"),
    "train_no_positive": ("{file}: no positive interactions left for training.", "{file}：没有剩下可用于训练的正向交互。"),
    "queue_unavailable": ("The job queue is unavailable ({detail}).", "任务队列不可用（{detail}）。"),
    "run_not_allowed": ("{path}: not a run of this workspace or of the gallery.", "{path}：不是本工作区或作品展中的模型。"),
    "projection_params": ("The projection's parameters must be a dictionary with string keys.",
                          "投影参数必须是以字符串为键的字典。"),
    "job_not_retryable": ("Only failed or cancelled jobs can be retried (this one is {state}).",
                          "只有失败或已取消的任务可以重试（这个任务{state}）。"),
    "state=queued": ("queued", "正在排队"),
    "state=running": ("running", "正在运行"),
    "state=done": ("done", "已完成"),
    "state=failed": ("failed", "已失败"),
    "state=cancelled": ("cancelled", "已取消"),
    "workspace_invalid": ("The workspace token is not valid.", "工作区令牌无效。"),
    "run_id_invalid": ("{run!r}: not a valid run id.", "{run!r}：不是有效的模型编号。"),
    "run_not_in_workspace": ("Run {run}: not found in this workspace.", "模型 {run}：在本工作区中找不到。"),
    "run_not_in_gallery": ("Run {run}: not in the gallery.", "模型 {run}：不在作品展中。"),
    "run_other_publisher": ("Run {run}: published by another workspace.", "模型 {run}：由另一个工作区发布。"),
    "env_workspace": ("{name}: not a valid workspace token.", "{name}：不是有效的工作区令牌。"),
    "workspace_file_empty": ("{path}: the workspace token file is empty.", "{path}：工作区令牌文件是空的。"),
    "job_worker_stopped": ("the worker running this job stopped before it finished; press Retry to run it again.",
                           "运行此任务的后台进程在完成前停止了；请按“重试”再运行一次。"),
}
