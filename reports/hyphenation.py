"""German hyphenation patterns for WeasyPrint, loaded in ~0.1 s instead of ~1.3 s.

WeasyPrint hyphenates with Pyphen, which parses the 66,000 patterns of hyph_de_DE.dic with regular expressions the
first time a process hyphenates German: 1.3 s CPU, paid by every cron run of `python -m reports`. The parsed
patterns are plain strings and ints, so we keep them in a marshal file in the user's cache folder (rebuilt when
Pyphen or the dictionary changes) and hand the result to Pyphen's own dictionary cache (`pyphen.hdcache`). If the
cache cannot be read or written, Pyphen parses the file as before: slower, never wrong.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pyphen

LANG = "de_DE"


def cache_dir() -> Path:
    """$OZG_CACHE_DIR, else $XDG_CACHE_HOME/ozg-cockpit, else ~/.cache/ozg-cockpit."""
    if os.environ.get("OZG_CACHE_DIR"):
        return Path(os.environ["OZG_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ozg-cockpit"


def _cache_file(dic: Path) -> Path:
    stat = dic.stat()
    return cache_dir() / f"hyph-{LANG}-{pyphen.__version__}-{stat.st_size}-{int(stat.st_mtime)}.marshal"


def _from_patterns(patterns: dict) -> pyphen.HyphDict:
    hd = pyphen.HyphDict.__new__(pyphen.HyphDict)  # what HyphDict.__init__ leaves behind, without the parsing
    hd.patterns = patterns
    hd.cache = {}
    hd.maxlen = max(len(key) for key in patterns)
    return hd


def warm() -> None:
    """Put the German patterns into Pyphen's dictionary cache (from our cache file when possible)."""
    dic = Path(pyphen.LANGUAGES[LANG])
    if dic in pyphen.hdcache:
        return
    target = _cache_file(dic)
    try:
        pyphen.hdcache[dic] = _from_patterns(marshal.loads(target.read_bytes()))
        return
    except (OSError, ValueError, EOFError, TypeError):
        pass
    hd = pyphen.HyphDict(dic)
    pyphen.hdcache[dic] = hd
    if all(isinstance(v, int) for _, values in hd.patterns.values() for v in values):  # no non-standard breaks
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(marshal.dumps({k: (s, tuple(v)) for k, (s, v) in hd.patterns.items()}))
            os.replace(partial, target)
        except OSError:
            pass
