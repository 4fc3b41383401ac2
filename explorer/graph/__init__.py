"""Graphs: reading edge lists and graph files, DeepWalk / node2vec walks, graph evaluation and samples.

``explorer.graph.io`` (readers, CSR), ``explorer.graph.walks`` (compiled walks),
``explorer.graph.evaluation`` (link prediction, node classification, clustering against labels),
``explorer.graph.samples`` (karate club, Les Misérables, planted partition), ``explorer.graph.lesson``
(walk -> pairs, for the lesson page), ``explorer.graph.summary`` (the Data page's preview numbers).
"""

from explorer.graph.io import CSR, Graph, read_graph, read_node_labels  # noqa: F401
