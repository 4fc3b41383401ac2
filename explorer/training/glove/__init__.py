"""GloVe (Pennington, Socher & Manning 2014): word vectors from the global co-occurrence counts.

Stages, one module each, on the same cleaned, tokenized, cached corpus as Skip-gram
(:func:`explorer.text.corpus.load_corpus`, :mod:`explorer.text.vocab`):

- :mod:`.cooccur` -- counting ``X``: symmetric window, 1/distance weights, bounded memory (numba);
- :mod:`.kernels` -- the compiled AdaGrad step on ``Σ f(X_ij)(w_i·w̃_j + b_i + b̃_j − log X_ij)²``;
- :mod:`.trainer` -- shuffle, initialise, epochs on the word2vec engine's thread pool, progress, cost,
  cancel, frames;
- :mod:`.run` -- the kind's runner: corpus file -> run directory (``vectors.npy`` + ``vocab.tsv`` like
  Skip-gram's).

Importing this package loads nothing; its modules load numba.
"""
