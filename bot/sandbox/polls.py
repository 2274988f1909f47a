"""A message's native poll: its answers and votes, its Discord JSON, and the result message Discord
posts when it ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import model  # its wall_clock, read at each call: tests move the clock by replacing it
from .model import iso

POLL_RESULT = 46  # the system message Discord posts when a poll ends


@dataclass
class Poll:
    """A message's poll: its answers are numbered from 1, in order, as Discord numbers them."""

    question: str
    answers: list[tuple[int, str]]
    expiry: float  # a wall_clock() timestamp
    allow_multiselect: bool = False
    emojis: dict[int, dict[str, Any]] = field(default_factory=dict)  # answer id -> its emoji, if any
    votes: dict[int, set[int]] = field(default_factory=dict)  # answer id -> the user ids who chose it
    finalized: bool = False

    @classmethod
    def create(cls, data: dict[str, Any], created_at: float) -> Poll:
        """The poll of a create payload (already validated by limits.check_poll)."""
        media = [a.get("poll_media") or {} for a in data.get("answers") or []]
        hours = float(data.get("duration") or 24)  # Discord's default: a day
        poll = cls(
            question=str((data.get("question") or {}).get("text", "")),
            answers=[(i, str(m.get("text", ""))) for i, m in enumerate(media, 1)],
            expiry=created_at + hours * 3600,
            allow_multiselect=bool(data.get("allow_multiselect")),
            emojis={i: m["emoji"] for i, m in enumerate(media, 1) if m.get("emoji")},
        )
        poll.votes = {answer_id: set() for answer_id, _ in poll.answers}
        return poll

    def text(self, answer_id: int) -> str:
        return dict(self.answers)[answer_id]

    def count(self, answer_id: int) -> int:
        return len(self.votes.get(answer_id, ()))

    def choices_of(self, user_id: int) -> list[int]:
        """The answers `user_id` has voted for."""
        return [answer_id for answer_id, voters in self.votes.items() if user_id in voters]

    def is_open(self) -> bool:
        return not self.finalized and model.wall_clock() < self.expiry

    def victor(self) -> int | None:
        """The answer with the most votes, if one has more than every other (Discord names no tie)."""
        ranked = sorted(self.votes, key=self.count, reverse=True)
        if not ranked or self.count(ranked[0]) == 0:
            return None
        if len(ranked) > 1 and self.count(ranked[1]) == self.count(ranked[0]):
            return None
        return ranked[0]

    def payload(self, viewer_id: int) -> dict[str, Any]:
        """The poll as `viewer_id` reads it (me_voted). Discord lists the counts of answers with votes
        while the poll runs, and of every answer once it is final."""
        answers = []
        for answer_id, text in self.answers:
            media: dict[str, Any] = {"text": text}
            if answer_id in self.emojis:
                media["emoji"] = self.emojis[answer_id]
            answers.append({"answer_id": answer_id, "poll_media": media})
        counts = [
            {"id": answer_id, "count": self.count(answer_id), "me_voted": viewer_id in self.votes[answer_id]}
            for answer_id, _ in self.answers
            if self.finalized or self.count(answer_id)
        ]
        return {
            "question": {"text": self.question},
            "answers": answers,
            "expiry": iso(self.expiry),
            "allow_multiselect": self.allow_multiselect,
            "layout_type": 1,
            "results": {"is_finalized": self.finalized, "answer_counts": counts},
        }

    def result_embed(self) -> dict[str, Any]:
        """The embed of the POLL_RESULT message Discord posts when the poll ends (its fields are data)."""
        fields = {"poll_question_text": self.question}
        victor = self.victor()
        if victor is not None:
            fields["victor_answer_votes"] = str(self.count(victor))
        fields["total_votes"] = str(sum(self.count(a) for a, _ in self.answers))
        if victor is not None:
            fields["victor_answer_id"] = str(victor)
            fields["victor_answer_text"] = self.text(victor)
            if emoji := self.emojis.get(victor):
                for key in ("id", "name"):
                    if emoji.get(key) is not None:
                        fields[f"victor_answer_emoji_{key}"] = str(emoji[key])
                if emoji.get("animated"):
                    fields["victor_answer_emoji_animated"] = "true"
        return {
            "type": "poll_result",
            "fields": [{"name": k, "value": v, "inline": False} for k, v in fields.items()],
        }
