"""The ``imported_documents`` run kind: document vectors made elsewhere (or exported from a run of documents)
and imported with their ``id, title, label, text`` metadata (``python -m explorer import``, or the Runs page).

Its rows are documents, as in Doc2Vec and encoder runs (``doc_vectors.npy`` + ``docs.tsv``); with no encoder
behind it, it cannot encode a typed search query ("more like this" from a document works).

    >>> KIND.required_files, KIND.capabilities.documents
    (('config.json', 'doc_vectors.npy', 'docs.tsv'), True)
"""

from __future__ import annotations

import explorer.kinds.files as F
from explorer.kinds.base import Capabilities, RunKind
from explorer.kinds.doc2vec import DOC_VECTORS_FILE, DOCS_FILE

KIND = RunKind(name="imported_documents", run_files=(F.CONFIG_FILE, F.METRICS_FILE, DOC_VECTORS_FILE, DOCS_FILE),
               capabilities=Capabilities(documents=True, labels=True))
