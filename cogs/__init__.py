"""discord.py extensions: each parses interactions, calls the core, renders, and replies."""
