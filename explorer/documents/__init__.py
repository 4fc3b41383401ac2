"""Documents: reading a file of documents (:mod:`.reader`) and the run files of document kinds (:mod:`.runfiles`)."""

from explorer.documents.reader import (
    Documents,
    documents_metrics,
    documents_record,
    read_data_documents,
    read_documents,
)
from explorer.documents.runfiles import (
    DOC_VECTORS,
    DOCS_TSV,
    DocTable,
    read_doc_vectors,
    read_docs_tsv,
    write_doc_vectors,
    write_docs_tsv,
    write_documents,
)

__all__ = ["documents_metrics", "documents_record", "read_data_documents", "DOC_VECTORS", "DOCS_TSV", "DocTable", "Documents", "read_doc_vectors", "read_docs_tsv", "read_documents",
           "write_doc_vectors", "write_docs_tsv", "write_documents"]
