"""hashdb: the hash engine. Digests, PDQ, hash-list files and formats, and the match index.

A library with no dependency on the application (`app`), usable on its own.
"""
