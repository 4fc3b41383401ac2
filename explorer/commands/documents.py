"""``search DIR QUERY [-k 10]`` and ``infer DIR TEXT`` on a run of documents.

``search`` prints one line per result: ``rank<TAB>score<TAB>id<TAB>the first 80 characters``, nearest first
(cosine similarity to the query's vector, which the run's kind computes: Doc2Vec infers it).
``infer`` prints the text's vector as a JSON list of numbers.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from explorer.documents.search import SNIPPET_CHARS, query_vector, search


def run(args: argparse.Namespace) -> int:
    if args.command == "infer":
        vector = query_vector(Path(args.run_dir), args.text)
        print(json.dumps([round(float(x), 6) for x in vector]))
        return 0
    for hit in search(Path(args.run_dir), args.query, k=args.k):
        print(f"{hit.rank}\t{hit.score:.4f}\t{hit.id}\t{hit.text[:SNIPPET_CHARS]}")
    return 0
