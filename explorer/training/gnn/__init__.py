"""Graph neural networks (GCN, GAT) with PyTorch Geometric: the ``gnn`` kind's training.

Modules by stage: :mod:`~explorer.training.gnn.features` (what a node starts from), :mod:`~explorer.training.gnn.model`
(the GCN / GAT encoder), :mod:`~explorer.training.gnn.objectives` (graph auto-encoder without labels, cross-entropy
on the labelled nodes with them), :mod:`~explorer.training.gnn.trainer` (the epoch loop: progress, cancel, frames),
:mod:`~explorer.training.gnn.run` (the kind's runner and the inductive ``embed-node``).

torch and torch_geometric are imported only by these modules (never by the word2vec path). PyTorch Geometric is used
without its compiled extras (torch_scatter, torch_sparse, pyg_lib): GCNConv and GATConv fall back to torch's own
scatter operations. Nothing here downloads anything.
"""
