"""``python -m d2c.bench [FIGURE ...]`` (``make bench``)."""

from d2c.bench import main

main()
