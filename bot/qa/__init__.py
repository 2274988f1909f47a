"""Question answering over the fact store: question -> (film, intent) -> answer with its source."""
