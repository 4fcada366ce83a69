"""chorusflow: French public-sector e-invoicing through Chorus Pro.

Layers, each a package, each importing only from those before it:
``model`` → ``formats`` → ``rules`` → ``chorus`` → ``outbox`` → ``sandbox`` → ``cli``.
"""

__version__ = "0.1.0"
