"""Counting attempts per key in a time window (issue "One way in", part 5: abuse limits).

Backed by Django's cache, so every worker shares the counters when CACHES points at a shared
backend (the database cache in production settings). ``hit`` counts an attempt and tells
whether the caller is still under the limit; callers decide what a refusal looks like (429 on
public endpoints, an audited refusal for unmasking).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    # Hash the identity so case numbers, IPs or user names never appear in cache keys.
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def hit(scope: str, ident: str, *, limit: int, window_seconds: int) -> bool:
    """Record one attempt; ``True`` while at most ``limit`` attempts fell in the window."""
    key = _key(scope, ident)
    if cache.add(key, 1, timeout=window_seconds):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window_seconds)
            count = 1
    return count <= limit


def remaining(scope: str, ident: str, *, limit: int) -> int:
    return max(0, limit - int(cache.get(_key(scope, ident), 0)))


def reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))
