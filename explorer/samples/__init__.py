"""Generated teaching datasets with ground-truth labels (no downloads).

``explorer.samples.corpus``: a bilingual (English + Chinese) text corpus with planted categories.
``explorer.samples.interactions``: a user-item interaction log with planted taste groups.
"""
