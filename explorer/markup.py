"""User data shown as data: escaping for the places that interpret Markdown or HTML.

Tokens, labels, titles, file names, run names and error messages (which quote them) come from
users' files. Streamlit renders the text of ``st.markdown``/``st.caption``/``st.error``/... and
the cells of ``st.table`` as Markdown (images, links, HTML-like tags, ``:colour[...]``, ``$math$``);
Plotly renders hover and point labels as a small HTML subset (``<a href>``, ``<b>``, ...). A token
such as ``![x](//host/x)`` must appear as those characters, never make a browser fetch ``host``::

    >>> print(md("![x](//127.0.0.1:9/x) snake_case _em_"))
    !\\[x\\](//127.0.0.1\\:9/x) snake_case \\_em\\_
    >>> print(md("data.txt: line 2, <img src=x> :red[a]"))
    data.txt: line 2, \\<img src=x\\> \\:red\\[a\\]
    >>> md("a\\nb")
    'a b'
    >>> md("see https://h.example/x, www.h.example or me@h.example") == (
    ...     "see https:\u2060//h.example/x, www\u2060.h.example or me@\u2060h.example")
    True
    >>> html_text("<a href='//h'>x</a>")
    "&lt;a href='//h'&gt;x&lt;/a&gt;"

(``/`` needs no escape: alone it starts nothing in Markdown.)

A bare address is no Markdown syntax, yet GitHub-flavoured Markdown (which Streamlit renders) turns
``https://…``, ``www.…`` and ``name@host`` into live links *after* escapes are resolved, so escaping
cannot stop it: :func:`md` puts an invisible WORD JOINER (U+2060) inside each such address, which
breaks the autolink and leaves the characters as they read. Names shown on their own use ``st.text``
(no Markdown at all).
"""

from __future__ import annotations

import html
import re
from typing import Any

# what Markdown, GFM, LaTeX or Streamlit give a meaning to inside a line: links and images need
# "[", autolinks and HTML "<", code "`", entities "&", math "$", emphasis "*" "~" and "_" (not
# inside a word, where CommonMark ignores it), Streamlit directives ":" before a name
# (":red[...]", ":material/icon:"); list and heading markers only at the start
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>~$&]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|:(?=[A-Za-z0-9_\[/]))")
_MD_START = re.compile(r"^(\s*)([-+=#>|]|\d+(?=[.)]))")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]+")
# what GFM autolinks without any markup: scheme://, www., an e-mail address (name@host)
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=[Ww]{3})(?=\.)|(?<=@)(?=[-\w])")
WORD_JOINER = "\u2060"


def md(value: Any) -> str:
    """``value`` as literal text inside Streamlit Markdown: markup characters escaped, on one line."""
    text = _AUTOLINK.sub(WORD_JOINER, _LINE_BREAKS.sub(" ", str(value)))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_START.sub(r"\1\\\2", text)


def md_code(value: Any) -> str:
    """``value`` as a Markdown code span (shown literally, in a code font), whatever backticks it holds.

        >>> md_code("a`b")
        '``a`b``'
    """
    text = _LINE_BREAKS.sub(" ", str(value))
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html_text(value: Any) -> str:
    """``value`` as literal text inside Plotly's HTML-like labels (hover text, point labels, titles)."""
    return html.escape(str(value), quote=False)  # Plotly decodes &lt; &gt; &amp; but shows &quot; as is
