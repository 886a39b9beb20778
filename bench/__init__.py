"""``make bench``: cold start, load and sweep figures for issue #8's performance goals.

A benchmark, not a test: it prints what it measures and whether each goal is met, and exits
non-zero when one is missed. Everything runs on 127.0.0.1 against the embedded AWS (moto).
"""
