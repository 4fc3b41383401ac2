"""The word2vec engine: one compiled trainer for every kind that learns vectors word2vec-style.

Skip-gram and CBOW (:mod:`explorer.training.skipgram`), graph walks (:mod:`explorer.training.graph`)
and a document-vector kind (PV-DBOW) train through the same pieces:

- :mod:`.rng` -- xorshift64* random streams, seeded per job (also drives the graph walks);
- :mod:`.tables` -- the negative-sampling alias table and the subsampling thresholds;
- :mod:`.abi` -- what Python needs to know about the job without loading numba: the architectures
  (``ARCH_*``), the statistics' slots, the scratch sizes, the random streams' first states;
- :mod:`.kernels` -- the compiled (numba) job: one sentence loop (subsampling, learning-rate
  schedule, statistics; :func:`~.kernels.job_loop`) around one step per architecture (``STEPS``); a new
  architecture is one more ``*_sentence`` function, its step and its ``ARCH_*`` (and its scratch, if any, in
  ``abi.scratch_sizes`` and ``kernels._carve``);
- :mod:`.entries` and :mod:`.native` -- the job of one architecture compiled once into an object file, which
  later command lines load without numba (the same bits as numba's job);
- :mod:`.init` -- the starting weights (word2vec's: input rows uniform in ±0.5/d, output rows zero);
- :mod:`.pool` -- the thread pool: jobs (sentence ranges with their learning rates and random
  streams) run by ``workers`` threads over shared weights, Hogwild, with a stop check and errors
  surfaced in the calling thread;
- :mod:`.tracking` -- the smoothed loss and its history, throttled progress reports, the frames hook;
- :mod:`.trainer` -- epochs over one encoded stream (what Skip-gram, CBOW and PV-DBOW call).

Shapes used throughout: a stream is ``ids`` int32 (N,) token ids, ``offsets`` int64 (S+1,) sentence
boundaries and, for PV-DBOW only, ``rows`` int64 (S,) the input row (document) of each sentence;
``w_in`` float32 (R, d) the input table (words; documents for PV-DBOW) and ``w_out`` float32 (V, d)
the output table.

Reproducibility: every job draws from its own stream ``(seed, job number)``, so with one worker a
seed gives bit-identical vectors, and the words kept and pairs trained never depend on the number
of workers; with several workers the order in which threads update shared rows varies (as in
word2vec and gensim). Importing this package loads nothing; :mod:`.abi`, :mod:`.pool`, :mod:`.native`,
:mod:`.trainer`, :mod:`.tracking` and :mod:`.init` load no numba (the others do).
"""
