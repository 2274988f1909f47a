"""Daily features without Discord: due times in a server's zone, the film rotation, the posting record."""
