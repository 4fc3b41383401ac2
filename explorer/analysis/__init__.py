"""Pure functions on arrays: nearest neighbours, projections (PCA, t-SNE, UMAP), clusters and their
quality metrics, evaluation files, run comparison.
"""
