"""The lesson's maths, one module per step (pages/lesson_*.py only draw them).

- :mod:`explorer.lesson.text_steps`: cleaning step by step, segmentation, vocabulary, a sentence's pairs,
  subsampling's keep-probabilities, negatives from unigram^0.75;
- :mod:`explorer.lesson.objective`: one pair's loss and gradient step, NS vs softmax summaries,
  contrastive and triplet losses, one GloVe cell (X_ij, f(X), prediction, squared error);
- :mod:`explorer.lesson.watch`: a run's frames prepared for the player, and live frames;
- :mod:`explorer.lesson.quality`: clusters against planted labels, neighbour recall of 2D maps, a semantic axis,
  two methods on one corpus;
- :mod:`explorer.lesson.recommend_steps`: a user and items as numbers, click probability and BCE;
- :mod:`explorer.lesson.message_passing`: one GCN step (1/sqrt(d_i d_j)) and a GAT head's attention on the
  karate club.
"""
