"""The text pipeline: read and decode files, clean lines, tokenize (English regex, jieba), vocabulary,
subsampling and negative tables, (centre, context) pairs. No streamlit, no torch.
"""
