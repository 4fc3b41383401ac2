"""The text pipeline, one module per stage: decode (the one decoder of user text), clean, readers
(.txt/.csv/.tsv/.zip, labels, user words), tokenizer (English regex, jieba, THULAC), encoded (int32 ids),
cache (the tokenized-corpus cache), corpus (``load_corpus``: the stages in order), normalize, phrases,
vocab (subsampling and negative tables), pairs. No streamlit, no torch.
"""
