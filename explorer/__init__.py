"""Embedding Explorer core library.

Never imports streamlit: everything here is usable from the command line, the worker
processes and the tests. Pages in ``pages/`` are thin layers over these modules.
"""

__version__ = "0.1.0"
