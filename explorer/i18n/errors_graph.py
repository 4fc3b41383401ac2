"""Translated messages of the graph readers' and graph runner's error codes (see :mod:`explorer.errors`)."""

STRINGS: dict[str, tuple[str, str]] = {
    "graph_no_edges": ("{source}: no edges found (expected lines 'source target [weight]')",
                       "{source}：没有找到边（应为每行“源节点 目标节点 [权重]”）"),
    "graph_self_loops_only": ("{source}: all {n} edges are self-loops (a node linked to itself); nothing to walk on",
                              "{source}：全部 {n} 条边都是自环（节点连向自己），无法游走"),
    "graph_weight_not_number": ("{source}: line {line}: weight {value!r} is not a number",
                                "{source}：第 {line} 行：权重 {value!r} 不是数字"),
    "graph_weight_not_positive": ("{source}: line {line}: weight {value} must be greater than 0",
                                  "{source}：第 {line} 行：权重 {value} 必须大于 0"),
    "graph_weight_range": ("{source}: line {line}: weight {value} is out of range (expected {min} to {max})",
                           "{source}：第 {line} 行：权重 {value} 超出范围（应在 {min} 到 {max} 之间）"),
    "graph_too_few_columns": ("{source}: line {line}: expected 'source target [weight]', got {n} column(s)",
                              "{source}：第 {line} 行：应为“源节点 目标节点 [权重]”，实际只有 {n} 列"),
    "graph_too_large": ("{source}: the graph has more than {limit:,} edges (limit of this server)",
                        "{source}：图的边数超过 {limit:,} 条（本服务器的上限）"),
    "graph_file_too_large": ("{source}: the file is larger than {limit_mb} MB (limit for GraphML/GML/GEXF)",
                             "{source}：文件超过 {limit_mb} MB（GraphML/GML/GEXF 的上限）"),
    "graph_unreadable": ("{source}: not a readable {format} file ({reason})",
                         "{source}：无法读取的 {format} 文件（{reason}）"),
    "graph_unknown_format": ("{source}: unknown graph format {suffix!r} (expected .csv, .tsv, .txt, .edges, "
                             ".edgelist, .graphml, .gml or .gexf)",
                             "{source}：未知的图格式 {suffix!r}（应为 .csv、.tsv、.txt、.edges、.edgelist、"
                             ".graphml、.gml 或 .gexf）"),
    "graph_labels_unknown_node": ("{source}: {n} labelled node(s) are not in the graph, e.g. {node!r}",
                                  "{source}：有 {n} 个带标签的节点不在图中，例如 {node!r}"),
    "graph_labels_empty": ("{source}: no 'node label' rows found", "{source}：没有找到“节点 标签”行"),
    "graph_too_few_nodes": ("{source}: the graph has {n} node(s); at least 2 are needed",
                            "{source}：图只有 {n} 个节点；至少需要 2 个"),
}
