"""The demo portal: a local web server imitating real park and government sites.

``Portal`` runs it in threads (tests, demo); ``serve`` runs it in the foreground. Site ids,
addresses and paths are stable: see ``sites/*.yaml`` and ``parkwatch.portal.content``.
"""

from .parks import PARKS
from .server import Portal, serve

__all__ = ["PARKS", "Portal", "serve"]
