"""Trivia without Discord: questions (packs and generated), answer matching, rounds and scoring."""
