"""User data shown as data: escaping for the places that interpret Markdown or HTML.

Tokens, labels, titles, file names, run names and error messages (which quote them) come from
users' files. Streamlit renders the text of ``st.markdown``/``st.caption``/``st.error``/... and
the cells of ``st.table`` as Markdown (images, links, HTML-like tags, ``:colour[...]``, ``$math$``);
Plotly renders hover and point labels as a small HTML subset (``<a href>``, ``<b>``, ...). A token
such as ``![x](//host/x)`` must appear as those characters, never make a browser fetch ``host``::

    >>> md("![x](//127.0.0.1:9/x)")
    '\\\\!\\\\[x\\\\]\\\\(//127\\\\.0\\\\.0\\\\.1\\\\:9/x\\\\)'
    >>> md("a\\nb")
    'a b'
    >>> html_text("<a href='//h'>x</a>")
    '&lt;a href=&#x27;//h&#x27;&gt;x&lt;/a&gt;'

(``/`` needs no escape: alone it starts nothing in Markdown.)
"""

from __future__ import annotations

import html
import re
from typing import Any

# every ASCII punctuation character that Markdown, GFM, LaTeX or Streamlit's directives give a
# meaning to; CommonMark allows a backslash before any ASCII punctuation
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'%;@^?,])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]+")


def md(value: Any) -> str:
    """``value`` as literal text inside Streamlit Markdown: punctuation escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(value)))


def html_text(value: Any) -> str:
    """``value`` as literal text inside Plotly's HTML-like labels (hover text, point labels, titles)."""
    return html.escape(str(value), quote=True)
