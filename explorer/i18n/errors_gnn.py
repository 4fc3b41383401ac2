"""Translated messages of the graph neural network kind's error codes: features files, embed-node, saved models."""

STRINGS: dict[str, tuple[str, str]] = {
    "gnn_features_empty": ("{source}: no rows found (expected a header 'id,feature1,...' and one row per node)",
                           "{source}：没有找到数据行（应为首行“id,特征1,...”，然后每个节点一行）"),
    "gnn_features_no_columns": ("{source}: expected a header with a node id column and at least one feature column "
                                "('id,feature1,...')",
                                "{source}：首行应包含一个节点 id 列和至少一个特征列（“id,特征1,...”）"),
    "gnn_features_too_many_columns": ("{source}: {n:,} feature columns; at most {limit:,} are accepted",
                                      "{source}：有 {n:,} 个特征列；最多接受 {limit:,} 个"),
    "gnn_features_no_id_column": ("{source}: no column holds the graph's node ids (column {column!r} matches no node; "
                                  "the ids go in the first column or one named id or node)",
                                  "{source}：没有一列是图的节点 id（列 {column!r} 与任何节点都不匹配；id 应放在第一列，"
                                  "或名为 id 或 node 的列）"),
    "gnn_features_unknown_ids": ("{source}: {n} row(s) name nodes that are not in the graph, e.g. {node!r}",
                                 "{source}：有 {n} 行的节点不在图中，例如 {node!r}"),
    "gnn_features_ragged": ("{source}: line {line}: {n} column(s), the header has {expected}",
                            "{source}：第 {line} 行有 {n} 列，首行有 {expected} 列"),
    "gnn_features_repeated_id": ("{source}: line {line}: node {node!r} has a second row",
                                 "{source}：第 {line} 行：节点 {node!r} 出现了第二次"),
    "gnn_features_not_number": ("{source}: line {line}: column {column!r}: {value!r} is not a number",
                                "{source}：第 {line} 行，列 {column!r}：{value!r} 不是数字"),
    "gnn_features_not_finite": ("{source}: line {line}: column {column!r}: {value} is not a finite number (NaN or "
                                "infinite)", "{source}：第 {line} 行，列 {column!r}：{value} 不是有限的数（NaN 或无穷大）"),
    "gnn_node_features_count": ("the new node's features: {n} value(s) given, the run has {expected} feature column(s) ({columns})",
                                "新节点的特征：给了 {n} 个值，而模型有 {expected} 个特征列（{columns}）"),
    "gnn_node_features_not_number": ("the new node's features: {value!r} is not a number", "新节点的特征：{value!r} 不是数字"),
    "gnn_node_no_edges": ("the new node's edges: give at least one node of the run the new node is linked to",
                          "新节点的边：请至少给出一个与新节点相连的、模型中已有的节点"),
    "gnn_node_unknown": ("the new node's edges: {n} node(s) are not in the run, e.g. {node!r}",
                         "新节点的边：有 {n} 个节点不在模型中，例如 {node!r}"),
    "gnn_no_model": ("{run}: no {file} (the run was not trained by the gnn kind)",
                     "{run}：没有 {file}（这个模型不是用图神经网络训练的）"),
    "gnn_model_damaged": ("{run}: the saved model is damaged or does not match its run ({file})",
                          "{run}：保存的模型已损坏或与它的运行不一致（{file}）"),
}
